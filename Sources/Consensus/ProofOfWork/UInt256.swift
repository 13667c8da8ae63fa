/// A 256-bit unsigned integer for proof-of-work targets and chain work, with the semantics of
/// Bitcoin Core's `arith_uint256`: `&+`, `&-` and `~` wrap modulo 2^256; shifts by 256 or more
/// give zero; multiplication and division report overflow and a zero divisor instead of
/// trapping, so no input can crash a caller.
///
/// Deliberately small: only what compact targets, `GetBlockProof` and ASERT need.
public struct UInt256: Hashable, Comparable, Sendable, CustomStringConvertible {
    // Four 64-bit limbs, least significant first.
    @usableFromInline var l0: UInt64
    @usableFromInline var l1: UInt64
    @usableFromInline var l2: UInt64
    @usableFromInline var l3: UInt64

    /// Zero.
    public static let zero = UInt256(0)
    /// One.
    public static let one = UInt256(1)
    /// 2^256 − 1.
    public static let max = UInt256(limbs: .max, .max, .max, .max)

    /// Builds the number from its limbs, least significant first.
    @inlinable
    public init(limbs l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) {
        self.l0 = l0; self.l1 = l1; self.l2 = l2; self.l3 = l3
    }

    /// The value of a 64-bit integer.
    @inlinable
    public init(_ value: UInt64) { self.init(limbs: value, 0, 0, 0) }

    /// Reads 32 bytes as a little-endian number (how Bitcoin reads a block hash for the PoW
    /// check); `nil` for any other length.
    public init?(littleEndianBytes bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var limbs: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.enumerated() {
            limbs[index / 8] |= UInt64(byte) << (8 * UInt64(index % 8))
        }
        self.init(limbs: limbs[0], limbs[1], limbs[2], limbs[3])
    }

    /// Parses up to 64 hex digits, most significant first (an optional `0x` prefix is
    /// allowed); `nil` for anything else.
    public init?(hex: some StringProtocol) {
        var digits = Substring(hex)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.utf8.count <= 64 else { return nil }
        var value = UInt256.zero
        for character in digits {
            guard let digit = character.hexDigitValue else { return nil }
            value = (value << 4) | UInt256(UInt64(digit))
        }
        self = value
    }

