/// Writes ``JSONValue``s as UniValue does: compact (`{"a":1}`), or pretty with `indent`
/// spaces per level and `"key": value` members, empty containers as `[` newline `]`
/// (bitcoin-cli's output). Non-ASCII characters are written as UTF-8; `"`, `\` and control
/// characters (and DEL) are escaped.
public struct JSONWriter: Sendable {
    /// Spaces per nesting level; 0 writes compact JSON on one line.
    public var indent: Int

    /// A writer with `indent` spaces per level (0 for compact output).
    public init(indent: Int = 0) {
        self.indent = indent
    }

    /// The UTF-8 bytes of `value`.
    public func bytes(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        write(value, level: 0, to: &output)
        return output
    }

    /// The text of `value`.
    public func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    private func write(_ value: JSONValue, level: Int, to output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case let .bool(flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case let .int(number): output.append(contentsOf: String(number).utf8)
        case let .double(number): Self.writeDouble(number, to: &output)
        case let .decimal(units, scale): Self.writeDecimal(units, scale: scale, to: &output)
        case let .string(text): Self.writeString(text, to: &output)
        case let .array(elements):
            output.append(UInt8(ascii: "["))
            if indent > 0 { output.append(0x0a) }
            for (position, element) in elements.enumerated() {
                writeIndent(level + 1, to: &output)
                write(element, level: level + 1, to: &output)
                if position != elements.count - 1 { output.append(UInt8(ascii: ",")) }
                if indent > 0 { output.append(0x0a) }
            }
            writeIndent(level, to: &output)
            output.append(UInt8(ascii: "]"))
        case let .object(object):
            output.append(UInt8(ascii: "{"))
            if indent > 0 { output.append(0x0a) }
            for (position, member) in object.members.enumerated() {
                writeIndent(level + 1, to: &output)
                Self.writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                if indent > 0 { output.append(UInt8(ascii: " ")) }
                write(member.value, level: level + 1, to: &output)
                if position != object.count - 1 { output.append(UInt8(ascii: ",")) }
                if indent > 0 { output.append(0x0a) }
            }
            writeIndent(level, to: &output)
            output.append(UInt8(ascii: "}"))
        }
    }

    private func writeIndent(_ level: Int, to output: inout [UInt8]) {
        guard indent > 0 else { return }
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
    }

    /// Shortest text that reads back as the same `Double`; non-finite values (which JSON
    /// cannot carry) are written as `null`.
    private static func writeDouble(_ number: Double, to output: inout [UInt8]) {
        guard number.isFinite else {
            output.append(contentsOf: "null".utf8)
            return
        }
        output.append(contentsOf: number.description.utf8)
    }

    private static func writeDecimal(_ units: Int64, scale: UInt8, to output: inout [UInt8]) {
        if units < 0 { output.append(UInt8(ascii: "-")) }
        let magnitude = units.magnitude
        guard scale > 0 else {
            output.append(contentsOf: String(magnitude).utf8)
            return
        }
        var divisor: UInt64 = 1
        for _ in 0..<min(scale, 19) { divisor *= 10 }
        output.append(contentsOf: String(magnitude / divisor).utf8)
        output.append(UInt8(ascii: "."))
        let fraction = String(magnitude % divisor)
        output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: Int(min(scale, 19)) - fraction.utf8.count))
        output.append(contentsOf: fraction.utf8)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0c: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0a: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0d: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20, 0x7f:
                output.append(contentsOf: "\\u00".utf8)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0xf)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// This value as compact JSON text.
    public var jsonString: String { JSONWriter().string(self) }

    /// This value as pretty JSON text with `indent` spaces per level.
    public func jsonString(indent: Int) -> String { JSONWriter(indent: indent).string(self) }
}
