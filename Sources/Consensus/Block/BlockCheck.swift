import ChainTypes
import Script

/// Context-free block rules (Core's `CheckBlock`, without the proof-of-work check, which
/// `ProofOfWork` does on the header).
public enum BlockCheck {
    /// Throws the first rule `block` breaks; the sigop-cost limit follows from `maxBlockWeight`.
    public static func check(_ block: Block, maxBlockWeight: Int) throws(BlockRuleError) {
        let (root, mutated) = block.computeMerkleRoot()
        if root != block.header.merkleRoot { throw .badMerkleRoot }
        if mutated { throw .duplicateTransactions }
        try checkSize(block, maxBlockWeight: maxBlockWeight)
        guard block.transactions[0].isCoinbase else { throw .missingCoinbase }
        if block.transactions.dropFirst().contains(where: \.isCoinbase) { throw .multipleCoinbases }
        try checkEach(block) { (transaction) throws(TransactionRuleError) in try TransactionCheck.check(transaction, maxBlockWeight: maxBlockWeight) }
        try checkSigops(block, maxBlockWeight: maxBlockWeight)
    }

    /// Only the rules that depend on the weight limit (for re-checking once it is exact).
    public static func checkLimits(_ block: Block, maxBlockWeight: Int) throws(BlockRuleError) {
        try checkSize(block, maxBlockWeight: maxBlockWeight)
        try checkEach(block) { (transaction) throws(TransactionRuleError) in try TransactionCheck.checkSize(transaction, maxBlockWeight: maxBlockWeight) }
        try checkSigops(block, maxBlockWeight: maxBlockWeight)
    }

    /// Applies a transaction rule to every transaction; the first failure is the block's.
    private static func checkEach(_ block: Block, _ rule: (Transaction) throws(TransactionRuleError) -> Void) throws(BlockRuleError) {
        for transaction in block.transactions {
            do {
                try rule(transaction)
            } catch {
                throw .transaction(error)
            }
        }
    }

    static func checkSize(_ block: Block, maxBlockWeight: Int) throws(BlockRuleError) {
        let scale = SignatureOperations.witnessScaleFactor
        if block.transactions.isEmpty || block.transactions.count * scale > maxBlockWeight || block.strippedSize * scale > maxBlockWeight {
            throw .badLength
        }
    }

    /// Legacy sigops against the sigop-cost limit that goes with `maxBlockWeight`.
    static func checkSigops(_ block: Block, maxBlockWeight: Int) throws(BlockRuleError) {
        let legacySigops = block.transactions.reduce(0) { $0 + SignatureOperations.legacyCount($1) }
        let limit = AdaptiveBlockWeight.sigopCostLimit(forWeightLimit: maxBlockWeight)
        if legacySigops * SignatureOperations.witnessScaleFactor > limit { throw .tooManySigops }
    }
}

/// What contextual checks need to know about the block's place in the chain.
public struct BlockContext: Sendable {
    /// Height the block would have.
    public var height: Int
    /// Median time past of its parent.
    public var parentMedianTimePast: Int64
    /// BIP34: the coinbase must start with the height.
    public var heightInCoinbase: Bool
    /// BIP113: lock times compare against the parent's median time past.
    public var medianTimeLocks: Bool
    /// BIP141: witness commitments are checked.
    public var segwit: Bool
    /// Lowest header version allowed (2 after BIP34, 3 after BIP66, 4 after BIP65).
    public var minimumVersion: Int32
    public var maxBlockWeight: Int

    public init(height: Int, parentMedianTimePast: Int64, heightInCoinbase: Bool, medianTimeLocks: Bool, segwit: Bool,
                minimumVersion: Int32, maxBlockWeight: Int) {
        self.height = height
        self.parentMedianTimePast = parentMedianTimePast
        self.heightInCoinbase = heightInCoinbase
        self.medianTimeLocks = medianTimeLocks
        self.segwit = segwit
        self.minimumVersion = minimumVersion
        self.maxBlockWeight = maxBlockWeight
    }
}

/// Rules that depend on the block's position (Core's `ContextualCheckBlockHeader` time and
/// version rules, and `ContextualCheckBlock`).
public enum ContextualBlockCheck {
    /// Two hours: the furthest a block's time may be ahead of the node's clock.
    public static let maxFutureBlockTime: Int64 = 2 * 60 * 60

    /// Header rules other than difficulty: time after the parent's MTP, not too far in the
    /// future, version not retired.
    public static func checkHeader(_ header: BlockHeader, context: BlockContext, now: Int64) throws(BlockRuleError) {
        if Int64(header.time) <= context.parentMedianTimePast { throw .timeTooOld }
        if Int64(header.time) > now + maxFutureBlockTime { throw .timeTooNew }
        if header.version < context.minimumVersion { throw .badVersion(header.version) }
    }

    /// Finality, BIP34 height, witness commitment and weight.
    public static func check(_ block: Block, context: BlockContext) throws(BlockRuleError) {
        let cutoff = context.medianTimeLocks ? context.parentMedianTimePast : Int64(block.header.time)
        for transaction in block.transactions where !LockTime.isFinal(transaction, height: context.height, time: cutoff) {
            throw .nonFinalTransaction
        }
        if context.heightInCoinbase {
            var expected = ScriptBuilder()
            expected.add(number: Int64(context.height))
            guard let coinbase = block.transactions.first, coinbase.inputs[0].scriptSig.starts(with: expected.bytes) else {
                throw .badCoinbaseHeight
            }
        }
        var hasWitnessCommitment = false
        if context.segwit, let index = block.witnessCommitmentIndex, let coinbase = block.transactions.first {
            let reserved = coinbase.inputs[0].witness
            guard reserved.count == 1, reserved[0].count == 32 else { throw .badWitnessNonceSize }
            let commitment = Block.witnessCommitment(witnessRoot: block.computeWitnessMerkleRoot(), reservedValue: reserved[0])
            guard coinbase.outputs[index].scriptPubKey[6..<38].elementsEqual(commitment.bytes) else { throw .badWitnessMerkleMatch }
            hasWitnessCommitment = true
        }
        if !hasWitnessCommitment && block.transactions.contains(where: \.hasWitness) { throw .unexpectedWitness }
        if block.weight > context.maxBlockWeight { throw .badWeight }
    }
}
