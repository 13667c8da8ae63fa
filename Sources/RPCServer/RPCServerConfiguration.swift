import IPAddressing

/// How the RPC server listens, whom it serves and its limits (bitcoind's `-rpcbind`,
/// `-rpcport`, `-rpcallowip`, credentials and `-rpcservertimeout`).
public struct RPCServerConfiguration: Sendable {
    /// A host and port to listen on.
    public struct BindAddress: Sendable, Hashable {
        /// A numeric IPv4/IPv6 address or a host name.
        public var host: String
        /// The TCP port; 0 picks a free one (tests).
        public var port: Int

        /// An address.
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    /// The addresses to listen on. Start fails only when none can be bound (as Core, so
    /// `::1` on a host without IPv6 is not fatal).
    public var bindAddresses: [BindAddress]
    /// The networks allowed to connect; other peers get 403. Core always allows loopback;
    /// ``loopback(port:)`` starts with it and `-rpcallowip` values are appended.
    public var allowedSubnets: [IPSubnet]
    /// Credentials.
    public var authentication: RPCAuthConfiguration
    /// The largest accepted request body: 32 MiB, Core's `MAX_SIZE` that libevent enforces
    /// for it. Larger bodies get 413 and the connection is closed.
    public var maxBodySize: Int
    /// The largest accepted request head (request line and headers): 8 KiB, Core's
    /// `MAX_HEADERS_SIZE`. Larger heads get 431 and the connection is closed.
    public var maxHeaderSize: Int
    /// How long a connection may stay idle (no request being received or answered) before
    /// it is closed: Core's `-rpcservertimeout` default of 30 seconds.
    public var idleTimeout: Duration
    /// How long to wait before answering 401 to wrong credentials (Core waits 250 ms to slow
    /// down guessing).
    public var failedAuthenticationDelay: Duration

    /// A configuration with every value given.
    public init(
        bindAddresses: [BindAddress], allowedSubnets: [IPSubnet] = IPSubnet.loopback,
        authentication: RPCAuthConfiguration, maxBodySize: Int = 0x0200_0000, maxHeaderSize: Int = 8192,
        idleTimeout: Duration = .seconds(30), failedAuthenticationDelay: Duration = .milliseconds(250)
    ) {
        self.bindAddresses = bindAddresses
        self.allowedSubnets = allowedSubnets
        self.authentication = authentication
        self.maxBodySize = maxBodySize
        self.maxHeaderSize = maxHeaderSize
        self.idleTimeout = idleTimeout
        self.failedAuthenticationDelay = failedAuthenticationDelay
    }

    /// bitcoind's default: listen on `127.0.0.1` and `::1` at `port`, allow loopback only.
    public static func loopback(port: Int, authentication: RPCAuthConfiguration) -> RPCServerConfiguration {
        RPCServerConfiguration(
            bindAddresses: [BindAddress(host: "127.0.0.1", port: port), BindAddress(host: "::1", port: port)],
            authentication: authentication)
    }

    /// Appends `-rpcallowip` values to ``allowedSubnets``.
    public mutating func allow(_ rpcAllowIP: [String]) throws(RPCServerError) {
        for value in rpcAllowIP {
            guard let subnet = IPSubnet(value) else { throw .invalidAllowIP(value) }
            allowedSubnets.append(subnet)
        }
    }
}
