import ByteCodec

/// A reference to one output of a transaction.
public struct OutPoint: Hashable, Sendable, CustomStringConvertible {
    public var txid: TxID
    public var index: UInt32

    public init(txid: TxID, index: UInt32) {
        self.txid = txid
        self.index = index
    }

    /// The null outpoint a coinbase input refers to.
    public static let null = OutPoint(txid: TxID(.zero), index: .max)
    public var isNull: Bool { self == .null }
    public var description: String { "\(txid):\(index)" }

    /// Hashes 8 bytes of the txid and the index: txids are already uniform, so feeding all 32
    /// bytes to the (randomly seeded) hasher buys nothing. Equality still compares everything.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(txid.hash.lowWord ^ UInt64(index))
    }
}

extension OutPoint: BinaryCodable {
    public init(from reader: inout ByteReader) throws(DecodingError) {
        txid = try TxID(from: &reader)
        index = try reader.readUInt32LE()
    }

    public func encode(to writer: inout ByteWriter) {
        txid.encode(to: &writer)
        writer.writeUInt32LE(index)
    }
}
