/// What the HTTP layer sends for a JSON-RPC POST: a status and a JSON body (empty for 204).
public struct RPCHTTPReply: Sendable, Equatable {
    /// The HTTP status code (200, 204, 400, 404 or 500).
    public var status: Int
    /// The body: JSON followed by a newline, or empty.
    public var body: [UInt8]

    /// A reply.
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    /// 200 with `value` as the body.
    static func ok(_ value: JSONValue) -> RPCHTTPReply {
        RPCHTTPReply(status: 200, body: JSONWriter().bytes(value) + [0x0a])
    }

    /// 204 No Content: the reply to notifications only.
    static let noContent = RPCHTTPReply(status: 204, body: [])

    /// A legacy error reply (Core's `JSONErrorReply`): 400 for RPC_INVALID_REQUEST, 404 for
    /// RPC_METHOD_NOT_FOUND, 500 otherwise.
    static func error(_ error: RPCError, id: JSONValue?, version: JSONRPCVersion) -> RPCHTTPReply {
        let status =
            switch error.code {
            case .invalidRequest: 400
            case .methodNotFound: 404
            default: 500
            }
        let body = RPCRequest.reply(.failure(error), id: id, version: version)
        return RPCHTTPReply(status: status, body: JSONWriter().bytes(body) + [0x0a])
    }
}
