import ChainTypes
import Consensus
import Script
import Storage

extension ChainState {
    /// Core's `-maxtipage`: a tip older than a day means the node is still catching up.
    public static let maxTipAge: Int64 = 24 * 60 * 60

    /// Whether the node is still catching up (tip more than a day old), as Core's
    /// `IsInitialBlockDownload` (without its latch: a stale tip makes it true again).
    public var isInitialBlockDownload: Bool {
        Int64(tip.header.time) < options.now() - Self.maxTipAge
    }

    /// Fraction of the chain verified, estimated from block times: 1 when the tip is recent,
    /// else the share of the time since genesis the tip covers; while headers beyond the tip
    /// are known, no more than the share of their height the tip reached.
    public var verificationProgress: Double {
        let now = options.now()
        let tipTime = Int64(tip.header.time), genesisTime = Int64(genesis.header.time)
        if tipTime >= now - ContextualBlockCheck.maxFutureBlockTime { return 1 }
        let byTime = min(1, max(0, Double(tipTime - genesisTime) / Double(max(1, now - genesisTime))))
        guard bestHeaderHeight > tip.height else { return byTime }
        return min(byTime, Double(tip.height) / Double(bestHeaderHeight))
    }

    /// Re-checks the last `blocks` blocks of the active chain (0 = all), as `verifychain`:
    /// level 0 reads each block, 1 re-runs the context-free block rules, 2 checks the undo data
    /// matches the block, 3 and 4 also re-verify every input script against the coins the undo
    /// data recorded.
    public func verifyChain(level: Int, blocks: Int) -> Bool {
        let depth = blocks <= 0 ? tip.height : min(blocks, tip.height)
        guard depth > 0 else { return true }
        for height in stride(from: tip.height, to: tip.height - depth, by: -1) {
            guard let node = activeNode(at: height), let parent = node.parent,
                let block = try? block(node.hash), block.hash == node.hash
            else { return false }
            if level >= 1 {
                let limit = node.weightLimit > 0 ? node.weightLimit : weightLimit(childOf: parent)
                guard (try? BlockCheck.check(block, maxBlockWeight: limit)) != nil
                else { return false }
            }
            guard level >= 2 else { continue }
            guard let undo = try? undo(node.hash), undo.spentCoins.count == block.transactions.count - 1 else { return false }
            for (transaction, coins) in zip(block.transactions.dropFirst(), undo.spentCoins) {
                guard coins.count == transaction.inputs.count else { return false }
                if level >= 3 {
                    do {
                        try ScriptVerifier.verifyInputs(
                            of: transaction, spentOutputs: coins.map(\.output), flags: SoftForkState.all.scriptFlags,
                            cache: options.signatureCache, storeInCache: false)
                    } catch {
                        return false
                    }
                }
            }
        }
        return true
    }
}

extension ChainState {
    /// Whether a small durable write to the store succeeds right now (for `/health`).
    public func storageWritable() -> Bool {
        var batch = WriteBatch()
        batch.put(Array(String(options.now()).utf8), forKey: Array("health-probe".utf8), in: .chainMeta)
        do {
            try store.write(batch, durable: false)
            return true
        } catch {
            return false
        }
    }
}
