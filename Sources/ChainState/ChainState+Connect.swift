import ChainCrypto
import ChainParams
import ChainTypes
import Consensus
import Metrics
import Script
import Storage

extension ChainState {
    // MARK: Connect

    /// A block whose UTXO rules passed, whose changes are in the cache (recorded in `journal`)
    /// and whose scripts are being verified on worker threads.
    struct PendingConnection {
        let node: BlockIndexNode
        let block: Block
        let journal: CoinsJournal
        let undo: BlockUndo
        let weightLimit: Int
        let queue: ScriptCheckQueue
        let started: ContinuousClock.Instant
    }

    /// Validates `node`'s block against the tip (its parent) and makes it the new tip.
    func connect(_ node: BlockIndexNode) throws(ChainStateError) {
        try finishConnection(try startConnection(node, after: nil))
    }

    /// The block data of `node`, from the blocks just accepted or from storage (checked).
    func blockForConnection(_ node: BlockIndexNode) throws(ChainStateError) -> Block {
        if let recent = recentBlocks[node.hash] { return recent }
        guard let stored = try self.block(node.hash) else { throw .inconsistent("block data for \(node.hash) missing") }
        // Damage to stored transactions must not be mistaken for an invalid block.
        guard stored.computeMerkleRoot().root == stored.header.merkleRoot else {
            throw .storage(.corruption("stored block \(node.hash) does not match its merkle root"))
        }
        return stored
    }

    /// Checks every UTXO rule of `node`'s block, applies its changes to the cache and hands its
    /// scripts to the workers. Its parent is the tip, or `previous`: the block in flight, whose
    /// changes are in the cache already.
    func startConnection(_ node: BlockIndexNode, after previous: PendingConnection?) throws(ChainStateError) -> PendingConnection {
        let started = ContinuousClock.now
        guard let parent = node.parent, parent === (previous?.node ?? tip) else {
            throw .inconsistent("connect of \(node.hash) not on the tip")
        }
        let block = try blockForConnection(node)
        let (journal, undo, weightLimit, queue) = try beginEvaluation(of: block, onParent: parent)
        return PendingConnection(node: node, block: block, journal: journal, undo: undo, weightLimit: weightLimit, queue: queue, started: started)
    }

    /// Waits for the scripts of `pending`; if they pass, stores its undo data and index status:
    /// it becomes the tip. When this throws, the caller rolls the block's changes back.
    func finishConnection(_ pending: PendingConnection) throws(ChainStateError) {
        defer { Self.connectTimer.record(duration: ContinuousClock.now - pending.started) }
        guard pending.node.parent === tip else { throw .inconsistent("finishing \(pending.node.hash) not on the tip") }
        try Self.awaitScripts(pending.queue)
        let node = pending.node
        node.status.formUnion([.haveUndo, .validScripts])
        node.weightLimit = pending.weightLimit
        var batch = WriteBatch(reservingBytes: pending.undo.estimatedSize + 512)
        batch.put(in: .undo, key: { node.hash.hash.encode(to: &$0) }, value: { pending.undo.encode(to: &$0) })
        persist(node, into: &batch)
        if options.transactionIndex {
            for (position, transaction) in pending.block.transactions.enumerated() {
                batch.put(TransactionLocation(block: node.hash, position: position).serialized,
                          forKey: transaction.txid.hash.bytes, in: .txIndex)
            }
        }
        if options.blockFilterIndex {
            batch.put(try filterRecord(of: pending.block, undo: pending.undo, parent: node.parent).serialized, forKey: node.hash.hash.bytes, in: .blockFilter)
        }
        try write(batch)
        coins.bestBlock = node.hash
        activeChain.append(node)
        if recordsEvents { events.append(.connected(pending.block, height: node.height)) }
        if isInitialBlockDownload {
            progress.connected(
                height: node.height, bestHeaderHeight: bestHeaderHeight, blockTime: Int64(node.header.time), now: options.now(),
                progress: verificationProgress)
        }
    }

    /// Seconds spent connecting each block (exported as a histogram).
    static let connectTimer = Metrics.Timer(label: "rustyd_block_connect_seconds")

    /// Every rule of `block` on the tip, scripts included, without changing anything
    /// (block proposals).
    func evaluateConnection(of block: Block, onTip parent: BlockIndexNode) throws(ChainStateError) {
        // As Core's TestBlockValidity, a proposal's valid signatures are remembered (a template's
        // come from the pool, and the block that follows will use them up).
        let (journal, _, _, queue) = try beginEvaluation(of: block, onParent: parent, cachingSignatures: true)
        defer { coins.rollBack(journal) }
        try Self.awaitScripts(queue)
    }

