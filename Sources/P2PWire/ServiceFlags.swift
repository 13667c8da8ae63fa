/// What a node offers (the `services` of `version` and addresses): Bitcoin's bits and
/// `NODE_RUSTY` (PROTOCOL.md §1).
public struct ServiceFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Serves the full chain.
    public static let network = ServiceFlags(rawValue: 1 << 0)
    public static let bloom = ServiceFlags(rawValue: 1 << 2)
    public static let witness = ServiceFlags(rawValue: 1 << 3)
    /// Serves BIP157/158 compact filters.
    public static let compactFilters = ServiceFlags(rawValue: 1 << 6)
    /// Serves the last 288 blocks (BIP159).
    public static let networkLimited = ServiceFlags(rawValue: 1 << 10)
    /// Speaks the v2 transport (BIP324).
    public static let p2pV2 = ServiceFlags(rawValue: 1 << 11)
    /// A Rusty Coin node: understands the extension commands.
    public static let rusty = ServiceFlags(rawValue: 1 << 24)
}
