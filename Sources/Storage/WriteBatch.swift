import ByteCodec

/// Writes applied to a store atomically: after a crash either all of them are visible or none.
///
/// The changes are packed into one buffer (no allocation per key or value), and callers may
/// serialize keys and values straight into it; stores walk them with `forEachChange`.
public struct WriteBatch: Sendable {
    /// One change, decoded (for stores and tests that want values).
    public enum Operation: Sendable, Equatable {
        case put(ColumnFamily, key: [UInt8], value: [UInt8])
        case delete(ColumnFamily, key: [UInt8])
    }

    /// Families in order of first use; each record names one by position.
    public private(set) var families: [ColumnFamily] = []
    /// Per change: family position (UInt8), kind (0 put, 1 delete), key length (UInt32 LE), key,
    /// and for a put the value length (UInt32 LE) and value.
    private var records = ByteWriter()
    /// Number of changes.
    public private(set) var count = 0

    public init() {}

    /// An empty batch with room for about `bytes` of keys and values, so a large batch is not
    /// copied as it grows.
    public init(reservingBytes bytes: Int) {
        records = ByteWriter(capacity: bytes)
    }

    public mutating func put(_ value: [UInt8], forKey key: [UInt8], in family: ColumnFamily) {
        put(in: family, key: { $0.write(key) }, value: { $0.write(value) })
    }

    public mutating func delete(_ key: [UInt8], in family: ColumnFamily) {
        delete(in: family, key: { $0.write(key) })
    }

    /// A put whose key and value are serialized straight into the batch.
    public mutating func put(in family: ColumnFamily, key: (inout ByteWriter) -> Void, value: (inout ByteWriter) -> Void) {
        beginRecord(family, kind: 0)
        writeSized(key)
        writeSized(value)
    }

    /// A delete whose key is serialized straight into the batch.
    public mutating func delete(in family: ColumnFamily, key: (inout ByteWriter) -> Void) {
        beginRecord(family, kind: 1)
        writeSized(key)
    }

    private mutating func beginRecord(_ family: ColumnFamily, kind: UInt8) {
        let position: Int
        if let known = families.firstIndex(of: family) {
            position = known
        } else {
            position = families.count
            families.append(family)
        }
        records.write(UInt8(truncatingIfNeeded: position))
        records.write(kind)
        count += 1
    }

    private mutating func writeSized(_ body: (inout ByteWriter) -> Void) {
        let start = records.count
        records.writeUInt32LE(0)
        body(&records)
        records.overwriteUInt32LE(UInt32(truncatingIfNeeded: records.count - start - 4), at: start)
    }

    /// Calls `body` with every change in order: the family's position in `families`, the key,
    /// and the value (nil for a delete). The buffers are valid only during the call.
    public func forEachChange(_ body: (_ family: Int, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) -> Void) {
        records.bytes.withUnsafeBytes { buffer in
            var offset = 0
            func sized() -> UnsafeRawBufferPointer {
                let length = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                defer { offset += 4 + length }
                return UnsafeRawBufferPointer(rebasing: buffer[(offset + 4)..<(offset + 4 + length)])
            }
            while offset < buffer.count {
                let family = Int(buffer[offset]), isPut = buffer[offset + 1] == 0
                offset += 2
                let key = sized()
                body(family, key, isPut ? sized() : nil)
            }
        }
    }

    /// Every change, decoded.
    public var operations: [Operation] {
        var result: [Operation] = []
        result.reserveCapacity(count)
        forEachChange { (family: Int, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) in
            if let value {
                result.append(.put(families[family], key: Array(key), value: Array(value)))
            } else {
                result.append(.delete(families[family], key: Array(key)))
            }
        }
        return result
    }
}
