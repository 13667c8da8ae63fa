import ByteCodec
import ChainTypes

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
