/// Why a block is invalid, with Bitcoin Core's reject reason as `reason`.
public struct BlockRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Core's short reject reason (`bad-txnmrklroot`, `bad-cb-amount`, ...).
    public let reason: String
    /// Longer explanation for logs.
    public let detail: String
    /// True when the block may be valid with other data for the same header (a mutated block:
    /// the header must not be marked invalid, only this copy discarded).
    public let isMutation: Bool

    public init(_ reason: String, _ detail: String = "", mutation: Bool = false) {
        self.reason = reason
        self.detail = detail
        isMutation = mutation
    }

    public var description: String { detail.isEmpty ? reason : "\(reason): \(detail)" }

    public static let highHash = BlockRuleError("high-hash", "proof of work failed")
    public static let badMerkleRoot = BlockRuleError("bad-txnmrklroot", "hashMerkleRoot mismatch", mutation: true)
    public static let duplicateTransactions = BlockRuleError("bad-txns-duplicate", "duplicate transaction", mutation: true)
    public static let badLength = BlockRuleError("bad-blk-length", "size limits failed")
    public static let missingCoinbase = BlockRuleError("bad-cb-missing", "first tx is not coinbase")
    public static let multipleCoinbases = BlockRuleError("bad-cb-multiple", "more than one coinbase")
    public static let tooManySigops = BlockRuleError("bad-blk-sigops", "out-of-bounds SigOpCount")
    public static let badDifficultyBits = BlockRuleError("bad-diffbits", "incorrect proof of work")
    public static let timeTooOld = BlockRuleError("time-too-old", "block's timestamp is too early")
    public static let timeTooNew = BlockRuleError("time-too-new", "block timestamp too far in the future")
    public static let nonFinalTransaction = BlockRuleError("bad-txns-nonfinal", "contains a non-final transaction")
    public static let badCoinbaseHeight = BlockRuleError("bad-cb-height", "block height mismatch in coinbase")
    public static let badWitnessNonceSize = BlockRuleError("bad-witness-nonce-size", "invalid witness reserved value size", mutation: true)
    public static let badWitnessMerkleMatch = BlockRuleError("bad-witness-merkle-match", "witness merkle commitment mismatch", mutation: true)
    public static let unexpectedWitness = BlockRuleError("unexpected-witness", "unexpected witness data found", mutation: true)
    public static let badWeight = BlockRuleError("bad-blk-weight", "weight limit failed")
    public static let badCoinbaseAmount = BlockRuleError("bad-cb-amount", "coinbase pays too much")
    public static let missingOrSpentInputs = BlockRuleError("bad-txns-inputs-missingorspent", "inputs missing or spent")
    public static let prematureCoinbaseSpend = BlockRuleError("bad-txns-premature-spend-of-coinbase", "tried to spend coinbase before maturity")
    public static let inputValuesOutOfRange = BlockRuleError("bad-txns-inputvalues-outofrange", "input values out of range")
    public static let inputsBelowOutputs = BlockRuleError("bad-txns-in-belowout", "value in < value out")
    public static let feeOutOfRange = BlockRuleError("bad-txns-fee-outofrange", "fee out of range")
    public static let accumulatedFeeOutOfRange = BlockRuleError("bad-txns-accumulated-fee-outofrange", "accumulated fee out of range")
    public static let overwritesUnspent = BlockRuleError("bad-txns-BIP30", "tried to overwrite transaction")
    public static let badPrevBlock = BlockRuleError("bad-prevblk", "previous block invalid")
    /// A block or header already known and marked invalid (Core's `duplicate-invalid`).
    public static let duplicateInvalid = BlockRuleError("duplicate-invalid", "block is marked invalid")

    /// `bad-version(0x…)` for a version the active soft forks retired.
    public static func badVersion(_ version: Int32) -> BlockRuleError {
        let hex = String(UInt32(bitPattern: version), radix: 16)
        let padded = String(repeating: "0", count: max(0, 8 - hex.count)) + hex
        return BlockRuleError("bad-version(0x\(padded))", "rejected nVersion=0x\(padded) block")
    }

    /// A transaction rule broken inside the block.
    public static func transaction(_ error: TransactionRuleError) -> BlockRuleError {
        BlockRuleError(error.rawValue, "transaction check failed")
    }

    /// A script failure while connecting (Core: `block-script-verify-flag-failed (...)`).
    public static func script(_ name: String, transaction: String, input: Int) -> BlockRuleError {
        BlockRuleError("block-script-verify-flag-failed (\(name))", "input \(input) of \(transaction)")
    }
}
