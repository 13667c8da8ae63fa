/// The recursive-descent scanner behind ``JSONParser``: a position in a byte buffer.
struct JSONCursor {
    private let buffer: UnsafeBufferPointer<UInt8>
    private let limits: JSONParser.Limits
    private var index = 0
    private var depth = 0

    init(buffer: UnsafeBufferPointer<UInt8>, limits: JSONParser.Limits) {
        self.buffer = buffer
        self.limits = limits
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == buffer.count else { throw JSONParseError(.trailingCharacters, at: index) }
        return value
    }

    // MARK: Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < buffer.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        switch buffer[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case let byte: throw JSONParseError(.unexpectedCharacter(byte), at: index)
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw unexpected() }
            let key = try parseString()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw unexpected() }
            index += 1
            skipWhitespace()
            object.append(key, try parseValue())
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(object)
            default: throw unexpected()
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(elements)
            default: throw unexpected()
            }
        }
    }

    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        guard depth <= limits.maxDepth else { throw JSONParseError(.tooDeep(limit: limits.maxDepth), at: index) }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        for offset in 0..<count {
            guard index + offset < buffer.count else { throw JSONParseError(.unexpectedEnd, at: buffer.count) }
            guard buffer[index + offset] == start[offset] else {
                throw JSONParseError(.unexpectedCharacter(buffer[index + offset]), at: index + offset)
            }
        }
        index += count
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var isInteger = true
        if buffer[index] == UInt8(ascii: "-") { index += 1 }
        guard index < buffer.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        if buffer[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(buffer[index]) {
            skipDigits()
        } else {
            throw JSONParseError(.invalidNumber, at: index)
        }
        if index < buffer.count, buffer[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < buffer.count, isDigit(buffer[index]) else { throw JSONParseError(.invalidNumber, at: index) }
            skipDigits()
        }
        if index < buffer.count, buffer[index] == UInt8(ascii: "e") || buffer[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < buffer.count, buffer[index] == UInt8(ascii: "+") || buffer[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < buffer.count, isDigit(buffer[index]) else { throw JSONParseError(.invalidNumber, at: index) }
            skipDigits()
        }
        guard index - start <= limits.maxNumberLength else { throw JSONParseError(.invalidNumber, at: start) }
        let literal = UnsafeBufferPointer(rebasing: buffer[start..<index])
        if isInteger, let value = Self.parseInt64(literal) {
            return .int(value)
        }
        if let exact = Self.parseDecimal(literal) { return exact }
        guard let value = Double(String(decoding: literal, as: UTF8.self)), value.isFinite else {
            throw JSONParseError(.invalidNumber, at: start)
        }
        return .double(value)
    }

    /// A plain decimal literal (`-12.3400`, no exponent, at most 18 fraction digits) as an exact
    /// ``JSONValue/decimal(_:scale:)`` that keeps its digits, so amounts print as they came.
    static func parseDecimal(_ literal: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        guard let dot = literal.firstIndex(of: UInt8(ascii: ".")),
            !literal.contains(UInt8(ascii: "e")), !literal.contains(UInt8(ascii: "E"))
        else { return nil }
        let scale = literal.count - dot - 1
        guard scale <= 18 else { return nil }
        var digits = Array(literal[..<dot]) + Array(literal[(dot + 1)...])
        if digits.first == UInt8(ascii: "-") { digits.removeFirst() }
        let negative = literal.first == UInt8(ascii: "-")
        var units: Int64 = 0
        for digit in digits {
            let (shifted, overflow) = units.multipliedReportingOverflow(by: 10)
            let (sum, overflowAdd) = shifted.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            if overflow || overflowAdd { return nil }
            units = sum
        }
        return .decimal(negative ? -units : units, scale: UInt8(scale))
    }

    /// The value of an optionally negative run of decimal digits, or nil on overflow.
    private static func parseInt64(_ literal: UnsafeBufferPointer<UInt8>) -> Int64? {
        let negative = literal.first == UInt8(ascii: "-")
        var magnitude: UInt64 = 0
        for byte in literal.dropFirst(negative ? 1 : 0) {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            magnitude = sum
        }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            return magnitude <= UInt64(Int64.max) ? -Int64(magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    private mutating func skipDigits() {
        while index < buffer.count, isDigit(buffer[index]) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    // MARK: Strings

    private mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        index += 1
        let contentStart = index
        // Fast path: no escapes.
        while index < buffer.count {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\"") {
                let content = UnsafeBufferPointer(rebasing: buffer[contentStart..<index])
                index += 1
                guard let string = String(validating: content, as: UTF8.self) else {
                    throw JSONParseError(.invalidString, at: start)
                }
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw JSONParseError(.invalidString, at: index) }
            index += 1
        }
        guard index < buffer.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        var bytes = Array(buffer[contentStart..<index])
        while index < buffer.count {
            let byte = buffer[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let string = String(validating: bytes, as: UTF8.self) else {
                    throw JSONParseError(.invalidString, at: start)
                }
                return string
            case UInt8(ascii: "\\"):
                try parseEscape(into: &bytes)
            case 0..<0x20:
                throw JSONParseError(.invalidString, at: index)
            default:
                bytes.append(byte)
                index += 1
            }
        }
        throw JSONParseError(.unexpectedEnd, at: index)
    }

    private mutating func parseEscape(into bytes: inout [UInt8]) throws(JSONParseError) {
        index += 1
        guard index < buffer.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        let escape = buffer[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): bytes.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0c)
        case UInt8(ascii: "n"): bytes.append(0x0a)
        case UInt8(ascii: "r"): bytes.append(0x0d)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "u"):
            let first = try parseHex4()
            var scalarValue = UInt32(first)
            if (0xd800..<0xdc00).contains(first) {
                guard index + 1 < buffer.count, buffer[index] == UInt8(ascii: "\\"),
                    buffer[index + 1] == UInt8(ascii: "u")
                else { throw JSONParseError(.invalidString, at: index) }
                index += 2
                let second = try parseHex4()
                guard (0xdc00..<0xe000).contains(second) else { throw JSONParseError(.invalidString, at: index) }
                scalarValue = 0x10000 + ((UInt32(first) - 0xd800) << 10) + (UInt32(second) - 0xdc00)
            } else if (0xdc00..<0xe000).contains(first) {
                throw JSONParseError(.invalidString, at: index)
            }
            Self.appendUTF8(scalarValue, to: &bytes)
        default:
            throw JSONParseError(.invalidString, at: index - 1)
        }
    }

    /// Appends the UTF-8 encoding of a Unicode scalar value (never a surrogate here).
    private static func appendUTF8(_ value: UInt32, to bytes: inout [UInt8]) {
        switch value {
        case 0..<0x80:
            bytes.append(UInt8(value))
        case 0x80..<0x800:
            bytes.append(UInt8(0xc0 | value >> 6))
            bytes.append(UInt8(0x80 | value & 0x3f))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xe0 | value >> 12))
            bytes.append(UInt8(0x80 | value >> 6 & 0x3f))
            bytes.append(UInt8(0x80 | value & 0x3f))
        default:
            bytes.append(UInt8(0xf0 | value >> 18))
            bytes.append(UInt8(0x80 | value >> 12 & 0x3f))
            bytes.append(UInt8(0x80 | value >> 6 & 0x3f))
            bytes.append(UInt8(0x80 | value & 0x3f))
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        guard index + 4 <= buffer.count else { throw JSONParseError(.unexpectedEnd, at: buffer.count) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = buffer[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.invalidString, at: index)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    // MARK: Helpers

    private mutating func skipWhitespace() {
        while index < buffer.count {
            switch buffer[index] {
            case 0x20, 0x09, 0x0a, 0x0d: index += 1
            default: return
            }
        }
    }

    private func peek() throws(JSONParseError) -> UInt8 {
        guard index < buffer.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        return buffer[index]
    }

    private func unexpected() -> JSONParseError {
        index < buffer.count
            ? JSONParseError(.unexpectedCharacter(buffer[index]), at: index)
            : JSONParseError(.unexpectedEnd, at: index)
    }
}
