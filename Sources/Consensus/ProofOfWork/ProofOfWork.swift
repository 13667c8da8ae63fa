import ChainCrypto
import ChainTypes

/// Proof-of-work checks on compact targets, as Bitcoin Core's `pow.cpp` (`DeriveTarget`,
/// `CheckProofOfWork`), `chain.cpp` (`GetBlockProof`) and `rpc/blockchain.cpp`
/// (`GetDifficulty`).
public enum ProofOfWork {
    /// The target `bits` encode, or `nil` when the encoding is negative, zero, overflows 256
    /// bits, or is easier than `powLimit` (Core's `DeriveTarget`).
    public static func target(bits: UInt32, powLimit: UInt256) -> UInt256? {
        let decoded = UInt256.decodeCompact(bits)
        if decoded.isNegative || decoded.value.isZero || decoded.isOverflow || decoded.value > powLimit { return nil }
        return decoded.value
    }

    /// Whether `hash`, read as a 256-bit little-endian number, is at or below the target of
    /// `bits`, and that target is valid and no easier than `powLimit` (`CheckProofOfWork`).
    public static func check(hash: BlockHash, bits: UInt32, powLimit: UInt256) -> Bool {
        guard let target = target(bits: bits, powLimit: powLimit),
              let value = UInt256(littleEndianBytes: hash.hash.bytes)
        else { return false }
        return value <= target
    }

    /// The expected number of hashes to meet the target of `bits`: 2^256 / (target + 1),
    /// computed as `~target / (target + 1) + 1`. Zero for a negative, zero or overflowing
    /// encoding (`GetBlockProof`).
    public static func blockProof(bits: UInt32) -> UInt256 {
        guard let target = target(bits: bits, powLimit: .max) else { return .zero }
        // A compact target is below 2^255, so target + 1 never wraps to zero.
        guard let (quotient, _) = (~target).quotientAndRemainder(dividingBy: target &+ .one) else { return .zero }
        return quotient &+ .one
    }

    /// The difficulty shown by `getdifficulty`: how many times harder `bits` is than the
    /// target `0xffff × 2^208` (compact `0x1d00ffff`), in floating point, for display only
    /// (`GetDifficulty`). A zero mantissa gives infinity.
    public static func difficulty(bits: UInt32) -> Double {
        var shift = Int((bits >> 24) & 0xff)
        var difficulty = Double(0x0000_ffff) / Double(bits & 0x00ff_ffff)
        while shift < 29 {
            difficulty *= 256.0
            shift += 1
        }
        while shift > 29 {
            difficulty /= 256.0
            shift -= 1
        }
        return difficulty
    }
}
