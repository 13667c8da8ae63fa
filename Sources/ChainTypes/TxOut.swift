import ByteCodec

/// A transaction output: an amount locked by a script.
public struct TxOut: Hashable, Sendable {
    public var value: Amount
    public var scriptPubKey: [UInt8]

    public init(value: Amount, scriptPubKey: [UInt8]) {
        self.value = value
        self.scriptPubKey = scriptPubKey
    }
}

extension TxOut: BinaryCodable {
    public init(from reader: inout ByteReader) throws(DecodingError) {
        value = Amount(satoshis: try reader.readInt64LE())
        scriptPubKey = try reader.readVarBytes()
    }

    public func encode(to writer: inout ByteWriter) {
        writer.writeInt64LE(value.satoshis)
        writer.writeVarBytes(scriptPubKey)
    }
}
