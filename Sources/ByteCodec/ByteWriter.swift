/// Appends Bitcoin-style serialized data to a growing byte array. Inlinable: serialization is
/// on every hot path (txids, sighashes, storage), and specialized appends are plain copies.
public struct ByteWriter: Sendable {
    @usableFromInline var storage: [UInt8]

    /// Everything written so far.
    @inlinable public var bytes: [UInt8] { storage }

    @inlinable
    public init(capacity: Int = 0) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    /// Bytes written so far.
    @inlinable public var count: Int { storage.count }

    @inlinable
    public mutating func write(_ value: UInt8) { storage.append(value) }

    /// Replaces the four bytes at `offset` (already written) with `value`, little-endian: for
    /// length prefixes known only after what they count was written.
    @inlinable
    public mutating func overwriteUInt32LE(_ value: UInt32, at offset: Int) {
        precondition(offset >= 0 && offset + 4 <= storage.count, "overwrite outside what was written")
        storage.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
    }

    @inlinable
    mutating func writeLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { storage.append(contentsOf: $0) }
    }

    @inlinable
    public mutating func writeUInt16LE(_ value: UInt16) { writeLittleEndian(value) }
    @inlinable
    public mutating func writeUInt32LE(_ value: UInt32) { writeLittleEndian(value) }
    @inlinable
    public mutating func writeUInt64LE(_ value: UInt64) { writeLittleEndian(value) }
    @inlinable
    public mutating func writeInt32LE(_ value: Int32) { writeLittleEndian(UInt32(bitPattern: value)) }
    @inlinable
    public mutating func writeInt64LE(_ value: Int64) { writeLittleEndian(UInt64(bitPattern: value)) }
    @inlinable
    public mutating func writeUInt16BE(_ value: UInt16) { writeLittleEndian(value.byteSwapped) }
    @inlinable
    public mutating func writeUInt32BE(_ value: UInt32) { writeLittleEndian(value.byteSwapped) }

    @inlinable
    public mutating func write<Bytes: Sequence>(_ data: Bytes) where Bytes.Element == UInt8 {
        storage.append(contentsOf: data)
    }

    /// Writes `value` as a canonical CompactSize.
    @inlinable
    public mutating func writeCompactSize(_ value: Int) {
        writeCompactSize(UInt64(value))
    }

    @inlinable
    public mutating func writeCompactSize(_ value: UInt64) {
        switch value {
        case 0..<0xfd:
            write(UInt8(value))
        case 0xfd...0xffff:
            write(0xfd)
            writeUInt16LE(UInt16(value))
        case 0x1_0000...0xffff_ffff:
            write(0xfe)
            writeUInt32LE(UInt32(value))
        default:
            write(0xff)
            writeUInt64LE(value)
        }
    }

    /// Writes a CompactSize length followed by the bytes.
    @inlinable
    public mutating func writeVarBytes<Bytes: Collection>(_ data: Bytes) where Bytes.Element == UInt8 {
        writeCompactSize(data.count)
        storage.append(contentsOf: data)
    }

    /// The number of bytes `writeCompactSize(value)` produces.
    public static func compactSizeLength(_ value: Int) -> Int {
        switch value {
        case ..<0xfd: 1
        case 0xfd...0xffff: 3
        case 0x1_0000...0xffff_ffff: 5
        default: 9
        }
    }
}
