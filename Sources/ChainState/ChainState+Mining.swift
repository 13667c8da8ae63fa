import ChainParams
import ChainTypes
import Consensus
import Mining

extension ChainState {
    /// What a miner of the next block on the tip needs.
    public func nextBlockView() throws(ChainStateError) -> MiningChainView {
        let parent = tip
        let bits: UInt32
        do {
            bits = try DifficultyAdjustment.nextWorkRequired(parent: parent.header, parentHeight: parent.height, params: params)
        } catch {
            throw .inconsistent("no difficulty for the next block: \(error)")
        }
        let weightLimit = weightLimit(childOf: parent)
        return MiningChainView(
            parentHash: parent.hash, height: parent.height + 1, parentMedianTimePast: parent.medianTimePast, bits: bits,
            maxWeight: weightLimit, maxSigopCost: AdaptiveBlockWeight.sigopCostLimit(forWeightLimit: weightLimit),
            subsidy: Subsidy.amount(height: parent.height + 1, halvingInterval: params.subsidyHalvingInterval))
    }

    /// Checks a block proposal on the tip without storing anything (Core's `TestBlockValidity`,
    /// BIP23 proposals): every rule but proof of work.
    public func checkProposal(_ block: Block) throws(ChainStateError) {
        let parent = tip
        guard block.header.previousBlockHash == parent.hash else {
            throw .invalid(BlockRuleError("inconclusive-not-best-prevblk", "proposal does not build on the tip"))
        }
        if let known = nodes[block.hash], known.status.contains(.haveData) {
            throw .invalid(BlockRuleError(known.status.isFailed ? "duplicate-invalid" : "duplicate", "already known"))
        }
        let context = blockContext(parent: parent)
        do {
            let expectedBits = try DifficultyAdjustment.nextWorkRequired(parent: parent.header, parentHeight: parent.height, params: params)
            if block.header.bits != expectedBits { throw BlockRuleError.badDifficultyBits }
            try ContextualBlockCheck.checkHeader(block.header, context: context, now: options.now())
            try BlockCheck.check(block, maxBlockWeight: context.maxBlockWeight)
        } catch let error as BlockRuleError {
            throw .invalid(error)
        } catch {
            throw .invalid(.badDifficultyBits)
        }
        try evaluateConnection(of: block, onTip: parent)
    }
}
