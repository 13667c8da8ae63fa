import ChainTypes

/// A transaction entering or leaving the mempool, with Core's mempool sequence at that moment
/// (the value before the change counted, as ZMQ's `sequence` topic reports it).
public enum MempoolChange: Sendable {
    case added(Transaction, mempoolSequence: UInt64)
    case removed(Transaction, reason: MempoolRemovalReason, mempoolSequence: UInt64)
}

/// Why a transaction left the mempool (Core's `MemPoolRemovalReason`).
public enum MempoolRemovalReason: String, Sendable {
    /// Confirmed by a connected block.
    case block
    /// A connected block spent one of its inputs (or an ancestor's).
    case conflict
    /// Replaced by fee (or an ancestor was).
    case replaced
    /// Older than `-mempoolexpiry`.
    case expiry
    /// Pushed out by `-maxmempool`.
    case sizeLimit
    /// Spent outputs that a reorg took away.
    case reorg

    /// The word subscribers see (`txstatus` `removed` reasons).
    public var name: String {
        switch self {
        case .block: "confirmed"
        case .conflict: "conflict"
        case .replaced: "replaced"
        case .expiry: "expired"
        case .sizeLimit: "evicted"
        case .reorg: "reorg"
        }
    }
}
