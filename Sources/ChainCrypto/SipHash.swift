/// SipHash-2-4 with a 128-bit key, as Bitcoin uses for compact block short ids and
/// hash-table salting.
public struct SipHash: Sendable {
    private var v0: UInt64, v1: UInt64, v2: UInt64, v3: UInt64
    private var tail: UInt64 = 0
    private var count: Int = 0

    /// Starts a hash keyed by `k0` (bytes 0-7 of the key, little-endian) and `k1` (bytes 8-15).
    public init(k0: UInt64, k1: UInt64) {
        v0 = 0x736f_6d65_7073_6575 ^ k0
        v1 = 0x646f_7261_6e64_6f6d ^ k1
        v2 = 0x6c79_6765_6e65_7261 ^ k0
        v3 = 0x7465_6462_7974_6573 ^ k1
    }

    /// A key from the first 16 bytes of `bytes` as two little-endian words, as Bitcoin keys
    /// compact-block short ids and block filters by a hash (missing bytes count as zero).
    public static func key(from bytes: some Collection<UInt8>) -> (k0: UInt64, k1: UInt64) {
        let prefix = Array(bytes.prefix(16)) + [UInt8](repeating: 0, count: max(0, 16 - bytes.count))
        func word(_ offset: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(prefix[offset + $1]) << (8 * UInt64($1)) } }
        return (word(0), word(8))
    }

    @inline(__always)
    private mutating func round() {
        v0 &+= v1; v1 = v1.rotatedLeft(13); v1 ^= v0; v0 = v0.rotatedLeft(32)
        v2 &+= v3; v3 = v3.rotatedLeft(16); v3 ^= v2
        v0 &+= v3; v3 = v3.rotatedLeft(21); v3 ^= v0
        v2 &+= v1; v1 = v1.rotatedLeft(17); v1 ^= v2; v2 = v2.rotatedLeft(32)
    }

    @inline(__always)
    private mutating func compress(_ word: UInt64) {
        v3 ^= word
        round(); round()
        v0 ^= word
    }

    /// Feeds bytes.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            tail |= UInt64(byte) << (8 * UInt64(count & 7))
            count += 1
            if count & 7 == 0 {
                compress(tail)
                tail = 0
            }
        }
    }

    /// Feeds a 64-bit word as 8 little-endian bytes.
    public mutating func update(word: UInt64) {
        if count & 7 == 0 {
            compress(word)
            count += 8
        } else {
            withUnsafeBytes(of: word.littleEndian) { update($0) }
        }
    }

    /// The 64-bit hash of everything fed so far.
    public func finalize() -> UInt64 {
        var state = self
        state.compress(UInt64(truncatingIfNeeded: count) << 56 | state.tail)
        state.v2 ^= 0xff
        state.round(); state.round(); state.round(); state.round()
        return state.v0 ^ state.v1 ^ state.v2 ^ state.v3
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(_ bits: UInt64) -> UInt64 { (self << bits) | (self >> (64 - bits)) }
}
