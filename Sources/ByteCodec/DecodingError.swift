/// Why a byte sequence could not be decoded. Decoders throw this instead of trapping.
public enum DecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended before `needed` more bytes could be read (`available` remained).
    case truncated(needed: Int, available: Int)
    /// A CompactSize used more bytes than its value requires.
    case nonCanonicalCompactSize
    /// A length or count prefix exceeded the limit the caller allowed.
    case lengthTooLarge(length: UInt64, limit: Int)
    /// Bytes were left after a complete object had been read.
    case trailingBytes(count: Int)
    /// A string was not valid hexadecimal.
    case invalidHex
    /// A structural rule of the format was broken; the message says which.
    case invalid(String)

    public var description: String {
        switch self {
        case let .truncated(needed, available): "truncated input: needed \(needed) bytes, \(available) left"
        case .nonCanonicalCompactSize: "non-canonical CompactSize"
        case let .lengthTooLarge(length, limit): "length \(length) exceeds limit \(limit)"
        case let .trailingBytes(count): "\(count) unexpected trailing bytes"
        case .invalidHex: "invalid hex string"
        case let .invalid(message): message
        }
    }
}
