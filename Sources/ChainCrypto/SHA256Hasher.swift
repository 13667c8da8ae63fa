import COpenSSLCrypto
import Foundation

/// Incremental SHA-256 on libcrypto's low-level context: a plain value (copying it forks the
/// state, as tagged-hash prefixes need) that hashes without allocating. Bitcoin hashes many
/// short messages (sighashes, txids, merkle nodes), where this is about twice as fast as
/// swift-crypto's `SHA256`, whose context lives on the heap (measured here: 81 vs 174 ns for a
/// 72-byte message; Docs/ChainState.md, "Connection throughput").
public struct SHA256Hasher: @unchecked Sendable {
    // A C struct of integers and a byte buffer: copied by value, no references inside.
    private var context = SHA256_CTX()

    public init() {
        SHA256_Init(&context)
    }

    /// Feeds `bytes`.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        SHA256_Update(&context, base, bytes.count)
    }

    /// Feeds an array's bytes (the common case, without walking `DataProtocol` regions).
    @inlinable
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds `data` (any contiguous or segmented bytes).
    @inlinable
    public mutating func update(_ data: some DataProtocol) {
        for region in data.regions {
            region.withUnsafeBytes { update($0) }
        }
    }

    /// Feeds a hash's 32 bytes in internal order.
    @inlinable
    public mutating func update(_ hash: Hash256) {
        hash.withUnsafeBytes { update($0) }
    }

    /// Feeds an integer's little-endian bytes.
    @inlinable
    public mutating func update(littleEndian value: some FixedWidthInteger) {
        withUnsafeBytes(of: value.littleEndian) { update($0) }
    }

    /// Feeds `value` as a canonical CompactSize (as a length prefix is serialized).
    @inlinable
    public mutating func update(compactSize value: Int) {
        switch value {
        case ..<0xfd: update(littleEndian: UInt8(truncatingIfNeeded: value))
        case 0xfd...0xffff:
            update(littleEndian: UInt8(0xfd))
            update(littleEndian: UInt16(truncatingIfNeeded: value))
        case 0x1_0000...0xffff_ffff:
            update(littleEndian: UInt8(0xfe))
            update(littleEndian: UInt32(truncatingIfNeeded: value))
        default:
            update(littleEndian: UInt8(0xff))
            update(littleEndian: UInt64(truncatingIfNeeded: value))
        }
    }

    /// The SHA-256 of everything fed.
    public consuming func finalize() -> Hash256 {
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &digest) { buffer in
            _ = SHA256_Final(buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), &context)
        }
        return withUnsafeBytes(of: &digest) { Hash256(rawBuffer: $0) }
    }
}
