/// ASERT, Bitcoin Cash's aserti3-2d difficulty algorithm (spec `2020-11-15-asert.md`; BCHN's
/// `CalculateASERT`), in integer arithmetic only.
///
/// The next target is the anchor's target times
/// `2^((timeDelta − spacing × (heightDelta + 1)) / halfLife)`, where `timeDelta` is the parent
/// block's time minus the anchor's parent's time and `heightDelta` the parent's height minus
/// the anchor's. The exponent is kept in 16.16 fixed point (truncating division, as C++);
/// its integer part is a shift (floor) and its fractional part goes through the spec's cubic
/// approximation of `2^x`. The result is clamped to `1...powLimit`.
///
/// Where BCHN asserts (`powLimit < 2^224`, `|timeDelta − spacing × heightDelta| < 2^47`), this
/// version stays exact instead: the product of target and factor keeps its high bits (up to
/// 2^273) and the exponent is computed in 128 bits, so every input gives the value unbounded
/// arithmetic would give, and no input traps. Inside BCHN's domain the results are identical.
public enum ASERT {
    /// Fractional bits of the fixed-point exponent.
    public static let radixBits = 16

    /// The next target (`CalculateASERT`).
    ///
    /// - Parameters:
    ///   - anchorTarget: the anchor block's target.
    ///   - targetSpacing: seconds per block; with `halfLife`, must be positive, otherwise the
    ///     anchor target (clamped to `1...powLimit`) is returned unchanged.
    ///   - halfLife: seconds of schedule drift that double or halve the target.
    ///   - timeDelta: parent time − anchor parent time (may be negative).
    ///   - heightDelta: parent height − anchor height.
    ///   - powLimit: the easiest allowed target.
    public static func nextTarget(
        anchorTarget: UInt256, targetSpacing: Int64, halfLife: Int64, timeDelta: Int64, heightDelta: UInt64,
        powLimit: UInt256
    ) -> UInt256 {
        guard targetSpacing > 0, halfLife > 0 else { return clamp(anchorTarget, powLimit: powLimit) }
        let exponent = fixedPointExponent(
            targetSpacing: targetSpacing, halfLife: halfLife, timeDelta: timeDelta, heightDelta: heightDelta)
        let shifts = exponent >> radixBits  // arithmetic: floor
        let fraction = UInt64(truncatingIfNeeded: exponent & 0xffff)
        let factor = factor(fraction: fraction)

        // anchorTarget × factor, as 256 low bits plus the bits above 2^256 (factor < 2^17).
        let (high, low) = anchorTarget.multipliedFullWidth(by: factor)

        // Multiply by 2^(shifts − 16).
        let shift = shifts - Int128(radixBits)
        let result: UInt256
        if shift > 0 {
            // Shifting left: any bit pushed past 2^256 makes the target exceed powLimit.
            guard high == 0, shift < 256 else { return powLimit }
            let shifted = low << Int(shift)
            guard shifted >> Int(shift) == low else { return powLimit }
            result = shifted
        } else {
            let right = -shift
            if right >= 256 + 64 {
                result = .zero
            } else if right >= 256 {
                result = UInt256(high >> UInt64(right - 256))
            } else {
                let bits = Int(right)
                // Bits of `high` that remain above 2^256 after the shift mean overflow.
                if bits < 64, high >> UInt64(bits) != 0 { return powLimit }
                result = (low >> bits) | (UInt256(high) << (256 - bits))
            }
        }
        return clamp(result, powLimit: powLimit)
    }

    /// The next compact target for a block whose parent has height `parentHeight` and time
    /// `parentTime`, scheduled from `anchorBits` at `anchorHeight` whose parent has time
    /// `anchorParentTime` (`GetNextASERTWorkRequired` without the testnet rule). `nil` if the
    /// parent is below the anchor.
    public static func nextBits(
        parentHeight: UInt64, parentTime: Int64, anchorHeight: UInt64, anchorBits: UInt32, anchorParentTime: Int64,
        targetSpacing: Int64, halfLife: Int64, powLimit: UInt256
    ) -> UInt32? {
        guard parentHeight >= anchorHeight else { return nil }
        let (timeDelta, overflow) = parentTime.subtractingReportingOverflow(anchorParentTime)
        let saturatedDelta = overflow ? (parentTime < 0 ? Int64.min : Int64.max) : timeDelta
        return nextTarget(
            anchorTarget: UInt256(compact: anchorBits), targetSpacing: targetSpacing, halfLife: halfLife,
            timeDelta: saturatedDelta, heightDelta: parentHeight - anchorHeight, powLimit: powLimit
        ).compact()
    }

    /// `((timeDelta − spacing × (heightDelta + 1)) × 65536) / halfLife`, truncated toward zero.
    /// The difference is limited to ±2^100 first: beyond that the shift exceeds 2^37 bits either
    /// way, so the result saturates whatever the exact value, and the product cannot overflow.
    static func fixedPointExponent(targetSpacing: Int64, halfLife: Int64, timeDelta: Int64, heightDelta: UInt64) -> Int128 {
        let ideal = Int128(targetSpacing) * (Int128(heightDelta) + 1)  // < 2^63 × 2^64: fits
        let bound = Int128(1) << 100
        let drift = Swift.min(Swift.max(Int128(timeDelta) - ideal, -bound), bound)
        return (drift << radixBits) / Int128(halfLife)
    }

    /// `65536 × 2^(fraction / 65536)` by the spec's cubic, for `fraction < 65536`. The sum
    /// stays below 2^64 (at 65535 it is 18446563080438344768), so wrapping operators never wrap.
    static func factor(fraction: UInt64) -> UInt64 {
        let x = fraction & 0xffff
        let polynomial = 195_766_423_245_049 &* x
            &+ 971_821_376 &* x &* x
            &+ 5127 &* x &* x &* x
            &+ (1 << 47)
        return 65536 + (polynomial >> 48)
    }

    static func clamp(_ target: UInt256, powLimit: UInt256) -> UInt256 {
        if target.isZero { return .one }  // 0 is not a valid target, 1 is
        return Swift.min(target, powLimit)
    }
}
