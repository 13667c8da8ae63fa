import ChainCrypto
import Metrics
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
            for next in path.reversed() {
                do {
                    try connect(next)
                } catch let .invalid(rule) {
                    try markFailed(next, reason: rule)
                    break
                }
                try flushIfNeeded()
            }
        }
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
        var pending = children[node.hash] ?? []
        while let child = pending.popLast() {
            child.status.insert(.failedParent)
            persist(child, into: &batch)
            pending += children[child.hash] ?? []
        }
        try write(batch)
        rebuildCandidates()
    }

    /// Recomputes which stored chains are candidates (after validity changes).
    func rebuildCandidates() {
        candidateTips.removeAll()
        fullyStored.removeAll()
        noteStored(genesis)
    }

    // MARK: Connect

    /// Validates `node`'s block against the tip (its parent) and makes it the new tip.
    func connect(_ node: BlockIndexNode) throws(ChainStateError) {
        let started = ContinuousClock.now
        defer { Self.connectTimer.record(duration: ContinuousClock.now - started) }
        guard let parent = node.parent, parent === tip else { throw .inconsistent("connect of \(node.hash) not on the tip") }
        let block: Block
        if let recent = recentBlocks[node.hash] {
            block = recent
        } else {
            guard let stored = try self.block(node.hash) else { throw .inconsistent("block data for \(node.hash) missing") }
            // Damage to stored transactions must not be mistaken for an invalid block.
            guard stored.computeMerkleRoot().root == stored.header.merkleRoot else {
                throw .storage(.corruption("stored block \(node.hash) does not match its merkle root"))
            }
            block = stored
        }
        let connection = try evaluateConnection(of: block, onTip: parent)
        // Undo data and index status first: once they are stored, the cache may change.
        node.status.formUnion([.haveUndo, .validScripts])
        node.weightLimit = connection.weightLimit
        var batch = WriteBatch()
        batch.put(connection.undo.serialized, forKey: node.hash.hash.bytes, in: .undo)
        persist(node, into: &batch)
        if options.transactionIndex {
            for (position, transaction) in block.transactions.enumerated() {
                batch.put(TransactionLocation(block: node.hash, position: position).serialized,
                          forKey: transaction.txid.hash.bytes, in: .txIndex)
            }
        }
        try write(batch)
        do {
            try connection.view.commit()
        } catch {
            throw .storage(error)
        }
        coins.bestBlock = node.hash
        activeChain.append(node)
        if isInitialBlockDownload {
            progress.connected(height: node.height, blockTime: Int64(node.header.time), now: options.now(), progress: verificationProgress)
        }
    }

    /// Seconds spent connecting each block (exported as a histogram).
    static let connectTimer = Metrics.Timer(label: "rustyd_block_connect_seconds")

    /// The outcome of checking a block against the UTXO set at its parent (the tip).
    struct Connection {
        var view: CoinsOverlay
        var undo: BlockUndo
        var weightLimit: Int
    }

    /// Every rule that needs the UTXO set (Core's `ConnectBlock`), without changing anything.
    func evaluateConnection(of block: Block, onTip parent: BlockIndexNode) throws(ChainStateError) -> Connection {
        let context = blockContext(parent: parent)
        do {
            // The parent is connected, so the weight limit is exact now (at acceptance it may
            // have been only an upper bound): re-check the limits that depend on it.
            try BlockCheck.checkLimits(block, maxBlockWeight: context.maxBlockWeight,
                                       maxSigOpsCost: AdaptiveBlockWeight.sigopCostLimit(forWeightLimit: context.maxBlockWeight))
            try ContextualBlockCheck.check(block, context: context)
        } catch {
            throw .invalid(error)
        }

        var view = CoinsOverlay(base: coins)
        var undo = BlockUndo()
        var fees = Amount.zero
        var sigopCost = 0
        let queue = ScriptCheckQueue(threads: options.scriptThreads, flags: SoftForkState.all.scriptFlags, cache: options.signatureCache)
        var finished = false
        defer { if !finished { queue.cancel() } }
        let height = parent.height + 1
        let parentMedianTimePast = parent.medianTimePast
        let maxSigopCost = AdaptiveBlockWeight.sigopCostLimit(forWeightLimit: context.maxBlockWeight)
        let flags = SoftForkState.all.scriptFlags
        do {
            // BIP30, checked against the UTXO set before the block: never overwrite an unspent
            // output. As Core, skipped where BIP34 makes duplicate txids impossible (active from
            // genesis on main/test) below BIP34_IMPLIES_BIP30_LIMIT; regtest (BIP34 at 1) checks.
            for transaction in block.transactions where params.deployments.bip34 > 0 || height >= Self.bip34ImpliesBIP30Limit {
                for outputIndex in transaction.outputs.indices
                where try coins.coin(at: OutPoint(txid: transaction.txid, index: UInt32(outputIndex))) != nil {
                    throw ChainStateError.invalid(.overwritesUnspent)
                }
            }
            for (index, transaction) in block.transactions.enumerated() {
                var spent: [TxOut] = []
                if index > 0 {
                    var spentCoins: [Coin] = []
                    spentCoins.reserveCapacity(transaction.inputs.count)
                    for input in transaction.inputs {
                        guard let coin = try view.spend(input.previousOutput) else { throw ChainStateError.invalid(.missingOrSpentInputs) }
                        spentCoins.append(coin)
                    }
                    let fee = try Self.checkInputs(transaction, coins: spentCoins, height: height, maturity: params.coinbaseMaturity)
                    guard let total = fees.adding(fee) else { throw ChainStateError.invalid(.accumulatedFeeOutOfRange) }
                    fees = total
                    let locks = LockTime.sequenceLocks(
                        transaction, enforce: true, coinHeights: spentCoins.map(\.height),
                        medianTimePast: { [activeChain] in activeChain[min($0, activeChain.count - 1)].medianTimePast })
                    guard LockTime.sequenceLocksSatisfied(locks, height: height, parentMedianTimePast: parentMedianTimePast) else {
                        throw ChainStateError.invalid(.nonFinalTransaction)
                    }
                    spent = spentCoins.map(\.output)
                    undo.spentCoins.append(spentCoins)
                    queue.add(.init(index: index, transaction: transaction, spent: spent))
                }
                sigopCost += SignatureOperations.cost(of: transaction, spent: spent, flags: flags)
                if sigopCost > maxSigopCost { throw ChainStateError.invalid(BlockRuleError("bad-blk-sigops", "too many sigops")) }
                for (outputIndex, output) in transaction.outputs.enumerated() where !Self.isUnspendable(output.scriptPubKey) {
                    view.add(Coin(output: output, height: height, isCoinbase: index == 0),
                             at: OutPoint(txid: transaction.txid, index: UInt32(outputIndex)))
                }
            }
        } catch let error as ChainStateError {
            throw error
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            throw .inconsistent("unexpected error \(error)")
        }
        let reward = Subsidy.amount(height: height, halvingInterval: params.subsidyHalvingInterval).adding(fees) ?? .maxMoney
        guard let coinbaseValue = block.transactions[0].totalOutputValue, coinbaseValue <= reward else {
            throw .invalid(.badCoinbaseAmount)
        }
        finished = true
        if let failure = queue.finish() {
            throw .invalid(.script(failure.error.rawValue, transaction: failure.transaction.description, input: failure.input))
        }

        return Connection(view: view, undo: undo, weightLimit: context.maxBlockWeight)
    }

    /// Core's `BIP34_IMPLIES_BIP30_LIMIT`: from this height BIP34 no longer guarantees unique
    /// coinbase txids, so BIP30 is checked again.
    static let bip34ImpliesBIP30Limit = 1_983_702

    /// Outputs that can never be spent stay out of the UTXO set (Core's `IsUnspendable`).
    static func isUnspendable(_ script: [UInt8]) -> Bool {
        script.first == Opcode.return || script.count > Interpreter.maxScriptSize
    }

    /// Core's `CheckTxInputs`: maturity, value ranges, and the fee.
    static func checkInputs(_ transaction: Transaction, coins: [Coin], height: Int, maturity: Int) throws(ChainStateError) -> Amount {
        var valueIn = Amount.zero
        for coin in coins {
            if coin.isCoinbase && height - coin.height < maturity { throw .invalid(.prematureCoinbaseSpend) }
            guard coin.output.value.isInMoneyRange, let sum = valueIn.adding(coin.output.value) else {
                throw .invalid(.inputValuesOutOfRange)
            }
            valueIn = sum
        }
        guard let valueOut = transaction.totalOutputValue else { throw .invalid(.transaction(.outputTotalTooLarge)) }
        if valueIn < valueOut { throw .invalid(.inputsBelowOutputs) }
        let fee = Amount(satoshis: valueIn.satoshis - valueOut.satoshis)
        guard fee.isInMoneyRange else { throw .invalid(.feeOutOfRange) }
        return fee
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
        // Undo into an overlay; the cache changes only if the whole block undid cleanly.
        var view = CoinsOverlay(base: coins)
        do {
            for (index, transaction) in block.transactions.enumerated().reversed() {
                for (outputIndex, output) in transaction.outputs.enumerated() where !Self.isUnspendable(output.scriptPubKey) {
                    _ = try view.spend(OutPoint(txid: transaction.txid, index: UInt32(outputIndex)))
                }
                guard index > 0 else { continue }
                let spentCoins = undo.spentCoins[index - 1]
                guard spentCoins.count == transaction.inputs.count else { throw ChainStateError.inconsistent("undo size mismatch") }
                for (input, coin) in zip(transaction.inputs, spentCoins).reversed() {
                    view.restore(coin, at: input.previousOutput)
                }
            }
            try view.commit()
        } catch let error as ChainStateError {
            throw error
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            throw .inconsistent("unexpected error \(error)")
        }
        coins.bestBlock = parent.hash
        activeChain.removeLast()
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

