/// Why the RPC server could not start.
public enum RPCServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An `-rpcauth` value is not `user:salt$hash`.
    case invalidRPCAuth(String)
    /// An `-rpcallowip` value is not an IP, IP/CIDR or IP/netmask.
    case invalidAllowIP(String)
    /// No bind address could be bound; the failures in order.
    case bindFailed([String])
    /// The cookie file could not be written.
    case cookieFailed(String)
    /// `run()` was called twice.
    case alreadyStarted
    /// A WebSocket upgrade was no longer acceptable when it was carried out.
    case upgradeRefused

    public var description: String {
        switch self {
        case let .invalidRPCAuth(value): "Invalid -rpcauth argument: \(value)"
        case let .invalidAllowIP(value):
            "Invalid -rpcallowip subnet specification: \(value). Valid values are a single IP (e.g. 1.2.3.4), "
                + "a network/netmask (e.g. 1.2.3.4/255.255.255.0) or a network/CIDR (e.g. 1.2.3.4/24)."
        case let .bindFailed(failures): "Unable to bind any endpoint for RPC server: " + failures.joined(separator: "; ")
        case let .cookieFailed(reason): "Unable to write the RPC authentication cookie: \(reason)"
        case .alreadyStarted: "the RPC server was already started"
        case .upgradeRefused: "WebSocket upgrade refused"
        }
    }
}
