/// An HTTP response read by ``HTTPClientConnection``.
public struct HTTPClientResponse: Sendable, Equatable {
    /// The status code.
    public var status: Int
    /// The headers in order.
    public var headers: [HTTPClientHeader]
    /// The body (de-chunked).
    public var body: [UInt8]

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// One response header.
public struct HTTPClientHeader: Sendable, Equatable {
    /// The name as sent.
    public var name: String
    /// The value, trimmed.
    public var value: String
}
