import ChainTypes

/// What became of a package (`submitpackage`, `testmempoolaccept` with several transactions):
/// a result per transaction, by wtxid, and the package-wide message.
public struct PackageAcceptance: Sendable {
    /// One transaction's result (Core's `MempoolAcceptResult`).
    public enum Outcome: Sendable {
        /// Accepted (or, in a test, would be): its entry, the fee rate it was judged by (its
        /// own, or the package's when it needed its child's fee), and whose fees that rate counts.
        case accepted(MempoolEntry, effectiveFeeRate: FeeRate, includes: [WTxID])
        /// Already in the mempool; `otherWitness` when the pool has it with another witness.
        case inMempool(MempoolEntry, otherWitness: WTxID?)
        case rejected(MempoolRejection)
    }

    /// Results by wtxid; a transaction without one was not evaluated (an earlier one failed).
    public var outcomes: [WTxID: Outcome] = [:]
    /// nil when every transaction is in the pool (or would be); otherwise Core's package
    /// message: `transaction failed`, or a package policy reason (then no transaction has an
    /// outcome).
    public var failure: MempoolRejection?
    /// Pool transactions the package replaced.
    public var replaced: [TxID] = []

    public init(outcomes: [WTxID: Outcome] = [:], failure: MempoolRejection? = nil, replaced: [TxID] = []) {
        self.outcomes = outcomes
        self.failure = failure
        self.replaced = replaced
    }

    /// Core's package message when a transaction failed.
    public static let transactionFailed = MempoolRejection("transaction failed")
}
