import ChainParams
import Foundation
import Logging
import Mempool
import NIOCore
import NIOPosix
import NetSync
import NodeRPC
import P2P
import P2PWire
import ServiceLifecycle
import Synchronization

/// The node's P2P side: listens (`-listen`, `-port`, `-bind`), connects to `-connect` and
/// `-addnode` peers (retrying every 10 s while not connected), runs each connection's
/// handshake, and feeds NetSync one input at a time, in order: peer events and the node's own
/// events (new tips and transactions to announce).
final class P2PService: Service, PeerDirectory, Sendable {
    enum Input: Sendable {
        case peer(PeerID, PeerEvent, outbound: Bool)
        case node([NodeEvent])
        /// The sync timers (every 100 ms).
        case tick
    }

    private let configuration: NodeConfiguration
    private let params: ChainParams
    private let sync: NetSync
    private let registry = PeerRegistry()
    private let logger: Logger
    private let inputs: AsyncStream<Input>
    private let continuation: AsyncStream<Input>.Continuation
    private let nonce = UInt64.random(in: 1...UInt64.max)
    private let tipHeight: Mutex<Int>

    init(configuration: NodeConfiguration, params: ChainParams, context: ChainRPCContext, tipHeight: Int, logger: Logger) {
        self.configuration = configuration
        self.params = params
        self.logger = logger
        self.tipHeight = Mutex(tipHeight)
        var settings = NetSync.Settings()
        settings.targetSpacing = Int64(params.targetSpacing)
        sync = NetSync(chain: NodeSyncChain(context: context), mempool: NodeSyncMempool(context: context), network: registry, settings: settings)
        (inputs, continuation) = AsyncStream.makeStream()
    }

    /// The established peers, for `getpeerinfo` and friends.
    func peers() async -> [PeerSummary] {
        await sync.peerStates().compactMap { id, state in
            guard let details = registry.details(id) else { return nil }
            return PeerSummary(
                id: id.rawValue, address: details.address, inbound: !state.outbound, services: state.version.services.rawValue,
                version: state.version.version, userAgent: state.version.userAgent, startingHeight: state.version.startHeight,
                relaysTransactions: state.version.relay, connectedTime: details.connectedAt, blocksInFlight: state.blocksInFlight,
                feeFilter: state.feeFilter)
        }
    }

    /// Hands the node's events on to be announced (never waits).
    func publish(_ events: [NodeEvent]) {
        continuation.yield(.node(events))
    }

    func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        var listeners: [any Channel] = []
        if configuration.listen {
            let hosts = configuration.bind.isEmpty ? ["0.0.0.0"] : configuration.bind
            for entry in hosts {
                let (host, port) = try Node.bindAddress(entry, defaultPort: configuration.port)
                do {
                    let listener = try await ServerBootstrap(group: group)
                        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                        .childChannelInitializer { [self] channel in
                            channel.eventLoop.makeCompletedFuture { try self.setUp(channel, outbound: false) }
                        }
                        .bind(host: host, port: port).get()
                    listeners.append(listener)
                    logger.info("Bound P2P to \(host):\(port)")
                } catch {
                    logger.error("Binding P2P on \(host):\(port) failed: \(error)")
                }
            }
        }
        let peers = configuration.connect.isEmpty ? configuration.addNode : configuration.connect
        let bound = listeners
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { tasks in
                for peer in peers { tasks.addTask { await self.keepConnected(to: peer, group: group) } }
                tasks.addTask { await self.consume() }
                tasks.addTask { [continuation] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(100))
                        continuation.yield(.tick)
                    }
                }
                try await gracefulShutdown()
                tasks.cancelAll()
            }
        } onGracefulShutdown: { [registry] in
            for channel in bound + registry.all { channel.close(promise: nil) }
        }
    }

    /// Feeds NetSync, one input at a time.
    private func consume() async {
        for await input in inputs {
            switch input {
            case let .peer(id, .established(version), outbound):
                logger.info("peer connected", metadata: ["peer": "\(id)", "agent": "\(version.userAgent)", "height": "\(version.startHeight)"])
                await sync.connected(id, version: version, outbound: outbound)
            case let .peer(id, .message(message), _):
                await sync.received(message, from: id)
            case let .peer(id, .writable, _):
                await sync.resume(id)
            case let .peer(id, .closed(reason), _):
                logger.info("peer disconnected", metadata: ["peer": "\(id)", "reason": "\(reason)"])
                registry.remove(id)
                await sync.disconnected(id)
            case .tick:
                await sync.tick()
            case let .node(events):
                for event in events {
                    switch event {
                    case let .tipChanged(block, height):
                        tipHeight.withLock { $0 = height }
                        await sync.announce(block: block)
                    case let .transactionAdded(transaction, _):
                        await sync.announce(transaction)
                    case let .blockConnected(block, _):
                        await sync.blockConnected(block)
                    default:
                        break
                    }
                }
            }
        }
    }

    /// Connects to `address` and reconnects 10 s after each loss, until shutdown.
    private func keepConnected(to address: String, group: any EventLoopGroup) async {
        guard let (host, port) = try? Node.bindAddress(address, defaultPort: Int(params.defaultPort)) else {
            logger.error("invalid peer address \(address)")
            return
        }
        while !Task.isCancelled {
            do {
                let channel = try await ClientBootstrap(group: group)
                    .connectTimeout(.seconds(5))
                    .channelInitializer { [self] channel in
                        channel.eventLoop.makeCompletedFuture { try self.setUp(channel, outbound: true) }
                    }
                    .connect(host: host, port: port).get()
                try await channel.closeFuture.get()
            } catch {
                logger.debug("connecting to \(address) failed: \(error)")
            }
            try? await Task.sleep(for: .seconds(10))
        }
    }

    /// The protocol handlers of a new connection (refused when the node has its fill).
    private func setUp(_ channel: any Channel, outbound: Bool) throws {
        guard let id = registry.register(channel, limit: outbound ? Int.max : configuration.maxConnections) else {
            channel.close(promise: nil)
            return
        }
        let continuation = continuation
        let local = VersionMessage(
            version: PeerHandshake.protocolVersion, services: [.network, .witness, .rusty], time: Int64(Date().timeIntervalSince1970),
            receiver: Self.address(channel.remoteAddress), sender: .unspecified,
            nonce: nonce, userAgent: "/rustyd:0.1.0/", startHeight: Int32(clamping: tipHeight.withLock { $0 }), relay: true)
        let handler = PeerChannelHandler(
            direction: outbound ? .outbound : .inbound, localVersion: local, now: { Int64(Date().timeIntervalSince1970) }
        ) { event in continuation.yield(.peer(id, event, outbound: outbound)) }
        try channel.pipeline.syncOperations.addPeerHandlers(magic: params.magic, peer: handler)
    }

    static func address(_ socket: SocketAddress?) -> NetworkAddress {
        guard let socket, let port = socket.port else { return .unspecified }
        switch socket {
        case let .v4(address):
            let ip = withUnsafeBytes(of: address.address.sin_addr.s_addr) { Array($0) }
            return NetworkAddress(services: [], ip: [UInt8](repeating: 0, count: 10) + [0xff, 0xff] + ip, port: UInt16(port))
        case let .v6(address):
            let ip = withUnsafeBytes(of: address.address.sin6_addr) { Array($0) }
            return NetworkAddress(services: [], ip: ip, port: UInt16(port))
        default:
            return .unspecified
        }
    }
}
