import ByteCodec
import ChainCrypto

/// A block: header and transactions.
public struct Block: Hashable, Sendable {
    /// Bitcoin's consensus weight limit (regtest keeps it; main/test adapt it, see ChainParams).
    public static let bitcoinMaxWeight = 4_000_000
    /// A serialized block never exceeds this many bytes on the wire (Bitcoin's MAX_BLOCK_SERIALIZED_SIZE).
    public static let maxSerializedSize = 4_000_000

    public var header: BlockHeader
    public var transactions: [Transaction]

    public init(header: BlockHeader, transactions: [Transaction]) {
        self.header = header
        self.transactions = transactions
    }

    public var hash: BlockHash { header.hash }

    /// Merkle root of the txids, and whether the tree is malleable by duplicated leaves (CVE-2012-2459).
    public func computeMerkleRoot() -> (root: Hash256, mutated: Bool) {
        MerkleTree.root(of: transactions.map(\.txid.hash))
    }

    /// Merkle root of the wtxids with the coinbase's replaced by zero (BIP141).
    public func computeWitnessMerkleRoot() -> Hash256 {
        var leaves = transactions.map(\.wtxid.hash)
        if !leaves.isEmpty { leaves[0] = .zero }
        return MerkleTree.root(of: leaves).root
    }

    /// Index of the coinbase output carrying the witness commitment (the last matching one).
    public var witnessCommitmentIndex: Int? {
        guard let coinbase = transactions.first else { return nil }
        return coinbase.outputs.lastIndex { output in
            output.scriptPubKey.count >= 38 && output.scriptPubKey.starts(with: Block.witnessCommitmentHeader)
        }
    }

    /// `OP_RETURN PUSH36 0xaa21a9ed`: the prefix of a witness commitment output.
    public static let witnessCommitmentHeader: [UInt8] = [0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed]

    /// The commitment value `SHA256d(witness root ‖ reserved value)`.
    public static func witnessCommitment(witnessRoot: Hash256, reservedValue: [UInt8]) -> Hash256 {
        Hashing.sha256d(witnessRoot.bytes + reservedValue)
    }

    /// Size in bytes without witness data (from the transactions' known sizes).
    public var strippedSize: Int {
        BlockHeader.size + ByteWriter.compactSizeLength(transactions.count) + transactions.reduce(0) { $0 + $1.baseSize }
    }

    /// Size in bytes of the full serialization.
    public var totalSize: Int {
        BlockHeader.size + ByteWriter.compactSizeLength(transactions.count) + transactions.reduce(0) { $0 + $1.totalSize }
    }

    /// BIP141 block weight.
    public var weight: Int { strippedSize * 3 + totalSize }

    /// The block serialized with transactions stripped of witness data.
    public var serializedWithoutWitness: [UInt8] {
        var writer = ByteWriter()
        header.encode(to: &writer)
        writer.writeCompactSize(transactions.count)
        for transaction in transactions { writer.write(transaction.serializedWithoutWitness) }
        return writer.bytes
    }
}

extension Block: BinaryCodable {
    /// Smallest transaction the decoder accepts: version, an empty input vector, a zero flag
    /// byte (which ends the vectors) and the lock time. Consensus rejects it later; decoding
    /// must not.
    static let minimumTransactionSize = 10

    public init(from reader: inout ByteReader) throws(DecodingError) {
        header = try BlockHeader(from: &reader)
        let count = try reader.readCount(minimumElementSize: Self.minimumTransactionSize)
        var transactions: [Transaction] = []
        transactions.reserveCapacity(count)
        for _ in 0..<count { transactions.append(try Transaction(from: &reader)) }
        self.transactions = transactions
    }

    public func encode(to writer: inout ByteWriter) {
        header.encode(to: &writer)
        writer.writeCompactSize(transactions.count)
        for transaction in transactions { transaction.encode(to: &writer) }
    }
}