    /// The 32 bytes of the number, least significant first.
    public var littleEndianBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for index in 0..<4 {
            let word = limb(index)
            for byte in 0..<8 { out.append(UInt8(truncatingIfNeeded: word >> (8 * UInt64(byte)))) }
        }
        return out
    }

    /// 64 lower-case hex digits, most significant first (Core's `GetHex`).
    public var description: String {
        let digits = Array("0123456789abcdef")
        return String(littleEndianBytes.reversed().flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
    }

    /// The lowest 64 bits (Core's `GetLow64`).
    @inlinable public var low64: UInt64 { l0 }

    /// Whether the value is zero.
    @inlinable public var isZero: Bool { (l0 | l1 | l2 | l3) == 0 }

    /// The position of the highest set bit plus one; 0 for zero (Core's `bits()`).
    public var significantBitCount: Int {
        for index in stride(from: 3, through: 0, by: -1) {
            let word = limb(index)
            if word != 0 { return index * 64 + (64 - word.leadingZeroBitCount) }
        }
        return 0
    }

    @inlinable
    func limb(_ index: Int) -> UInt64 {
        switch index {
        case 0: l0
        case 1: l1
        case 2: l2
        case 3: l3
        default: 0
        }
    }

    @inlinable
    init(limbArray limbs: [UInt64]) {
        self.init(limbs: limbs[0], limbs[1], limbs[2], limbs[3])
    }

    // MARK: Comparison

    /// Numeric order.
    @inlinable
    public static func < (lhs: UInt256, rhs: UInt256) -> Bool {
        if lhs.l3 != rhs.l3 { return lhs.l3 < rhs.l3 }
        if lhs.l2 != rhs.l2 { return lhs.l2 < rhs.l2 }
        if lhs.l1 != rhs.l1 { return lhs.l1 < rhs.l1 }
        return lhs.l0 < rhs.l0
    }

    // MARK: Bitwise

    /// Bitwise complement (2^256 − 1 − value).
    @inlinable
    public static prefix func ~ (value: UInt256) -> UInt256 {
        UInt256(limbs: ~value.l0, ~value.l1, ~value.l2, ~value.l3)
    }

    /// Bitwise or.
    @inlinable
    public static func | (lhs: UInt256, rhs: UInt256) -> UInt256 {
        UInt256(limbs: lhs.l0 | rhs.l0, lhs.l1 | rhs.l1, lhs.l2 | rhs.l2, lhs.l3 | rhs.l3)
    }

    /// Bitwise and.
    @inlinable
    public static func & (lhs: UInt256, rhs: UInt256) -> UInt256 {
        UInt256(limbs: lhs.l0 & rhs.l0, lhs.l1 & rhs.l1, lhs.l2 & rhs.l2, lhs.l3 & rhs.l3)
    }

    /// Shifts left, dropping bits shifted past bit 255; a shift of 256 or more gives zero and a
    /// negative shift shifts right.
    public static func << (lhs: UInt256, rhs: Int) -> UInt256 {
        if rhs < 0 { return lhs >> (0 - Swift.max(rhs, -256)) }
        if rhs >= 256 { return .zero }
        let limbShift = rhs / 64, bitShift = UInt64(rhs % 64)
        var out: [UInt64] = [0, 0, 0, 0]
        for index in limbShift..<4 {
            let source = index - limbShift
            var word = lhs.limb(source) << bitShift
            if bitShift > 0, source > 0 { word |= lhs.limb(source - 1) >> (64 - bitShift) }
            out[index] = word
        }
        return UInt256(limbArray: out)
    }

    /// Shifts right; a shift of 256 or more gives zero and a negative shift shifts left.
    public static func >> (lhs: UInt256, rhs: Int) -> UInt256 {
        if rhs < 0 { return lhs << (0 - Swift.max(rhs, -256)) }
        if rhs >= 256 { return .zero }
        let limbShift = rhs / 64, bitShift = UInt64(rhs % 64)
        var out: [UInt64] = [0, 0, 0, 0]
        for index in 0..<(4 - limbShift) {
            let source = index + limbShift
            var word = lhs.limb(source) >> bitShift
            if bitShift > 0, source < 3 { word |= lhs.limb(source + 1) << (64 - bitShift) }
            out[index] = word
        }
        return UInt256(limbArray: out)
    }

    // MARK: Arithmetic

    /// The sum and whether it exceeded 2^256 − 1 (the sum is then taken modulo 2^256).
    public func addingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        var out: [UInt64] = [0, 0, 0, 0]
        var carry: UInt64 = 0
        for index in 0..<4 {
            let (partial, overflow1) = limb(index).addingReportingOverflow(other.limb(index))
            let (sum, overflow2) = partial.addingReportingOverflow(carry)
            out[index] = sum
            carry = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
        return (UInt256(limbArray: out), carry != 0)
    }

    /// The difference and whether it went below zero (it is then taken modulo 2^256).
    public func subtractingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        var out: [UInt64] = [0, 0, 0, 0]
        var borrow: UInt64 = 0
        for index in 0..<4 {
            let (partial, overflow1) = limb(index).subtractingReportingOverflow(other.limb(index))
            let (difference, overflow2) = partial.subtractingReportingOverflow(borrow)
            out[index] = difference
            borrow = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
        return (UInt256(limbArray: out), borrow != 0)
    }

    /// Sum modulo 2^256 (`arith_uint256::operator+`).
    public static func &+ (lhs: UInt256, rhs: UInt256) -> UInt256 { lhs.addingReportingOverflow(rhs).partialValue }

    /// Difference modulo 2^256 (`arith_uint256::operator-`).
    public static func &- (lhs: UInt256, rhs: UInt256) -> UInt256 { lhs.subtractingReportingOverflow(rhs).partialValue }

    /// The full product with a 64-bit factor: the 256 low bits and the 64 bits above them.
    public func multipliedFullWidth(by factor: UInt64) -> (high: UInt64, low: UInt256) {
        var out: [UInt64] = [0, 0, 0, 0]
        var carry: UInt64 = 0
        for index in 0..<4 {
            let (high, low) = limb(index).multipliedFullWidth(by: factor)
            let (sum, overflow) = low.addingReportingOverflow(carry)
            out[index] = sum
            carry = high &+ (overflow ? 1 : 0)  // high ≤ 2^64 − 2, so this cannot wrap
        }
        return (carry, UInt256(limbArray: out))
    }

    /// The product with a 64-bit factor and whether it exceeded 2^256 − 1 (the product is then
    /// taken modulo 2^256).
    public func multipliedReportingOverflow(by factor: UInt64) -> (partialValue: UInt256, overflow: Bool) {
        let (high, low) = multipliedFullWidth(by: factor)
        return (low, high != 0)
    }

    /// Quotient and remainder of long division; `nil` when `divisor` is zero (where Core's
    /// `arith_uint256` throws).
    public func quotientAndRemainder(dividingBy divisor: UInt256) -> (quotient: UInt256, remainder: UInt256)? {
        if divisor.isZero { return nil }
        if self < divisor { return (.zero, self) }
        var remainder = self
        var quotient = UInt256.zero
        var shift = significantBitCount - divisor.significantBitCount
        var shifted = divisor << shift
        while shift >= 0 {
            if remainder >= shifted {
                remainder = remainder &- shifted
                quotient = quotient | (UInt256.one << shift)
            }
            shifted = shifted >> 1
            shift -= 1
        }
        return (quotient, remainder)
    }
}
