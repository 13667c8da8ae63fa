import JSONRPC

/// One connected peer, as `getpeerinfo` reports it.
public struct PeerSummary: Sendable {
    public var id: Int
    public var address: String
    public var inbound: Bool
    /// Core's `connection_type`: `inbound`, `manual`, `outbound-full-relay`, `block-relay-only`,
    /// `feeler`.
    public var connectionType: String
    public var services: UInt64
    public var version: Int32
    public var userAgent: String
    public var startingHeight: Int32
    public var relaysTransactions: Bool
    /// Unix seconds when the connection was made.
    public var connectedTime: Int64
    /// Blocks asked of the peer and not yet received.
    public var blocksInFlight: Int
    /// Height of the best header it is known to have (-1 when none).
    public var syncedHeaders: Int
    /// Its `feefilter` (sat/kvB).
    public var feeFilter: Int64
    public var bytesSent: Int
    public var bytesReceived: Int
    /// Bytes by message command.
    public var bytesSentPerMessage: [String: Int]
    public var bytesReceivedPerMessage: [String: Int]
    /// The last and the smallest ping round trip (ms), when measured.
    public var pingTime: Int64?
    public var minimumPing: Int64?

    public init(
        id: Int, address: String, inbound: Bool, connectionType: String, services: UInt64, version: Int32, userAgent: String,
        startingHeight: Int32, relaysTransactions: Bool, connectedTime: Int64
    ) {
        self.id = id
        self.address = address
        self.inbound = inbound
        self.connectionType = connectionType
        self.services = services
        self.version = version
        self.userAgent = userAgent
        self.startingHeight = startingHeight
        self.relaysTransactions = relaysTransactions
        self.connectedTime = connectedTime
        blocksInFlight = 0
        syncedHeaders = -1
        feeFilter = 0
        bytesSent = 0
        bytesReceived = 0
        bytesSentPerMessage = [:]
        bytesReceivedPerMessage = [:]
    }
}

/// A ban, as `listbanned` reports it.
public struct BanSummary: Sendable {
    public var subnet: String
    public var created: Int64
    public var until: Int64

    public init(subnet: String, created: Int64, until: Int64) {
        self.subnet = subnet
        self.created = created
        self.until = until
    }
}

/// An address the node knows, as `getnodeaddresses` reports it.
public struct KnownAddress: Sendable {
    public var time: Int64
    public var services: UInt64
    public var address: String
    public var port: Int
    public var network: String

    public init(time: Int64, services: UInt64, address: String, port: Int, network: String) {
        self.time = time
        self.services = services
        self.address = address
        self.port = port
        self.network = network
    }
}

/// The node's P2P side as the network RPCs read and drive it (the P2P service provides it).
/// Errors carry Core's codes and messages.
public protocol NetworkControl: Sendable {
    func peers() async -> [PeerSummary]
    /// The service bits we offer.
    var localServices: UInt64 { get }
    var isNetworkActive: Bool { get }
    /// `setnetworkactive`: off closes every connection and refuses new ones.
    func setNetworkActive(_ active: Bool)
    /// `addnode` with `add`, `remove` or `onetry`.
    func addNode(_ node: String, command: String) throws(RPCError)
    /// The added nodes, each with the address it is connected at (nil when not connected).
    func addedNodes() -> [(node: String, connectedAt: String?)]
    /// `disconnectnode` by address or id (exactly one given).
    func disconnect(address: String?, id: Int?) throws(RPCError)
    /// Bytes sent and received since start.
    func totals() -> (sent: Int, received: Int)
    /// `ping`: every peer is pinged at once.
    func pingAll()
    /// `setban` with `add` or `remove`; `banTime` seconds (0: the default 24 h), or an absolute
    /// Unix time when `absolute`.
    func setBan(_ subnet: String, command: String, banTime: Int64, absolute: Bool) throws(RPCError)
    func bans() -> [BanSummary]
    func clearBans()
    /// Up to `count` known addresses (0: all), of `network` when given.
    func knownAddresses(count: Int, network: String?) -> [KnownAddress]
    /// `addpeeraddress` (for tests): adds an address to the book, into the tried table when
    /// `tried`; whether it was added.
    func addPeerAddress(_ address: String, port: Int, tried: Bool) -> Bool
}
