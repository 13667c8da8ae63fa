/// One parsed JSON-RPC request object (Bitcoin Core's `JSONRPCRequest::parse`).
public struct RPCRequest: Sendable, Equatable {
    /// The request's `id`; nil when the member is absent (a notification in 2.0).
    public var id: JSONValue?
    /// The dialect.
    public var version: JSONRPCVersion
    /// The method name.
    public var method: String
    /// The parameters: an array (positional) or an object (named).
    public var params: JSONValue

    /// A request.
    public init(id: JSONValue?, version: JSONRPCVersion, method: String, params: JSONValue = .array([])) {
        self.id = id
        self.version = version
        self.method = method
        self.params = params
    }

    /// Whether this is a 2.0 notification (no `id`), which gets no reply.
    public var isNotification: Bool { id == nil && version == .v2 }

    /// A request that could not be parsed: the error and what was read before it.
    public struct Invalid: Error, Sendable, Equatable {
        /// RPC_INVALID_REQUEST with Core's message.
        public var error: RPCError
        /// The `id`, when it was read before the failure.
        public var id: JSONValue?
        /// The dialect, as far as it was read.
        public var version: JSONRPCVersion
    }

    /// Parses a request object as Bitcoin Core does, with its messages.
    public init(parsing value: JSONValue) throws(Invalid) {
        guard case let .object(object) = value else {
            throw Invalid(error: RPCError(.invalidRequest, "Invalid Request object"), id: .null, version: .legacy)
        }
        let id = object["id"]
        var version = JSONRPCVersion.legacy
        if let marker = object["jsonrpc"], !marker.isNull {
            guard case let .string(text) = marker else {
                throw Invalid(error: RPCError(.invalidRequest, "jsonrpc field must be a string"), id: id, version: version)
            }
            switch text {
            case "1.0": version = .legacy
            case "2.0": version = .v2
            default:
                throw Invalid(error: RPCError(.invalidRequest, "JSON-RPC version not supported"), id: id, version: version)
            }
        }
        guard let method = object["method"], !method.isNull else {
            throw Invalid(error: RPCError(.invalidRequest, "Missing method"), id: id, version: version)
        }
        guard case let .string(name) = method else {
            throw Invalid(error: RPCError(.invalidRequest, "Method must be a string"), id: id, version: version)
        }
        let params: JSONValue
        switch object["params"] ?? .null {
        case .null: params = .array([])
        case let value where value.arrayValue != nil || value.objectValue != nil: params = value
        default:
            throw Invalid(error: RPCError(.invalidRequest, "Params must be an array or object"), id: id, version: version)
        }
        self.init(id: id, version: version, method: name, params: params)
    }

    /// The reply object (Core's `JSONRPCReplyObj`): legacy replies carry both `result` and
    /// `error` (one `null`), 2.0 replies `"jsonrpc": "2.0"` and only one of them; `id` is
    /// echoed when the request had one.
    public static func reply(
        _ outcome: Result<JSONValue, RPCError>, id: JSONValue?, version: JSONRPCVersion
    ) -> JSONValue {
        var reply = JSONObject()
        if version == .v2 { reply["jsonrpc"] = "2.0" }
        switch outcome {
        case let .success(result):
            reply["result"] = result
            if version == .legacy { reply["error"] = .null }
        case let .failure(error):
            if version == .legacy { reply["result"] = .null }
            reply["error"] = error.json
        }
        if let id { reply["id"] = id }
        return .object(reply)
    }
}
