/// Why a text is not acceptable JSON. The parser throws this and never traps.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Reason: Sendable, Equatable {
        /// The input ended inside a value.
        case unexpectedEnd
        /// A byte that cannot start or continue the value here.
        case unexpectedCharacter(UInt8)
        /// Input remained after the top-level value.
        case trailingCharacters
        /// Arrays and objects nested deeper than the limit.
        case tooDeep(limit: Int)
        /// The input is longer than the limit.
        case tooLarge(limit: Int)
        /// A number that is malformed, too long, or outside the range of `Double`.
        case invalidNumber
        /// A string with bad escapes, raw control characters or invalid UTF-8.
        case invalidString
    }

    /// The kind of failure.
    public var reason: Reason
    /// The byte offset in the input where the failure was found.
    public var offset: Int

    /// A failure of `reason` at `offset`.
    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        switch reason {
        case .unexpectedEnd: "unexpected end of JSON input at offset \(offset)"
        case let .unexpectedCharacter(byte): "unexpected character 0x\(String(byte, radix: 16)) at offset \(offset)"
        case .trailingCharacters: "unexpected characters after the JSON value at offset \(offset)"
        case let .tooDeep(limit): "JSON nested deeper than \(limit) levels at offset \(offset)"
        case let .tooLarge(limit): "JSON input larger than \(limit) bytes"
        case .invalidNumber: "invalid JSON number at offset \(offset)"
        case .invalidString: "invalid JSON string at offset \(offset)"
        }
    }
}
