/// Core's `ParseFixedPoint` (src/util/strencodings.cpp): a decimal number with optional sign,
/// fraction and exponent, read exactly as an integer scaled by `10^decimals`.
public enum FixedPoint {
    /// Magnitudes must stay below 10^18, as in Core.
    private static let upperBound: Int64 = 999_999_999_999_999_999

    /// The digits read so far: the value without trailing zeros, and how many zeros trail.
    private struct Mantissa {
        var value: Int64 = 0
        var trailingZeros: Int64 = 0

        /// Appends one decimal digit; false on overflow.
        mutating func append(_ digit: Int64) -> Bool {
            guard digit != 0 else {
                trailingZeros += 1
                return true
            }
            for _ in 0...trailingZeros {
                guard value <= FixedPoint.upperBound / 10 else { return false }
                value *= 10
            }
            value += digit
            trailingZeros = 0
            return true
        }
    }

    /// The value of `text` times `10^decimals`, or nil when it is malformed, has significant
    /// digits below `10^-decimals`, or is 10^18 or more once scaled.
    public static func parse(_ text: String, decimals: Int) -> Int64? {
        let bytes = Array(text.utf8)
        var index = 0
        func digit(at position: Int) -> Int64? {
            guard position < bytes.count, (0x30...0x39).contains(bytes[position]) else { return nil }
            return Int64(bytes[position] - 0x30)
        }
        var mantissa = Mantissa()
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard let leading = digit(at: index) else { return nil }
        if leading == 0 {
            index += 1
        } else {
            while let next = digit(at: index) {
                guard mantissa.append(next) else { return nil }
                index += 1
            }
        }
        var fractionDigits: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digit(at: index) != nil else { return nil }
            while let next = digit(at: index) {
                guard mantissa.append(next) else { return nil }
                fractionDigits += 1
                index += 1
            }
        }
        var exponent: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") {
                index += 1
            } else if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
                exponentNegative = true
                index += 1
            }
            guard digit(at: index) != nil else { return nil }
            while let next = digit(at: index) {
                guard exponent <= upperBound / 10 else { return nil }
                exponent = exponent * 10 + next
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        guard index == bytes.count else { return nil }

        exponent = exponent - fractionDigits + mantissa.trailingZeros + Int64(decimals)
        guard exponent >= 0, exponent < 18 else { return nil }
        var value = negative ? -mantissa.value : mantissa.value
        for _ in 0..<exponent {
            guard value.magnitude <= UInt64(upperBound / 10) else { return nil }
            value *= 10
        }
        guard value.magnitude <= UInt64(upperBound) else { return nil }
        return value
    }
}
