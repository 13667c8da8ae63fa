/// A JSON-RPC error: Bitcoin Core's `{"code": …, "message": …}` object.
public struct RPCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error code.
    public var code: RPCErrorCode
    /// The human-readable message.
    public var message: String

    /// An error with `code` and `message`.
    public init(_ code: RPCErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The error object sent in a reply.
    public var json: JSONValue {
        ["code": .int(Int64(code.rawValue)), "message": .string(message)]
    }

    public var description: String { "RPC error \(code.rawValue): \(message)" }

    /// RPC_TYPE_ERROR with UniValue's wording for a value of the wrong type.
    public static func wrongType(_ value: JSONValue, expected: String) -> RPCError {
        RPCError(.typeError, "JSON value of type \(value.typeName) is not of expected type \(expected)")
    }

    /// RPC_INVALID_PARAMETER with `message`.
    public static func invalidParameter(_ message: String) -> RPCError {
        RPCError(.invalidParameter, message)
    }
}
