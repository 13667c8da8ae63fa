/// One connected peer, as `getpeerinfo` reports it.
public struct PeerSummary: Sendable {
    public var id: Int
    public var address: String
    public var inbound: Bool
    public var services: UInt64
    public var version: Int32
    public var userAgent: String
    public var startingHeight: Int32
    public var relaysTransactions: Bool
    /// Unix seconds when the connection was made.
    public var connectedTime: Int64
    /// Blocks asked of the peer and not yet received.
    public var blocksInFlight: Int
    /// Its `feefilter` (sat/kvB).
    public var feeFilter: Int64

    public init(
        id: Int, address: String, inbound: Bool, services: UInt64, version: Int32, userAgent: String, startingHeight: Int32,
        relaysTransactions: Bool, connectedTime: Int64, blocksInFlight: Int, feeFilter: Int64
    ) {
        self.id = id
        self.address = address
        self.inbound = inbound
        self.services = services
        self.version = version
        self.userAgent = userAgent
        self.startingHeight = startingHeight
        self.relaysTransactions = relaysTransactions
        self.connectedTime = connectedTime
        self.blocksInFlight = blocksInFlight
        self.feeFilter = feeFilter
    }
}

/// The node's peer connections, as the network RPCs read them (the P2P service provides it).
public protocol PeerDirectory: Sendable {
    func peers() async -> [PeerSummary]
}
