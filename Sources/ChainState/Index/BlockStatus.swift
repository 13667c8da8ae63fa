/// What is known about a block in the index.
public struct BlockStatus: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The full block is stored.
    public static let haveData = BlockStatus(rawValue: 1 << 0)
    /// Its undo data is stored (it has been connected at least once).
    public static let haveUndo = BlockStatus(rawValue: 1 << 1)
    /// It passed every rule, scripts included, when last connected.
    public static let validScripts = BlockStatus(rawValue: 1 << 2)
    /// It broke a rule (or was invalidated by `invalidateblock`).
    public static let failed = BlockStatus(rawValue: 1 << 3)
    /// An ancestor failed.
    public static let failedParent = BlockStatus(rawValue: 1 << 4)

    public var isFailed: Bool { !isDisjoint(with: [.failed, .failedParent]) }
}
