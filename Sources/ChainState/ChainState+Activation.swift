import ChainCrypto
import ChainParams
import ChainTypes
import Consensus
import Script
import Storage

extension ChainState {
    /// The stored, not-failed tip with the most work (first seen wins ties).
    func bestCandidate() -> BlockIndexNode? {
        candidateTips.compactMap { nodes[$0] }.max { a, b in
            a.chainWork != b.chainWork ? a.chainWork < b.chainWork : a.sequence > b.sequence
        }
    }

    /// Moves the active chain to the stored chain with the most work, disconnecting and
    /// connecting as needed. Blocks that fail are marked invalid and another chain is tried.
    public func activateBestChain() throws(ChainStateError) {
        // A tip marked invalid (e.g. invalidated before a crash) is left whatever the work.
        while tip.status.isFailed, tip.parent != nil {
            try disconnectTip()
            try flushIfNeeded()
        }
        while let best = bestCandidate(), best !== tip, best.chainWork > tip.chainWork {
            let fork = lastCommonAncestor(tip, best)
            while tip !== fork {
                try disconnectTip()
                try flushIfNeeded()
            }
            var path: [BlockIndexNode] = []
            var node: BlockIndexNode? = best
            while let current = node, current !== fork {
                path.append(current)
                node = current.parent
            }
            try connectPipelined(path.reversed())
        }
    }

    /// Connects `path` (each block the child of the previous, the first a child of the tip).
    /// The UTXO checks of each block run while the previous block's scripts are still being
    /// verified; a block becomes the tip only after its scripts passed. The first block that
    /// fails is marked invalid and the rest of the path is left.
    func connectPipelined(_ path: [BlockIndexNode]) throws(ChainStateError) {
        var inFlight: PendingConnection?
        defer { abandon(&inFlight) }
        for next in path {
            guard try advance(&inFlight, to: next) else { return }
        }
        _ = try settle(&inFlight)
        try flushIfNeeded()
    }

    /// Starts connecting `next` (a child of the block in flight, or of the tip when none is),
    /// then settles the block in flight. Returns false, with nothing left in flight, when either
    /// block failed (it is marked invalid; `next` is then left or marked too).
    func advance(_ inFlight: inout PendingConnection?, to next: BlockIndexNode) throws(ChainStateError) -> Bool {
        // The cache is written only while every change in it has passed: drain the pipeline first.
        if coins.memoryUsage > options.coinsCacheBytes {
            guard try settle(&inFlight) else { return false }
            try flush()
        }
        let started: PendingConnection
        do {
            started = try startConnection(next, after: inFlight)
        } catch {
            guard case let .invalid(rule) = error else { throw error }
            // The block before comes first: it may fail too, and then this one is moot.
            if try settle(&inFlight) { try markFailed(next, reason: rule) }
            return false
        }
        guard try settle(&inFlight, discardingFirst: started) else { return false }
        inFlight = started
        return true
    }

    /// Waits for the block in flight and makes it the tip. If it fails, its changes are rolled
    /// back (after those of `later`, started on top of it, which is abandoned), it is marked
    /// invalid, and the result is false.
    func settle(_ inFlight: inout PendingConnection?, discardingFirst later: PendingConnection? = nil) throws(ChainStateError) -> Bool {
        guard let pending = inFlight else { return true }
        inFlight = nil
        do {
            try finishConnection(pending)
        } catch {
            var abandoned = later
            abandon(&abandoned)
            coins.rollBack(pending.journal)
            guard case let .invalid(rule) = error else { throw error }
            try markFailed(pending.node, reason: rule)
            return false
        }
        return true
    }

    /// Stops the scripts of the block in flight, if any, and rolls its changes back.
    func abandon(_ inFlight: inout PendingConnection?) {
        guard let pending = inFlight else { return }
        inFlight = nil
        pending.queue.cancel()
        coins.rollBack(pending.journal)
    }

    func lastCommonAncestor(_ a: BlockIndexNode, _ b: BlockIndexNode) -> BlockIndexNode {
        var left = a.height > b.height ? a.ancestor(at: b.height) ?? a : a
        var right = b.height > a.height ? b.ancestor(at: a.height) ?? b : b
        while left !== right, let leftParent = left.parent, let rightParent = right.parent {
            left = leftParent
            right = rightParent
        }
        return left
    }

    /// Marks `node` failed and its descendants failed-parent, and persists that.
    func markFailed(_ node: BlockIndexNode, reason: BlockRuleError?) throws(ChainStateError) {
        var batch = WriteBatch()
        if let reason { lastFailure[node.hash] = reason }
        node.status.insert(.failed)
        persist(node, into: &batch)
        for descendant in descendants(of: node) {
            descendant.status.insert(.failedParent)
            persist(descendant, into: &batch)
        }
        try write(batch)
        rebuildCandidates()
    }

    /// Every block in the tree below `node` (not `node` itself).
    func descendants(of node: BlockIndexNode) -> [BlockIndexNode] {
        var found: [BlockIndexNode] = []
        var pending = children[node.hash] ?? []
        while let child = pending.popLast() {
            found.append(child)
            pending += children[child.hash] ?? []
        }
        return found
    }

