import ByteCodec
import ChainCrypto

/// The 80-byte block header.
public struct BlockHeader: Hashable, Sendable {
    public static let size = 80

    public var version: Int32
    public var previousBlockHash: BlockHash
    public var merkleRoot: Hash256
    public var time: UInt32
    /// Compact encoding of the proof-of-work target.
    public var bits: UInt32
    public var nonce: UInt32

    public init(version: Int32, previousBlockHash: BlockHash, merkleRoot: Hash256, time: UInt32, bits: UInt32, nonce: UInt32) {
        self.version = version
        self.previousBlockHash = previousBlockHash
        self.merkleRoot = merkleRoot
        self.time = time
        self.bits = bits
        self.nonce = nonce
    }

    /// SHA256d of the serialized header.
    public var hash: BlockHash { BlockHash(Hashing.sha256d(serialized)) }
}

extension BlockHeader: BinaryCodable {
    public init(from reader: inout ByteReader) throws(DecodingError) {
        version = try reader.readInt32LE()
        previousBlockHash = try BlockHash(from: &reader)
        merkleRoot = try Hash256(from: &reader)
        time = try reader.readUInt32LE()
        bits = try reader.readUInt32LE()
        nonce = try reader.readUInt32LE()
    }

    public func encode(to writer: inout ByteWriter) {
        writer.writeInt32LE(version)
        previousBlockHash.encode(to: &writer)
        merkleRoot.encode(to: &writer)
        writer.writeUInt32LE(time)
        writer.writeUInt32LE(bits)
        writer.writeUInt32LE(nonce)
    }
}
