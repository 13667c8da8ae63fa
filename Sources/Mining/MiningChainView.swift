import ChainTypes

/// What block assembly needs to know about the chain (the node adapts its chain state to this).
public struct MiningChainView: Sendable {
    /// Hash of the block the new block builds on.
    public var parentHash: BlockHash
    /// Height of the new block.
    public var height: Int
    /// Median time past of the parent; the new block's time must exceed it.
    public var parentMedianTimePast: Int64
    /// Compact target the new block must meet.
    public var bits: UInt32
    /// Weight limit for the new block.
    public var maxWeight: Int
    /// Sigop-cost limit for the new block.
    public var maxSigopCost: Int
    /// Subsidy for the new block.
    public var subsidy: Amount

    public init(parentHash: BlockHash, height: Int, parentMedianTimePast: Int64, bits: UInt32, maxWeight: Int, maxSigopCost: Int,
                subsidy: Amount) {
        self.parentHash = parentHash
        self.height = height
        self.parentMedianTimePast = parentMedianTimePast
        self.bits = bits
        self.maxWeight = maxWeight
        self.maxSigopCost = maxSigopCost
        self.subsidy = subsidy
    }
}

/// A transaction offered for inclusion, with what selection needs.
public struct CandidateTransaction: Sendable {
    public var transaction: Transaction
    /// What it pays (the coinbase may claim it).
    public var fee: Amount
    /// The fee selection ranks it by: `fee` plus any `prioritisetransaction` delta.
    public var modifiedFee: Amount
    public var sigopCost: Int

    public init(transaction: Transaction, fee: Amount, sigopCost: Int, modifiedFee: Amount? = nil) {
        self.transaction = transaction
        self.fee = fee
        self.modifiedFee = modifiedFee ?? fee
        self.sigopCost = sigopCost
    }
}

/// Where block assembly gets transactions (parents before children).
public protocol TransactionSource {
    func candidateTransactions() -> [CandidateTransaction]
    /// Whether assembly chooses among them by ancestor fee rate (a mempool) rather than taking
    /// them in the order given (transactions a caller named).
    var choosesByFeeRate: Bool { get }
}

extension TransactionSource {
    public var choosesByFeeRate: Bool { false }
}

/// A source offering a fixed list, taken in order (empty: coinbase-only blocks).
public struct FixedTransactions: TransactionSource {
    public let candidates: [CandidateTransaction]
    public init(_ candidates: [CandidateTransaction] = []) { self.candidates = candidates }
    public func candidateTransactions() -> [CandidateTransaction] { candidates }
}

/// A mempool's transactions: assembly picks the most fee by ancestor fee rate.
public struct MempoolTransactions: TransactionSource {
    public let candidates: [CandidateTransaction]
    public init(_ candidates: [CandidateTransaction]) { self.candidates = candidates }
    public func candidateTransactions() -> [CandidateTransaction] { candidates }
    public var choosesByFeeRate: Bool { true }
}
