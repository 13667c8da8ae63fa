import ByteCodec
import ChainTypes
import Consensus

/// An unspent output with where it was created.
public struct Coin: Hashable, Sendable, SpentCoin {
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

extension OutPoint {
    /// Storage key: txid then `VARINT(index)` (Core's coin key without the 'C' prefix).
    public var storageKey: [UInt8] {
        var writer = ByteWriter(capacity: 37)
        writeStorageKey(to: &writer)
        return writer.bytes
    }

    /// Writes `storageKey`.
    public func writeStorageKey(to writer: inout ByteWriter) {
        txid.encode(to: &writer)
        VarInt.write(UInt64(index), to: &writer)
    }

    /// The first eight bytes of `storageKey` as a big-endian number: sorting by it (then by
    /// index) puts keys in nearly the store's order, which is all a batch needs to insert each
    /// key next to the last.
    var storageOrder: UInt64 { txid.hash.lowWord.byteSwapped }

    /// Parses `storageKey`.
    public init(storageKey: [UInt8]) throws(DecodingError) {
        var reader = ByteReader(storageKey)
        let txid = try TxID(from: &reader)
        let index = try VarInt.read(from: &reader)
        guard index <= UInt64(UInt32.max) else { throw .invalid("output index out of range") }
        try reader.expectEnd()
        self.init(txid: txid, index: UInt32(index))
    }
}