    /// Recomputes which stored chains are candidates and the best header (after validity changes).
    func rebuildCandidates() {
        candidateTips.removeAll()
        fullyStored.removeAll()
        noteStored(genesis)
        bestHeaderNode = nil
        for node in nodes.values.sorted(by: { $0.sequence < $1.sequence }) where !node.status.isFailed { considerBestHeader(node) }
    }

    /// The context a child of `parent` is checked in.
    func blockContext(parent: BlockIndexNode) -> BlockContext {
        let height = parent.height + 1
        let deployments = params.deployments
        var minimumVersion: Int32 = 1
        if height >= deployments.bip34 { minimumVersion = 2 }
        if height >= deployments.bip66 { minimumVersion = 3 }
        if height >= deployments.bip65 { minimumVersion = 4 }
        return BlockContext(
            height: height, parentMedianTimePast: parent.medianTimePast, heightInCoinbase: height >= deployments.bip34,
            medianTimeLocks: height >= deployments.csv, segwit: height >= deployments.segwit, minimumVersion: minimumVersion,
            maxBlockWeight: weightLimit(childOf: parent))
    }

    /// The weight limit for a child of `parent` (adaptive on main/test, fixed on regtest), or
    /// nil when it cannot be known yet: it depends on the weights of earlier blocks, and some of
    /// them are headers whose data has not arrived.
    func exactWeightLimit(childOf parent: BlockIndexNode) -> Int? {
        let schedule = params.blockWeight
        guard let interval = schedule.adjustmentInterval, interval > 0 else { return schedule.initialLimit }
        // Walk back to the nearest block whose limit is known (connected blocks and genesis).
        var path: [BlockIndexNode] = []
        var anchor: BlockIndexNode = parent
        while anchor.weightLimit == 0 {
            guard let previous = anchor.parent else { return nil }
            path.append(anchor)
            anchor = previous
        }
        var limit = anchor.weightLimit
        // Replay the adjustments forward to the child.
        for node in path.reversed() + [nil] as [BlockIndexNode?] {
            let height = (node?.height ?? parent.height + 1)
            guard AdaptiveBlockWeight.isAdjustmentHeight(height, schedule: schedule) else { continue }
            var weights: [Int] = []
            weights.reserveCapacity(interval)
            var cursor: BlockIndexNode? = node?.parent ?? parent
            while let current = cursor, weights.count < interval {
                guard current.weight > 0 || current.parent == nil else { return nil }
                weights.append(current.weight)
                cursor = current.parent
            }
            limit = AdaptiveBlockWeight.nextLimit(previousLimit: limit, periodWeights: weights, schedule: schedule)
        }
        return limit
    }

    /// The weight limit for a child of `parent`; when it is not known yet, the schedule's
    /// maximum, so early checks never reject a block the exact limit would accept.
    func weightLimit(childOf parent: BlockIndexNode) -> Int {
        exactWeightLimit(childOf: parent) ?? params.blockWeight.maximumLimit
    }

    // MARK: Disconnect

    /// Undoes the tip block, making its parent the tip.
    func disconnectTip() throws(ChainStateError) {
        let node = tip
        guard let parent = node.parent else { throw .inconsistent("cannot disconnect genesis") }
        guard let block = try block(node.hash) else { throw .inconsistent("block data for \(node.hash) missing") }
        let undo = try undo(node.hash)
        guard undo.spentCoins.count == block.transactions.count - 1 else { throw .inconsistent("undo data of \(node.hash) does not match") }
        // Undo in place; the cache changes only if the whole block undid cleanly.
        var journal = CoinsJournal()
        do {
            for (index, transaction) in block.transactions.enumerated().reversed() {
                for (outputIndex, output) in transaction.outputs.enumerated() where !ScriptPattern.isUnspendable(output.scriptPubKey) {
                    _ = try coins.spend(OutPoint(txid: transaction.txid, index: UInt32(outputIndex)), journal: &journal)
                }
                guard index > 0 else { continue }
                let spentCoins = undo.spentCoins[index - 1]
                guard spentCoins.count == transaction.inputs.count else { throw ChainStateError.inconsistent("undo size mismatch") }
                for (input, coin) in zip(transaction.inputs, spentCoins).reversed() {
                    coins.restore(coin, at: input.previousOutput, journal: &journal)
                }
            }
        } catch {
            coins.rollBack(journal)
            throw ChainStateError(from: error)
        }
        coins.bestBlock = parent.hash
        activeChain.removeLast()
        if recordsEvents { events.append(.disconnected(block, height: parent.height + 1)) }
    }

    // MARK: Flushing

    /// Writes the UTXO cache if it grew beyond its budget.
    func flushIfNeeded() throws(ChainStateError) {
        if coins.memoryUsage > options.coinsCacheBytes { try flush() }
    }

    /// Writes every cached UTXO change and the best-block marker in one durable batch.
    public func flush() throws(ChainStateError) {
        do {
            try coins.flush(durable: true)
        } catch {
            throw .storage(error)
        }
    }
}

