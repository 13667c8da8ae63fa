/// How a network's block weight limit evolves (PROTOCOL.md §3, "adaptive block weight").
///
/// Every `adjustmentInterval` blocks the limit becomes
/// `clamp(2 × median(weights of the last interval), previous × 95/100, previous × 110/100)`,
/// then is clamped to `minimumLimit...maximumLimit`. A schedule without an interval keeps
/// `initialLimit` forever (regtest: Bitcoin's fixed 4,000,000 WU).
public struct BlockWeightSchedule: Sendable, Equatable {
    /// The limit of the first `adjustmentInterval` blocks, in weight units.
    public var initialLimit: Int
    /// The smallest limit the adjustment may reach.
    public var minimumLimit: Int
    /// The largest limit the adjustment may reach.
    public var maximumLimit: Int
    /// Blocks between adjustments; `nil` for a fixed limit.
    public var adjustmentInterval: Int?

    /// A schedule starting at `initialLimit`, adjusting every `adjustmentInterval` blocks
    /// within `minimumLimit...maximumLimit`.
    public init(initialLimit: Int, minimumLimit: Int, maximumLimit: Int, adjustmentInterval: Int?) {
        self.initialLimit = initialLimit
        self.minimumLimit = minimumLimit
        self.maximumLimit = maximumLimit
        self.adjustmentInterval = adjustmentInterval
    }

    /// Bitcoin's fixed 4,000,000 WU (regtest).
    public static let bitcoinFixed = BlockWeightSchedule(
        initialLimit: 4_000_000, minimumLimit: 4_000_000, maximumLimit: 4_000_000, adjustmentInterval: nil)

    /// Main and test: 8,000,000 WU at first, adjusted every 2016 blocks within
    /// [4,000,000; 256,000,000].
    public static let adaptive = BlockWeightSchedule(
        initialLimit: 8_000_000, minimumLimit: 4_000_000, maximumLimit: 256_000_000, adjustmentInterval: 2016)

    /// Sigop cost allowed per weight unit of limit: Bitcoin's 80,000 per 4,000,000 WU.
    public static let weightPerSigopCost = 50
}
