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

/// The node's P2P side: listens (`-listen`, `-port`, `-bind`), keeps connected to `-connect`
/// and added peers, refuses banned addresses, runs each connection's handshake, and feeds
/// NetSync one input at a time, in order: peer events, the node's own events (new tips and
/// transactions to announce) and the timer.
final class P2PService: Service, Sendable {
    enum Input: Sendable {
        case peer(PeerID, PeerEvent)
        case node([NodeEvent])
        /// The sync timers (every 100 ms).
        case tick
        /// Verdicts on blocks peers sent.
        case checked([BlockIngest.Verdict])
    }

    let configuration: NodeConfiguration
    let params: ChainParams
    let sync: NetSync
    let registry: PeerRegistry
    let banList: PeerBans
    let logger: Logger
    private let inputs: AsyncStream<Input>
    let continuation: AsyncStream<Input>.Continuation
    let nonce = UInt64.random(in: 1...UInt64.max)
    let tipHeight: Mutex<Int>
    /// Bytes sent and received on all connections.
    let traffic = TrafficMeter { command, bytes, direction in P2PMetrics.record(command, bytes: bytes, direction) }
    /// `setnetworkactive`.
    let active = Atomic<Bool>(true)
    /// The added nodes (`-addnode`, `addnode add`), each kept connected by its task.
    let addedNodeTasks = Mutex<[String: Task<Void, Never>]>([:])
    /// Keys the network-group order of inbound eviction (secret, so it cannot be aimed at).
    let evictionSalt = (UInt64.random(in: 0...UInt64.max), UInt64.random(in: 0...UInt64.max))
    /// The chain's state as sync last saw it.
    let statusCache = ChainStatusCache()
    /// Known addresses (`peers.dat`) and the relay of `addr` messages.
    let addressBook: AddressBook
    let addressRelay: Mutex<AddressRelay<PeerID>>
    /// The `getaddr` answer and until when it is given (Unix seconds).
    let getaddrCache = Mutex<(answer: [TimestampedAddress], expires: Int64)?>(nil)

    init(configuration: NodeConfiguration, params: ChainParams, context: ChainRPCContext, tipHeight: Int, logger: Logger) {
        self.configuration = configuration
        self.params = params
        self.logger = logger
        self.tipHeight = Mutex(tipHeight)
        banList = PeerBans(path: configuration.networkDirectory + "/banlist.json", logger: logger)
        registry = PeerRegistry(bans: banList, logger: logger)
        addressBook = AddressBook(
            path: configuration.networkDirectory + "/peers.dat", allowsNonRoutable: params.network == .regtest, logger: logger)
        addressRelay = Mutex(AddressRelay(
            salt: (UInt64.random(in: 0...UInt64.max), UInt64.random(in: 0...UInt64.max)), forwardsNonRoutable: params.network == .regtest))
        var settings = NetSync.Settings()
        settings.targetSpacing = Int64(params.targetSpacing)
        settings.compactBlocks = configuration.compactBlocks
        settings.servesBlockFilters = configuration.peerBlockFilters
        (inputs, continuation) = AsyncStream.makeStream()
        let ingest = BlockIngest(context: context, statusCache: statusCache) { [continuation] verdicts in continuation.yield(.checked(verdicts)) }
        sync = NetSync(
            chain: NodeSyncChain(context: context, ingest: ingest, statusCache: statusCache), mempool: NodeSyncMempool(context: context),
            network: registry, settings: settings)
    }

    /// The services we offer: `NODE_NETWORK | NODE_WITNESS | NODE_RUSTY`, and
    /// `NODE_COMPACT_FILTERS` with `-peerblockfilters`.
    var services: ServiceFlags {
        configuration.peerBlockFilters ? [.network, .witness, .rusty, .compactFilters] : [.network, .witness, .rusty]
    }

    /// Hands the node's events on to be announced (never waits).
    func publish(_ events: [NodeEvent]) {
        continuation.yield(.node(events))
    }

