/// Reads Bitcoin-style serialized data from a byte array. Every read checks the remaining length
/// first, and every length prefix is compared with a caller-supplied bound before any allocation.
public struct ByteReader: Sendable {
    /// Bitcoin Core's `MAX_SIZE`: the largest CompactSize a length prefix may carry.
    public static let maxCompactSize = 0x0200_0000

    public let bytes: [UInt8]
    /// Offset of the next byte to read.
    public private(set) var position: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.position = 0
    }

    /// Number of bytes not yet read.
    public var remaining: Int { bytes.count - position }
    public var isAtEnd: Bool { position >= bytes.count }

    /// Throws unless every byte has been consumed.
    public func expectEnd() throws(DecodingError) {
        if remaining != 0 { throw .trailingBytes(count: remaining) }
    }

    @inline(__always)
    private func require(_ count: Int) throws(DecodingError) {
        if count > remaining { throw .truncated(needed: count, available: remaining) }
    }

    public mutating func readUInt8() throws(DecodingError) -> UInt8 {
        try require(1)
        defer { position += 1 }
        return bytes[position]
    }

    @inline(__always)
    private mutating func readLittleEndian<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) throws(DecodingError) -> T {
        let size = MemoryLayout<T>.size
        try require(size)
        var value: T = 0
        for index in 0..<size {
            value |= T(bytes[position + index]) << (8 * index)
        }
        position += size
        return value
    }

    public mutating func readUInt16LE() throws(DecodingError) -> UInt16 { try readLittleEndian(UInt16.self) }
    public mutating func readUInt32LE() throws(DecodingError) -> UInt32 { try readLittleEndian(UInt32.self) }
    public mutating func readUInt64LE() throws(DecodingError) -> UInt64 { try readLittleEndian(UInt64.self) }
    public mutating func readInt32LE() throws(DecodingError) -> Int32 { Int32(bitPattern: try readUInt32LE()) }
    public mutating func readInt64LE() throws(DecodingError) -> Int64 { Int64(bitPattern: try readUInt64LE()) }

    public mutating func readUInt16BE() throws(DecodingError) -> UInt16 { try readUInt16LE().byteSwapped }
    public mutating func readUInt32BE() throws(DecodingError) -> UInt32 { try readUInt32LE().byteSwapped }

    /// Reads exactly `count` bytes.
    public mutating func readBytes(_ count: Int) throws(DecodingError) -> [UInt8] {
        guard count >= 0 else { throw .invalid("negative length") }
        try require(count)
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// Skips `count` bytes.
    public mutating func skip(_ count: Int) throws(DecodingError) {
        try require(count)
        position += count
    }

    /// Reads a CompactSize, rejecting non-canonical encodings and values above `limit`.
    public mutating func readCompactSize(limit: Int = ByteReader.maxCompactSize) throws(DecodingError) -> Int {
        let first = try readUInt8()
        let value: UInt64
        switch first {
        case 0..<0xfd:
            value = UInt64(first)
        case 0xfd:
            value = UInt64(try readUInt16LE())
            if value < 0xfd { throw .nonCanonicalCompactSize }
        case 0xfe:
            value = UInt64(try readUInt32LE())
            if value < 0x1_0000 { throw .nonCanonicalCompactSize }
        default:
            value = try readUInt64LE()
            if value < 0x1_0000_0000 { throw .nonCanonicalCompactSize }
        }
        if value > UInt64(limit) { throw .lengthTooLarge(length: value, limit: limit) }
        return Int(value)
    }

    /// Reads a CompactSize length followed by that many bytes. The length is checked against
    /// `maxLength` and against the bytes actually remaining before anything is allocated.
    public mutating func readVarBytes(maxLength: Int = ByteReader.maxCompactSize) throws(DecodingError) -> [UInt8] {
        let length = try readCompactSize(limit: maxLength)
        return try readBytes(length)
    }

    /// Reads a count prefix for `count` elements each at least `minimumElementSize` bytes long,
    /// rejecting counts the remaining input could never satisfy.
    public mutating func readCount(minimumElementSize: Int, limit: Int = ByteReader.maxCompactSize) throws(DecodingError) -> Int {
        let count = try readCompactSize(limit: limit)
        if minimumElementSize > 0, count > remaining / minimumElementSize {
            throw .truncated(needed: count * minimumElementSize, available: remaining)
        }
        return count
    }
}
