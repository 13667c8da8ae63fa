/// A strict RFC 8259 JSON parser for untrusted input.
///
/// Bounded: nesting depth, input size and number length have limits, every failure is a
/// ``JSONParseError``, strings must be valid UTF-8 (surrogate escapes must pair up), and raw
/// control characters in strings are refused. Any value may be the top-level one, as in
/// UniValue. Integers that fit `Int64` become ``JSONValue/int(_:)``, plain decimals (no
/// exponent, up to 18 fraction digits) ``JSONValue/decimal(_:scale:)`` keeping their digits,
/// other numbers ``JSONValue/double(_:)``; a number beyond `Double`'s range is refused.
public struct JSONParser: Sendable {
    /// Limits applied while parsing.
    public struct Limits: Sendable, Equatable {
        /// Maximum nesting of arrays and objects.
        public var maxDepth: Int
        /// Maximum input size in bytes.
        public var maxBytes: Int
        /// Maximum length of one number literal in bytes.
        public var maxNumberLength: Int

        /// Custom limits.
        public init(maxDepth: Int = 512, maxBytes: Int = 32 << 20, maxNumberLength: Int = 1024) {
            self.maxDepth = maxDepth
            self.maxBytes = maxBytes
            self.maxNumberLength = maxNumberLength
        }

        /// Depth 512, 32 MiB (the RPC server's body limit), numbers up to 1024 characters.
        public static let `default` = Limits()
    }

    /// The limits this parser applies.
    public var limits: Limits

    /// A parser with `limits`.
    public init(limits: Limits = .default) {
        self.limits = limits
    }

    /// Parses `bytes` as one JSON value surrounded by optional whitespace.
    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw JSONParseError(.tooLarge(limit: limits.maxBytes), at: 0)
        }
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer: buffer, limits: limits)
            do throws(JSONParseError) {
                return .success(try cursor.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses the UTF-8 bytes of `text`.
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Parses `bytes` with the default limits.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try JSONParser().parse(bytes)
    }

    /// Parses `text` with the default limits.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONParser().parse(text)
    }
}
