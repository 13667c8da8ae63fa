/// A value with one canonical Bitcoin wire encoding.
public protocol BinaryEncodable {
    /// Appends the wire encoding of `self`.
    func encode(to writer: inout ByteWriter)
}

/// A value that can be read from its Bitcoin wire encoding.
public protocol BinaryDecodable {
    /// Reads one value, throwing on malformed or truncated input.
    init(from reader: inout ByteReader) throws(DecodingError)
}

/// A value that both encodes to and decodes from its wire form.
public typealias BinaryCodable = BinaryEncodable & BinaryDecodable

extension BinaryEncodable {
    /// The wire encoding of `self`.
    public var serialized: [UInt8] {
        var writer = ByteWriter()
        encode(to: &writer)
        return writer.bytes
    }
}

extension BinaryDecodable {
    /// Decodes exactly one value from `bytes`; trailing bytes are an error.
    public init(serialized bytes: [UInt8]) throws(DecodingError) {
        var reader = ByteReader(bytes)
        try self.init(from: &reader)
        try reader.expectEnd()
    }
}
