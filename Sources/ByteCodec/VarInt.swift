/// Bitcoin Core's `VARINT` (the MSB base-128 encoding with the "+1" offset of serialize.h):
/// every value has exactly one encoding. Used in storage keys and records, not on the wire.
public enum VarInt {
    /// Appends the encoding of `value`.
    @inlinable
    public static func write(_ value: UInt64, to writer: inout ByteWriter) {
        // At most 10 digits, produced least significant first into a stack buffer.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { scratch in
            var length = 0
            var n = value
            while true {
                scratch[length] = UInt8(n & 0x7f) | (length > 0 ? 0x80 : 0)
                if n <= 0x7f { break }
                n = (n >> 7) - 1
                length += 1
            }
            for index in stride(from: length, through: 0, by: -1) { writer.write(scratch[index]) }
        }
    }

    /// Reads one value; throws on truncation or a value above `UInt64.max`.
    public static func read(from reader: inout ByteReader) throws(DecodingError) -> UInt64 {
        var n: UInt64 = 0
        while true {
            let byte = try reader.readUInt8()
            guard n <= (UInt64.max >> 7) else { throw .invalid("VARINT too large") }
            n = (n << 7) | UInt64(byte & 0x7f)
            if byte & 0x80 == 0 { return n }
            guard n != UInt64.max else { throw .invalid("VARINT too large") }
            n += 1
        }
    }
}
