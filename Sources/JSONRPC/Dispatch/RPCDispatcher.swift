import Synchronization

/// Bitcoin Core's JSON-RPC semantics over a method registry (src/httprpc.cpp,
/// src/rpc/request.cpp, src/rpc/server.cpp), independent of the transport.
///
/// - A body that is not JSON → RPC_PARSE_ERROR "Parse error", HTTP 500.
/// - A single request object: legacy errors set the HTTP status (RPC_INVALID_REQUEST 400,
///   RPC_METHOD_NOT_FOUND 404, others 500); 2.0 method errors are returned with HTTP 200 and
///   a 2.0 notification (no `id`) is executed and answered with 204. A malformed request
///   object is an HTTP error in either dialect.
/// - An array is a batch: every member is answered in an HTTP 200 array, notifications
///   excepted; a non-empty batch of notifications only gets 204.
/// - Any other top-level value → RPC_PARSE_ERROR "Top-level object parse error", HTTP 500.
public final class RPCDispatcher: Sendable {
    /// The methods this dispatcher calls.
    public let registry: RPCMethodRegistry
    /// The parser for request bodies.
    public let parser: JSONParser
    private let warmup: Mutex<String?>

    /// A dispatcher over `registry`. While `warmupStatus` is non-nil every call fails with
    /// RPC_IN_WARMUP (-28) and that status as message, as Core does while it starts.
    public init(registry: RPCMethodRegistry, parser: JSONParser = JSONParser(), warmupStatus: String? = nil) {
        self.registry = registry
        self.parser = parser
        self.warmup = Mutex(warmupStatus)
    }

    /// The warm-up status, nil once the node is ready.
    public var warmupStatus: String? {
        warmup.withLock { $0 }
    }

    /// Sets the warm-up status (e.g. "Loading block index…"); nil ends the warm-up.
    public func setWarmupStatus(_ status: String?) {
        warmup.withLock { $0 = status }
    }

    /// Handles one HTTP POST body and returns the status and body to send.
    public func handle(body: [UInt8], context: RPCRequestContext) async -> RPCHTTPReply {
        let document: JSONValue
        do {
            document = try parser.parse(body)
        } catch {
            return .error(RPCError(.parseError, "Parse error"), id: .null, version: .legacy)
        }
        switch document {
        case .object:
            let request: RPCRequest
            do {
                request = try RPCRequest(parsing: document)
            } catch {
                return .error(error.error, id: error.id, version: error.version)
            }
            let outcome = await execute(request, context: context)
            if request.version == .legacy, case let .failure(error) = outcome {
                return .error(error, id: request.id, version: .legacy)
            }
            if request.isNotification { return .noContent }
            return .ok(RPCRequest.reply(outcome, id: request.id, version: request.version))
        case let .array(members):
            var replies: [JSONValue] = []
            for member in members {
                do {
                    let request = try RPCRequest(parsing: member)
                    let outcome = await execute(request, context: context)
                    if !request.isNotification {
                        replies.append(RPCRequest.reply(outcome, id: request.id, version: request.version))
                    }
                } catch {
                    if !(error.id == nil && error.version == .v2) {
                        replies.append(RPCRequest.reply(.failure(error.error), id: error.id, version: error.version))
                    }
                }
            }
            if replies.isEmpty && !members.isEmpty { return .noContent }
            return .ok(.array(replies))
        default:
            return .error(RPCError(.parseError, "Top-level object parse error"), id: .null, version: .legacy)
        }
    }

    /// Executes one request (Core's `CRPCTable::execute`): warm-up check, method lookup,
    /// named-to-positional mapping, argument count and type checks, then the handler.
    public func execute(_ request: RPCRequest, context: RPCRequestContext) async -> Result<JSONValue, RPCError> {
        do throws(RPCError) {
            return .success(try await call(request.method, params: request.params, context: context))
        } catch {
            return .failure(error)
        }
    }

    /// Calls `method` with `params` (an array, or an object of named parameters) as a request
    /// would, for in-process callers and other transports.
    public func call(
        _ method: String, params: JSONValue = .array([]), context: RPCRequestContext = .local
    ) async throws(RPCError) -> JSONValue {
        if let status = warmupStatus { throw RPCError(.inWarmup, status) }
        guard let declaration = registry.method(named: method) else {
            throw RPCError(.methodNotFound, "Method not found")
        }
        let values: [JSONValue]
        switch params {
        case let .object(named): values = try NamedParameters.positional(from: named, method: declaration)
        case let .array(positional): values = positional
        case .null: values = []
        default: throw RPCError(.invalidRequest, "Params must be an array or object")
        }
        guard declaration.acceptsArgumentCount(values.count) else {
            throw RPCError(.miscError, declaration.helpText)
        }
        var mismatches = JSONObject()
        for (position, argument) in declaration.arguments.enumerated() {
            let value = values.indices.contains(position) ? values[position] : .null
            if let mismatch = argument.typeMismatch(value) {
                mismatches.append("Position \(position + 1) (\(argument.names))", .string(mismatch))
            }
        }
        if !mismatches.isEmpty {
            throw RPCError(.typeError, "Wrong type passed:\n" + JSONValue.object(mismatches).jsonString(indent: 4))
        }
        return try await declaration.handler(RPCArguments(method: method, values: values, context: context))
    }
}