    func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let listeners = await listen(group: group)
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { tasks in
                for peer in configuration.connect { tasks.addTask { await self.keepConnected(to: peer, addedNode: nil) } }
                if configuration.connect.isEmpty {
                    for node in configuration.addNode { try? addNode(node, command: "add") }
                }
                tasks.addTask { await self.consume() }
                tasks.addTask { await self.maintainOutboundConnections() }
                tasks.addTask { [addressBook] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(15 * 60))
                        addressBook.save()
                    }
                }
                tasks.addTask { [continuation] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(100))
                        continuation.yield(.tick)
                    }
                }
                try await gracefulShutdown()
                tasks.cancelAll()
            }
        } onGracefulShutdown: {
            self.addedNodeTasks.withLock { tasks in tasks.values.forEach { $0.cancel() } }
            for channel in listeners + self.registry.all { channel.close(promise: nil) }
        }
        addressBook.save()
    }

    /// Binds the listening sockets (none without `-listen`).
    private func listen(group: any EventLoopGroup) async -> [any Channel] {
        guard configuration.listen else { return [] }
        var listeners: [any Channel] = []
        for entry in configuration.bind.isEmpty ? ["0.0.0.0"] : configuration.bind {
            do {
                let (host, port) = try Node.bindAddress(entry, defaultPort: configuration.port)
                let listener = try await ServerBootstrap(group: group)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .childChannelInitializer { [self] channel in
                        channel.eventLoop.makeCompletedFuture { try self.setUp(channel, type: .inbound, addedNode: nil) }
                    }
                    .bind(host: host, port: port).get()
                listeners.append(listener)
                logger.info("Bound P2P to \(host):\(port)")
            } catch {
                logger.error("Binding P2P on \(entry) failed: \(error)")
            }
        }
        return listeners
    }

    /// Feeds NetSync, one input at a time.
    private func consume() async {
        for await input in inputs {
            switch input {
            case let .peer(id, .established(version)):
                registry.established(id, version: version)
                guard let connection = registry.connection(id) else { continue }
                logger.info("peer connected", metadata: [
                    "peer": "\(id)", "type": "\(connection.type.rawValue)", "agent": "\(version.userAgent)", "height": "\(version.startHeight)",
                ])
                P2PMetrics.peers(registry.connections.map(\.1))
                addressesOnConnection(id)
                guard connection.type != .feeler else { continue }
                await sync.connected(id, version: version, outbound: !connection.inbound, blockRelayOnly: connection.type == .blockRelayOnly)
            case let .peer(id, .message(message)):
                if !handleAddressMessage(message, from: id) { await sync.received(message, from: id) }
                if let connection = registry.connection(id), connection.budget.release(message) {
                    connection.channel.setOption(.autoRead, value: true).whenComplete { _ in }
                }
            case let .peer(id, .writable):
                await sync.resume(id)
            case let .peer(id, .pingMeasured(milliseconds)):
                registry.recordPing(id, milliseconds: milliseconds)
            case let .peer(id, .closed(reason, misbehaving)):
                logger.info("peer disconnected", metadata: ["peer": "\(id)", "reason": "\(reason)"])
                if misbehaving { registry.punish(id, reason: reason) }
                // The book learns when we last spoke with an address we chose (not block-relay-only
                // ones, which are kept quiet, as Core).
                if let connection = registry.connection(id), let entry = connection.bookAddress, connection.type != .blockRelayOnly {
                    addressBook.connected(entry)
                }
                registry.remove(id)
                addressRelay.withLock { $0.disconnected(id) }
                P2PMetrics.peers(registry.connections.map(\.1))
                await sync.disconnected(id)
            case let .checked(verdicts):
                for verdict in verdicts { await sync.blockChecked(verdict.hash, from: verdict.peer, rejection: verdict.rejection) }
            case .tick:
                await sync.tick()
                closeExpiredAddressFetches()
                P2PMetrics.inFlight(blocks: await sync.blocksInFlight, headerRequests: await sync.headersInFlight)
            case let .node(events):
                for event in events {
                    switch event {
                    case let .tipChanged(block, height):
                        tipHeight.withLock { $0 = height }
                        statusCache.tipChanged(to: height)
                        await sync.announce(block: block)
                    case let .transactionAdded(transaction, _):
                        await sync.announce(transaction)
                    case let .blockConnected(block, _):
                        await sync.blockConnected(block)
                    case .blockDisconnected:
                        statusCache.clear()
                    default:
                        break
                    }
                }
            }
        }
    }
}
