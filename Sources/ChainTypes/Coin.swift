import ByteCodec

/// An unspent output with where it was created (Core's `Coin`): what validation needs of an
/// output a transaction spends.
public struct Coin: Hashable, Sendable {
    public var output: TxOut
    /// Height of the block containing the creating transaction.
    public var height: Int
    public var isCoinbase: Bool

    public init(output: TxOut, height: Int, isCoinbase: Bool) {
        self.output = output
        self.height = height
        self.isCoinbase = isCoinbase
    }
}

extension Coin: BinaryCodable {
    /// `VARINT(height × 2 + coinbase)` then the output, as Core's coin records (without Core's
    /// amount and script compression).
    public func encode(to writer: inout ByteWriter) {
        VarInt.write(UInt64(height) << 1 | (isCoinbase ? 1 : 0), to: &writer)
        output.encode(to: &writer)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        let code = try VarInt.read(from: &reader)
        guard code >> 1 <= UInt64(Int32.max) else { throw .invalid("coin height out of range") }
        height = Int(code >> 1)
        isCoinbase = code & 1 == 1
        output = try TxOut(from: &reader)
    }
}
