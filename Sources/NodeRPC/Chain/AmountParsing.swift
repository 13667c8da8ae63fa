import ChainTypes
import JSONRPC

/// Core's `AmountFromValue`: a number or numeric string of coins with at most eight decimals,
/// within the money range.
enum AmountParsing {
    static func satoshis(_ value: JSONValue) throws(RPCError) -> Int64 {
        let text: String
        switch value {
        case let .int(integer): text = String(integer)
        case let .double(double): text = String(double)
        case let .decimal(units, scale): return try scaled(units, scale: Int(scale))
        case let .string(string): text = string
        default: throw RPCError(.typeError, "Amount is not a number or string")
        }
        return try parse(text)
    }

    static func scaled(_ units: Int64, scale: Int) throws(RPCError) -> Int64 {
        guard scale <= 8 else { throw RPCError(.typeError, "Invalid amount") }
        var value = units
        for _ in scale..<8 {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw RPCError(.typeError, "Amount out of range") }
            value = product
        }
        guard Amount(satoshis: value).isInMoneyRange else { throw RPCError(.typeError, "Amount out of range") }
        return value
    }

    static func parse(_ text: String) throws(RPCError) -> Int64 {
        var digits = text
        var exponent = 0
        if let e = digits.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(digits[digits.index(after: e)...]), abs(value) < 30 else { throw RPCError(.typeError, "Invalid amount") }
            exponent = value
            digits = String(digits[..<e])
        }
        guard !digits.hasPrefix("-") else { throw RPCError(.typeError, "Amount out of range") }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !(whole.isEmpty && (parts.count < 2 || parts[1].isEmpty)),
            whole.allSatisfy(\.isNumber), parts.count < 2 || parts[1].allSatisfy(\.isNumber)
        else { throw RPCError(.typeError, "Invalid amount") }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        var integer = String(whole)
        if exponent > 0 {
            let moved = fraction.prefix(exponent)
            integer += moved + String(repeating: "0", count: exponent - moved.count)
            fraction = String(fraction.dropFirst(exponent))
        } else if exponent < 0 {
            let padded = String(repeating: "0", count: max(0, -exponent - integer.count)) + integer
            fraction = String(padded.suffix(-exponent)) + fraction
            integer = String(padded.dropLast(-exponent))
        }
        fraction = String(fraction.reversed().drop { $0 == "0" }.reversed())
        guard fraction.count <= 8 else { throw RPCError(.typeError, "Invalid amount") }
        guard let units = Int64((integer.isEmpty ? "0" : integer) + fraction) else { throw RPCError(.typeError, "Amount out of range") }
        return try scaled(units, scale: fraction.count)
    }
}
