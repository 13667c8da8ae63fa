/// Appends Bitcoin-style serialized data to a growing byte array.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: UInt8) { bytes.append(value) }

    @inline(__always)
    private mutating func writeLittleEndian<T: FixedWidthInteger>(_ value: T) {
        var remaining = value
        for _ in 0..<MemoryLayout<T>.size {
            bytes.append(UInt8(truncatingIfNeeded: remaining))
            remaining >>= 8
        }
    }

    public mutating func writeUInt16LE(_ value: UInt16) { writeLittleEndian(value) }
    public mutating func writeUInt32LE(_ value: UInt32) { writeLittleEndian(value) }
    public mutating func writeUInt64LE(_ value: UInt64) { writeLittleEndian(value) }
    public mutating func writeInt32LE(_ value: Int32) { writeLittleEndian(UInt32(bitPattern: value)) }
    public mutating func writeInt64LE(_ value: Int64) { writeLittleEndian(UInt64(bitPattern: value)) }
    public mutating func writeUInt16BE(_ value: UInt16) { writeLittleEndian(value.byteSwapped) }
    public mutating func writeUInt32BE(_ value: UInt32) { writeLittleEndian(value.byteSwapped) }

    public mutating func write<Bytes: Sequence>(_ data: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: data)
    }

    /// Writes `value` as a canonical CompactSize.
    public mutating func writeCompactSize(_ value: Int) {
        writeCompactSize(UInt64(value))
    }

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
    public mutating func writeVarBytes<Bytes: Collection>(_ data: Bytes) where Bytes.Element == UInt8 {
        writeCompactSize(data.count)
        bytes.append(contentsOf: data)
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
