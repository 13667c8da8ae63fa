import ChainCrypto
import Foundation
import IPAddressing
import NIOCore
import NIOPosix
import NetSync
import P2P
import P2PWire

extension P2PService {
    /// Connections made for the node's own needs at most (Core's 8 full-relay, 2 block-relay-only
    /// and a feeler), kept free of inbound peers.
    static let outboundSlots = 11

    /// Connects to `address` and reconnects 10 s after each loss, until cancelled (not while
    /// another outbound connection to that address is open, as Core).
    func keepConnected(to address: String, addedNode: String?) async {
        while !Task.isCancelled {
            let connected = registry.connections.contains { !$0.1.inbound && $0.1.address == address }
            if active.load(ordering: .relaxed), !connected, let channel = await connect(to: address, addedNode: addedNode) {
                try? await channel.closeFuture.get()
            }
            try? await Task.sleep(for: .seconds(10))
        }
    }

    /// One connection attempt; the channel, or nil when it failed.
    func connect(
        to address: String, type: PeerRegistry.ConnectionType = .manual, addedNode: String?, bookAddress: NetworkAddress? = nil
    ) async -> (any Channel)? {
        guard let (host, port) = try? Node.bindAddress(address, defaultPort: Int(params.defaultPort)) else {
            logger.error("invalid peer address \(address)")
            return nil
        }
        if let ip = IPSubnet.parseAddress(host), banList.refuses(ip, inbound: false) {
            logger.debug("not connecting to banned \(address)")
            return nil
        }
        do {
            return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .channelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture { try self.setUp(channel, type: type, addedNode: addedNode, bookAddress: bookAddress) }
                }
                .connect(host: host, port: port).get()
        } catch {
            logger.debug("connecting to \(address) failed: \(error)")
            return nil
        }
    }

    /// The protocol handlers of a new connection; refused (closed) while the network is off,
    /// for a banned (or, coming in, discouraged) address, or when its kind has its fill.
    func setUp(_ channel: any Channel, type: PeerRegistry.ConnectionType, addedNode: String?, bookAddress: NetworkAddress? = nil) throws {
        let remote = Self.address(channel.remoteAddress)
        let inbound = type == .inbound
        let limit = inbound ? max(0, configuration.maxConnections - Self.outboundSlots) : Int.max
        let meter = TrafficMeter { [traffic] command, bytes, direction in traffic.record(command, bytes: bytes, direction) }
        let connection = PeerRegistry.Connection(
            channel: channel, type: type, ip: remote.ip, port: Int(remote.port), addedNode: addedNode, bookAddress: bookAddress,
            connectedAt: UnixTime.now, traffic: meter, budget: ReceiveBudget())
        guard active.load(ordering: .relaxed), !banList.refuses(remote.ip, inbound: inbound) else {
            channel.close(promise: nil)
            return
        }
        let (registered, evicted) = registry.register(connection, limit: limit) { [evictionSalt] inbound in
            InboundEviction.select(from: inbound.map { id, peer in
                let group = AddressGroup(NetworkAddress(services: [], ip: peer.ip, port: 0))
                var hasher = SipHash(k0: evictionSalt.0, k1: evictionSalt.1)
                hasher.update(group.bytes)
                return InboundEviction.Candidate(
                    id: id.rawValue, connectedAt: peer.connectedAt, minimumPing: peer.minimumPing, lastBlockTime: peer.lastBlockTime,
                    lastTransactionTime: peer.lastTransactionTime, relaysTransactions: peer.relaysTransactions, group: group,
                    groupKey: hasher.finalize())
            }).map(PeerID.init)
        }
        evicted?.close(promise: nil)
        guard let id = registered else {
            channel.close(promise: nil)
            return
        }
        let continuation = continuation
        let budget = connection.budget
        let local = VersionMessage(
            version: PeerHandshake.protocolVersion, services: services, time: UnixTime.now,
            receiver: remote, sender: .unspecified, nonce: nonce, userAgent: "/rustyd:0.1.0/",
            startHeight: Int32(clamping: tipHeight.withLock { $0 }), relay: type != .blockRelayOnly)
        let handler = PeerChannelHandler(
            direction: inbound ? .inbound : .outbound, localVersion: local, now: { Int64(Date().timeIntervalSince1970 * 1_000) }
        ) { event in
            // Past the receive budget, reading pauses until the node catches up (on this loop).
            if case let .message(message) = event, budget.charge(message) { channel.setOption(.autoRead, value: false).whenComplete { _ in } }
            continuation.yield(.peer(id, event))
        }
        try channel.pipeline.syncOperations.addPeerHandlers(magic: params.magic, peer: handler, meter: meter)
    }

    static func address(_ socket: SocketAddress?) -> NetworkAddress {
        guard let socket, let port = socket.port else { return .unspecified }
        switch socket {
        case let .v4(address):
            return NetworkAddress(services: [], addressBytes: withUnsafeBytes(of: address.address.sin_addr.s_addr) { Array($0) }, port: UInt16(port))
        case let .v6(address):
            return NetworkAddress(services: [], addressBytes: withUnsafeBytes(of: address.address.sin6_addr) { Array($0) }, port: UInt16(port))
        default:
            return .unspecified
        }
    }
}
