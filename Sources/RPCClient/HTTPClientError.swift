/// Why an HTTP exchange with the RPC server failed.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection could be made (bitcoin-cli's `CConnectionFailed`; `-rpcwait` retries it).
    case connectionFailed(String)
    /// Sending or receiving failed, or timed out.
    case io(String)
    /// The server's reply is not valid HTTP, or too large.
    case malformedResponse(String)

    public var description: String {
        switch self {
        case let .connectionFailed(reason): reason
        case let .io(reason): reason
        case let .malformedResponse(reason): "malformed HTTP response: \(reason)"
        }
    }
}
