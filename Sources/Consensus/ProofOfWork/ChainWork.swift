/// The total expected work of a chain: the sum of `ProofOfWork.blockProof` over its blocks
/// (Core's `nChainWork`). The chain with the most work is the best chain.
public struct ChainWork: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The amount of work, in expected hashes.
    public let value: UInt256

    /// No work (the work before the genesis block).
    public static let zero = ChainWork(.zero)

    /// Work of the given amount.
    public init(_ value: UInt256) { self.value = value }

    /// The work of one block with the target `bits`.
    public init(bits: UInt32) { value = ProofOfWork.blockProof(bits: bits) }

    /// The work of this chain extended by a block with the target `bits`.
    public func adding(bits: UInt32) -> ChainWork { self + ChainWork(bits: bits) }

    /// The sum, saturating at 2^256 − 1 where Core's `arith_uint256` would wrap. Neither is
    /// reachable: getting there takes more than 2^255 expected hashes.
    public static func + (lhs: ChainWork, rhs: ChainWork) -> ChainWork {
        let (sum, overflow) = lhs.value.addingReportingOverflow(rhs.value)
        return ChainWork(overflow ? .max : sum)
    }

    /// Less work first.
    public static func < (lhs: ChainWork, rhs: ChainWork) -> Bool { lhs.value < rhs.value }

    /// 64 hex digits, as `getblockchaininfo`'s `chainwork`.
    public var description: String { value.description }
}

extension ChainWork {
    /// The work as a floating-point number (for hash-rate estimates, not for consensus).
    public var doubleValue: Double {
        value.littleEndianBytes.reversed().reduce(0.0) { $0 * 256 + Double($1) }
    }
}
