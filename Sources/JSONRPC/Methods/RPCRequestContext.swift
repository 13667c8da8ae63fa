/// Where an RPC call came from: the HTTP endpoint and the authenticated user.
public struct RPCRequestContext: Sendable, Equatable {
    /// The request URI (`/` or `/wallet/<name>`).
    public var uri: String
    /// The wallet named by a `/wallet/<name>` URI, percent-decoded.
    public var walletName: String?
    /// The authenticated user name (`__cookie__` for cookie authentication).
    public var user: String
    /// The peer's address, for logs.
    public var peerAddress: String?

    /// A context.
    public init(uri: String = "/", walletName: String? = nil, user: String = "", peerAddress: String? = nil) {
        self.uri = uri
        self.walletName = walletName
        self.user = user
        self.peerAddress = peerAddress
    }

    /// A call made inside the process (tests, other transports).
    public static let local = RPCRequestContext()
}
