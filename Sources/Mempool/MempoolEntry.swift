import ChainTypes

/// A transaction in the mempool and what acceptance learned about it.
public struct MempoolEntry: Sendable {
    public let transaction: Transaction
    public let fee: Amount
    public let virtualSize: Int
    /// Sigop cost (Core's `GetTransactionSigOpCost`), counted against block limits.
    public let sigopCost: Int
    /// When it entered (Unix seconds).
    public let time: Int64
    /// The tip's height when it entered.
    public let height: Int

    /// What the entry is counted as against `-maxmempool`: its serialization plus a fixed
    /// allowance for the pool's indexes (Core measures allocator usage; this is an estimate).
    public var memoryUsage: Int { transaction.totalSize + 500 }

    /// Its fee per 1,000 virtual bytes.
    public var feeRate: FeeRate {
        FeeRate(satoshisPerKilovirtualByte: virtualSize > 0 ? fee.satoshis * 1000 / Int64(virtualSize) : 0)
    }
}
