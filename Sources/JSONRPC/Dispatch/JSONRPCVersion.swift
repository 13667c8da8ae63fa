/// Which JSON-RPC dialect a request speaks, which decides the reply's shape and HTTP status.
public enum JSONRPCVersion: Sendable, Hashable {
    /// No `"jsonrpc"` member (or `"1.0"`): replies carry both `result` and `error`, and errors
    /// of a single request set the HTTP status (400, 404, 500).
    case legacy
    /// `"jsonrpc": "2.0"`: replies carry `result` or `error` and `"jsonrpc": "2.0"`, HTTP 200;
    /// a request without `id` is a notification and gets no reply.
    case v2
}
