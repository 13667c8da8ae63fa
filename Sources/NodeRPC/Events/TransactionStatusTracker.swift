import ChainTypes
import Mempool

/// Follows the transactions someone watches through the node's events: accepted to the mempool,
/// confirmed (each new block one deeper), final at `finalDepth`, or removed with the reason.
/// Pure state: `apply` returns the status changes to report.
struct TransactionStatusTracker {
    struct Watch {
        var watchers: Set<Int> = []
        var confirmation: (block: BlockHash, height: Int)?
        var isFinal = false
    }

    let finalDepth: Int
    private(set) var watches: [TxID: Watch] = [:]
    /// The active chain's height, as the events tell it.
    private(set) var tipHeight: Int

    init(finalDepth: Int, tipHeight: Int) {
        self.finalDepth = max(1, finalDepth)
        self.tipHeight = tipHeight
    }

    /// Starts watching `txid` for `watcher`.
    mutating func watch(_ txid: TxID, by watcher: Int) {
        watches[txid, default: Watch()].watchers.insert(watcher)
    }

    mutating func unwatch(_ txid: TxID, by watcher: Int) {
        watches[txid]?.watchers.remove(watcher)
        if watches[txid]?.watchers.isEmpty == true { watches[txid] = nil }
    }

    /// Records a confirmation found by looking the transaction up (not from an event); returns
    /// its status now.
    mutating func learn(_ txid: TxID, confirmedIn block: BlockHash, height: Int) -> TransactionStatus? {
        guard watches[txid] != nil else { return nil }
        if watches[txid]?.confirmation == nil { watches[txid]?.confirmation = (block, height) }
        return status(of: txid)
    }

    /// The confirmed (or final) status of a watched transaction with a confirmation.
    private mutating func status(of txid: TxID) -> TransactionStatus? {
        guard let confirmation = watches[txid]?.confirmation else { return nil }
        let depth = tipHeight - confirmation.height + 1
        guard depth >= finalDepth else { return .confirmed(depth: depth, block: confirmation.block, height: confirmation.height) }
        watches[txid]?.isFinal = true
        return .final(depth: depth, block: confirmation.block, height: confirmation.height)
    }

    /// The watchers of `txid`.
    func watchers(of txid: TxID) -> Set<Int> { watches[txid]?.watchers ?? [] }

    /// What `event` changes for watched transactions.
    mutating func apply(_ event: NodeEvent) -> [(TxID, TransactionStatus)] {
        switch event {
        case let .transactionAdded(transaction, _):
            return watches[transaction.txid] == nil ? [] : [(transaction.txid, .accepted)]
        case let .transactionRemoved(transaction, reason, _):
            // A confirmation is reported when its block connects.
            guard watches[transaction.txid] != nil, reason != .block else { return [] }
            return [(transaction.txid, .removed(reason: reason.name))]
        case let .blockConnected(block, height):
            tipHeight = height
            for transaction in block.transactions where watches[transaction.txid] != nil {
                watches[transaction.txid]?.confirmation = (block.hash, height)
            }
            // Every unfinished confirmation is one deeper now.
            var changes: [(TxID, TransactionStatus)] = []
            for (txid, watch) in watches where watch.confirmation != nil && !watch.isFinal {
                if let status = status(of: txid) { changes.append((txid, status)) }
            }
            return changes
        case let .blockDisconnected(block, height):
            tipHeight = height - 1
            var changes: [(TxID, TransactionStatus)] = []
            for transaction in block.transactions where watches[transaction.txid]?.confirmation?.height == height {
                watches[transaction.txid]?.confirmation = nil
                watches[transaction.txid]?.isFinal = false
                changes.append((transaction.txid, .removed(reason: MempoolRemovalReason.reorg.name)))
            }
            return changes
        case .tipChanged:
            return []
        }
    }
}
