import ChainTypes
import Mining

/// Transactions accepted by `sendrawtransaction`, waiting for the next block. A stand-in for the
/// mempool (which replaces it with relay policy, eviction and fee ordering): kept in arrival
/// order, dropped once mined or when a block spends their inputs.
public actor PendingTransactions {
    private var entries: [CandidateTransaction] = []

    public init() {}

    /// Queues a validated transaction unless already queued.
    public func add(_ candidate: CandidateTransaction) {
        guard !entries.contains(where: { $0.transaction.txid == candidate.transaction.txid }) else { return }
        entries.append(candidate)
    }

    public func contains(_ txid: TxID) -> Bool { entries.contains { $0.transaction.txid == txid } }

    /// Everything queued, parents before children.
    public func candidates() -> [CandidateTransaction] { entries }

    /// Forgets transactions `block` confirmed or conflicted with.
    public func removeConfirmed(by block: Block) {
        let confirmed = Set(block.transactions.map(\.txid))
        let spent = Set(block.transactions.flatMap { $0.inputs.map(\.previousOutput) })
        entries.removeAll { entry in
            confirmed.contains(entry.transaction.txid) || entry.transaction.inputs.contains { spent.contains($0.previousOutput) }
        }
    }

    public var count: Int { entries.count }
}