    /// Waits for every script check in `queue`; the first failure becomes the block's reject reason.
    static func awaitScripts(_ queue: ScriptCheckQueue) throws(ChainStateError) {
        if let failure = queue.finish() {
            throw .invalid(.script(failure.error.rawValue, transaction: failure.transaction.description, input: failure.input))
        }
    }

    /// Every rule that needs the UTXO set (Core's `ConnectBlock`) except the scripts, which are
    /// queued. Applies the block's changes to the cache (all rolled back if a rule fails) and
    /// returns their journal, the undo data, the exact weight limit and the queue.
    func beginEvaluation(
        of block: Block, onParent parent: BlockIndexNode, cachingSignatures: Bool = false
    ) throws(ChainStateError) -> (CoinsJournal, BlockUndo, Int, ScriptCheckQueue) {
        let context = blockContext(parent: parent)
        if !contextChecked.contains(block.hash) {
            do {
                // The parent is connected (or in flight), so the weight limit is exact now (at
                // acceptance it may have been only an upper bound, or the block comes from
                // storage): re-check what depends on it.
                try BlockCheck.checkLimits(block, maxBlockWeight: context.maxBlockWeight)
                try ContextualBlockCheck.check(block, context: context)
            } catch {
                throw .invalid(error)
            }
        }

        var journal = CoinsJournal()
        var undo = BlockUndo()
        var fees = Amount.zero
        var sigopCost = 0
        let flags = SoftForkState.all.scriptFlags
        let queue = ScriptCheckQueue(
            transactions: block.transactions, pool: scriptWorkers, flags: flags, cache: options.signatureCache, storesInCache: cachingSignatures)
        var queued = false
        defer {
            if !queued {
                queue.cancel()
                coins.rollBack(journal)
            }
        }
        let height = parent.height + 1
        let parentMedianTimePast = parent.medianTimePast
        let maxSigopCost = AdaptiveBlockWeight.sigopCostLimit(forWeightLimit: context.maxBlockWeight)
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
                        guard let coin = try coins.spend(input.previousOutput, journal: &journal) else { throw ChainStateError.invalid(.missingOrSpentInputs) }
                        spentCoins.append(coin)
                    }
                    let fee = try checkInputs(transaction, coins: spentCoins, height: height)
                    guard let total = fees.adding(fee) else { throw ChainStateError.invalid(.accumulatedFeeOutOfRange) }
                    fees = total
                    // Coins are at most as high as the parent, whose ancestors are all active.
                    let locks = LockTime.sequenceLocks(
                        transaction, enforce: true, coinHeights: spentCoins.map(\.height),
                        medianTimePast: { [activeChain] in activeChain[min($0, activeChain.count - 1)].medianTimePast })
                    guard LockTime.sequenceLocksSatisfied(locks, height: height, parentMedianTimePast: parentMedianTimePast) else {
                        throw ChainStateError.invalid(.nonFinalTransaction)
                    }
                    spent = spentCoins.map(\.output)
                    undo.spentCoins.append(spentCoins)
                    queue.add(.init(index: index, spent: spent))
                }
                sigopCost += SignatureOperations.cost(of: transaction, spent: spent, flags: flags)
                if sigopCost > maxSigopCost { throw ChainStateError.invalid(BlockRuleError("bad-blk-sigops", "too many sigops")) }
                for (outputIndex, output) in transaction.outputs.enumerated() where !ScriptPattern.isUnspendable(output.scriptPubKey) {
                    coins.add(Coin(output: output, height: height, isCoinbase: index == 0),
                              at: OutPoint(txid: transaction.txid, index: UInt32(outputIndex)), journal: &journal)
                }
            }
        } catch {
            throw ChainStateError(from: error)
        }
        let reward = Subsidy.amount(height: height, halvingInterval: params.subsidyHalvingInterval).adding(fees) ?? .maxMoney
        guard let coinbaseValue = block.transactions[0].totalOutputValue, coinbaseValue <= reward else {
            throw .invalid(.badCoinbaseAmount)
        }
        queued = true
        return (journal, undo, context.maxBlockWeight, queue)
    }

    /// Core's `BIP34_IMPLIES_BIP30_LIMIT`: from this height BIP34 no longer guarantees unique
    /// coinbase txids, so BIP30 is checked again.
    static let bip34ImpliesBIP30Limit = 1_983_702

    /// Core's `CheckTxInputs` (maturity, value ranges, fee) for a block at `height`.
    func checkInputs(_ transaction: Transaction, coins: [Coin], height: Int) throws(ChainStateError) -> Amount {
        do {
            return try InputsCheck.fee(of: transaction, spending: coins, spendHeight: height, coinbaseMaturity: params.coinbaseMaturity)
        } catch {
            throw .invalid(error)
        }
    }
}
