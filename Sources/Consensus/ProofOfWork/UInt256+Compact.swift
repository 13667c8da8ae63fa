/// The compact ("nBits") encoding of 256-bit numbers, exactly as Bitcoin Core's
/// `arith_uint256::SetCompact` / `GetCompact`.
///
/// A compact value is a base-256 floating-point number: the top byte is the size in bytes
/// (exponent), the low 23 bits the mantissa, and bit 23 (`0x00800000`) a sign.
/// `value = mantissa × 256^(size − 3)`. When `size ≤ 3`, mantissa bytes that fall below the
/// units are dropped (so `0x01123456` is `0x12`).
extension UInt256 {
    /// The result of decoding a compact value: the number and Core's two flags.
    public struct CompactDecoding: Hashable, Sendable {
        /// The magnitude (zero when the encoding shifts every mantissa bit out of 256 bits).
        public var value: UInt256
        /// The sign bit is set and the mantissa is not zero (`pfNegative`).
        public var isNegative: Bool
        /// The number does not fit in 256 bits (`pfOverflow`).
        public var isOverflow: Bool
    }

    /// Decodes `compact` with Core's negative and overflow flags (`SetCompact`).
    public static func decodeCompact(_ compact: UInt32) -> CompactDecoding {
        let size = Int(compact >> 24)
        var word = compact & 0x007f_ffff
        let value: UInt256
        if size <= 3 {
            word >>= 8 * UInt32(3 - size)
            value = UInt256(UInt64(word))
        } else {
            value = UInt256(UInt64(word)) << (8 * (size - 3))
        }
        let isNegative = word != 0 && (compact & 0x0080_0000) != 0
        let isOverflow = word != 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32))
        return CompactDecoding(value: value, isNegative: isNegative, isOverflow: isOverflow)
    }

    /// The magnitude of a compact value, ignoring its flags (`SetCompact` without flags).
    public init(compact: UInt32) {
        self = UInt256.decodeCompact(compact).value
    }

    /// The compact encoding of this number (`GetCompact`). The mantissa is truncated to its
    /// top bytes, never rounded; `negative` sets the sign bit unless the mantissa is zero.
    public func compact(negative: Bool = false) -> UInt32 {
        var size = (significantBitCount + 7) / 8
        var mantissa: UInt32
        if size <= 3 {
            mantissa = UInt32(truncatingIfNeeded: low64 << UInt64(8 * (3 - size)))
        } else {
            mantissa = UInt32(truncatingIfNeeded: (self >> (8 * (size - 3))).low64)
        }
        // Bit 23 is the sign: if the mantissa would set it, move one byte into the exponent.
        if mantissa & 0x0080_0000 != 0 {
            mantissa >>= 8
            size += 1
        }
        var result = mantissa | UInt32(size) << 24
        if negative && mantissa & 0x007f_ffff != 0 { result |= 0x0080_0000 }
        return result
    }
}
