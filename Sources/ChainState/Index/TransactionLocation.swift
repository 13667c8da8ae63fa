import ByteCodec
import ChainTypes

/// Where a transaction is: its block and position in it (the `-txindex` record).
public struct TransactionLocation: Hashable, Sendable, BinaryCodable {
    public var block: BlockHash
    public var position: Int

    public init(block: BlockHash, position: Int) {
        self.block = block
        self.position = position
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        block = try BlockHash(from: &reader)
        let value = try VarInt.read(from: &reader)
        guard value <= UInt64(Int32.max) else { throw .invalid("transaction position out of range") }
        position = Int(value)
    }

    public func encode(to writer: inout ByteWriter) {
        block.encode(to: &writer)
        VarInt.write(UInt64(position), to: &writer)
    }
}
