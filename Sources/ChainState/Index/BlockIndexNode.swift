import ByteCodec
import ChainParams
import ChainTypes
import Consensus

/// One header in the block tree with what is known about it. Nodes are owned by the
/// `ChainState` that created them and are not shared across threads.
public final class BlockIndexNode {
    public let hash: BlockHash
    public let header: BlockHeader
    public let height: Int
    public let parent: BlockIndexNode?
    /// An earlier ancestor (Core's `pskip`), so `ancestor(at:)` takes O(log n) steps.
    let skip: BlockIndexNode?
    /// Total work of the chain ending here.
    public let chainWork: ChainWork
    /// Order of arrival; among equal-work tips the first seen wins.
    public let sequence: Int
    public internal(set) var status: BlockStatus
    /// Transactions in the block (0 until its data is stored).
    public internal(set) var transactionCount: Int
    /// BIP141 weight of the block (0 until its data is stored).
    public internal(set) var weight: Int
    /// The weight limit that applied to this block (set when connected).
    public internal(set) var weightLimit: Int

    init(hash: BlockHash, header: BlockHeader, parent: BlockIndexNode?, sequence: Int) {
        self.hash = hash
        self.header = header
        self.parent = parent
        let height = (parent?.height ?? -1) + 1
        self.height = height
        skip = parent?.ancestor(at: Self.skipHeight(height))
        self.chainWork = (parent?.chainWork ?? .zero) + ChainWork(bits: header.bits)
        self.sequence = sequence
        status = []
        transactionCount = 0
        weight = 0
        weightLimit = 0
    }

    /// Median of the times of this block and its up to ten predecessors (BIP113).
    public var medianTimePast: Int64 {
        var times: [Int64] = []
        times.reserveCapacity(11)
        var node: BlockIndexNode? = self
        while let current = node, times.count < 11 {
            times.append(Int64(current.header.time))
            node = current.parent
        }
        times.sort()
        return times[times.count / 2]
    }

    /// The ancestor at `height` (self if equal), or nil above this node. Follows skip links as
    /// Core's `GetAncestor`: a skip is taken unless the parent's skip gets closer.
    public func ancestor(at height: Int) -> BlockIndexNode? {
        guard height >= 0, height <= self.height else { return nil }
        var node = self
        while node.height > height {
            let skipHeight = Self.skipHeight(node.height)
            let previousSkipHeight = Self.skipHeight(node.height - 1)
            if let skip = node.skip,
                skipHeight == height || (skipHeight > height && !(previousSkipHeight < skipHeight - 2 && previousSkipHeight >= height)) {
                node = skip
            } else if let parent = node.parent {
                node = parent
            } else {
                return nil
            }
        }
        return node
    }

    /// The height a node at `height` skips back to (Core's `GetSkipHeight`): at most about 110
    /// steps reach any ancestor of a node 2^18 deep.
    static func skipHeight(_ height: Int) -> Int {
        guard height >= 2 else { return 0 }
        func clearingLowestOne(_ value: Int) -> Int { value & (value - 1) }
        return height & 1 == 1 ? clearingLowestOne(clearingLowestOne(height - 1)) + 1 : clearingLowestOne(height)
    }
}

/// The stored form of a node: header, height, status, counts.
struct BlockIndexRecord: BinaryCodable {
    var header: BlockHeader
    var height: Int
    var status: BlockStatus
    var transactionCount: Int
    var weight: Int
    var weightLimit: Int
    var sequence: Int

    init(node: BlockIndexNode) {
        header = node.header
        height = node.height
        status = node.status
        transactionCount = node.transactionCount
        weight = node.weight
        weightLimit = node.weightLimit
        sequence = node.sequence
    }

    init(from reader: inout ByteReader) throws(DecodingError) {
        header = try BlockHeader(from: &reader)
        func number() throws(DecodingError) -> Int {
            let value = try VarInt.read(from: &reader)
            guard value <= UInt64(Int.max) else { throw .invalid("block index number out of range") }
            return Int(value)
        }
        height = try number()
        let statusBits = try number()
        guard statusBits <= Int(UInt32.max) else { throw .invalid("block status out of range") }
        status = BlockStatus(rawValue: UInt32(statusBits))
        transactionCount = try number()
        weight = try number()
        weightLimit = try number()
        sequence = try number()
    }

    func encode(to writer: inout ByteWriter) {
        header.encode(to: &writer)
        for value in [height, Int(status.rawValue), transactionCount, weight, weightLimit, sequence] {
            VarInt.write(UInt64(value), to: &writer)
        }
    }
}
