import ByteCodec

/// A 32-byte hash (txid, block hash, sighash, merkle node) in internal byte order.
/// Bitcoin displays these reversed; `displayHex` does that.
public struct Hash256: Hashable, Sendable, Comparable, CustomStringConvertible {
    // The 32 bytes as four little-endian words, so equality and hashing are four word compares.
    @usableFromInline var w0: UInt64
    @usableFromInline var w1: UInt64
    @usableFromInline var w2: UInt64
    @usableFromInline var w3: UInt64

    /// All zero bytes.
    public static let zero = Hash256(words: 0, 0, 0, 0)

    @inlinable
    init(words w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    /// Builds a hash from exactly 32 bytes in internal order; `nil` for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var words: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.enumerated() {
            words[index / 8] |= UInt64(byte) << (8 * UInt64(index % 8))
        }
        self.init(words: words[0], words[1], words[2], words[3])
    }

    /// Builds a hash from a SHA-256 digest's 32 bytes (an invariant of the callers, all in this module).
    @inlinable
    init(rawBuffer: UnsafeRawBufferPointer) {
        precondition(rawBuffer.count >= 32, "digest shorter than 32 bytes")
        self.init(
            words: UInt64(littleEndian: rawBuffer.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            UInt64(littleEndian: rawBuffer.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            UInt64(littleEndian: rawBuffer.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            UInt64(littleEndian: rawBuffer.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
    }

    /// Parses Bitcoin's reversed display hex (64 characters).
    public init?(displayHex: some StringProtocol) {
        guard displayHex.utf8.count == 64, let bytes = [UInt8](hex: displayHex) else { return nil }
        self.init(bytes: bytes.reversed())
    }

    /// The 32 bytes in internal order.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        for (wordIndex, word) in [w0, w1, w2, w3].enumerated() {
            for byteIndex in 0..<8 {
                out[wordIndex * 8 + byteIndex] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(byteIndex)))
            }
        }
        return out
    }

    /// Calls `body` with the 32 bytes in internal order, without allocating.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var words = (w0.littleEndian, w1.littleEndian, w2.littleEndian, w3.littleEndian)
        return try Swift.withUnsafeBytes(of: &words) { try body($0) }
    }

    /// Calls `body` with a pointer to the 32 bytes in internal order, for C APIs.
    @inlinable
    public func withUnsafeBytePointer<R>(_ body: (UnsafePointer<UInt8>) throws -> R) rethrows -> R {
        var words = (w0.littleEndian, w1.littleEndian, w2.littleEndian, w3.littleEndian)
        return try Swift.withUnsafePointer(to: &words) { pointer in
            try pointer.withMemoryRebound(to: UInt8.self, capacity: 32) { try body($0) }
        }
    }

    /// Reversed hex, as Bitcoin shows txids and block hashes.
    public var displayHex: String { Hex.encode(bytes.reversed()) }

    public var description: String { displayHex }

    /// Compares as 256-bit little-endian numbers (the order Bitcoin uses for PoW targets).
    public static func < (lhs: Hash256, rhs: Hash256) -> Bool {
        if lhs.w3 != rhs.w3 { return lhs.w3 < rhs.w3 }
        if lhs.w2 != rhs.w2 { return lhs.w2 < rhs.w2 }
        if lhs.w1 != rhs.w1 { return lhs.w1 < rhs.w1 }
        return lhs.w0 < rhs.w0
    }

    /// The first 8 bytes as a little-endian integer (a cheap, well-mixed hash-table key).
    public var lowWord: UInt64 { w0 }
}

extension Hash256: BinaryCodable {
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let w0 = try reader.readUInt64LE(), w1 = try reader.readUInt64LE()
        let w2 = try reader.readUInt64LE(), w3 = try reader.readUInt64LE()
        self.init(words: w0, w1, w2, w3)
    }

    @inlinable
    public func encode(to writer: inout ByteWriter) {
        withUnsafeBytes { writer.write($0) }
    }
}
