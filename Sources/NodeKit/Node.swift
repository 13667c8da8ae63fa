import ChainCrypto
import ChainParams
import ChainState
import ChainTypes
import IPAddressing
import Mempool
import Foundation
import JSONRPC
import Logging
import Prometheus
import NodeRPC
import RPCClient
import RPCServer
import Script
import ServiceLifecycle
import Synchronization
import StorageRocksDB

/// The composition root: turns a `NodeConfiguration` into the running node (chain state in
/// RocksDB, JSON-RPC server) and runs it until `stop`, SIGINT or SIGTERM.
public enum Node {
    /// Why the node could not start or had to stop.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs the node; returns after a clean shutdown, throws on a failed start or a fatal error.
    public static func run(configuration: NodeConfiguration, metrics: PrometheusCollectorRegistry, logger: Logger) async throws {
        do {
            try CryptoSelfTest.run()
        } catch {
            throw Failure(description: "cryptographic self-test failed: \(error)")
        }
        let params = ChainParams.forNetwork(configuration.network)
        let directory = configuration.networkDirectory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create data directory \(directory): \(error)")
        }
        for option in configuration.ignored {
            logger.warning("option -\(option) is accepted but has no effect in this build")
        }
        logger.info("rustyd starting", metadata: ["network": "\(configuration.network.rawValue)", "datadir": "\(directory)"])

        let cacheBytes = configuration.databaseCacheMiB << 20
        let store: RocksDBStore
        do {
            store = try RocksDBStore(path: directory + "/db", cacheBytes: max(8 << 20, cacheBytes / 4))
        } catch {
            throw Failure(description: "cannot open the database in \(directory)/db: \(error)")
        }
        let shutdown = ShutdownSwitch()
        // Signatures the mempool verified are not verified again in blocks.
        let signatures = SignatureCache()
        let chainState: ChainState
        do {
            chainState = try ChainState(
                params: params, store: store,
                options: ChainStateOptions(
                    coinsCacheBytes: cacheBytes - cacheBytes / 4, transactionIndex: configuration.transactionIndex,
                    blockFilterIndex: configuration.blockFilterIndex, scriptThreads: configuration.scriptThreads, signatureCache: signatures))
        } catch {
            throw Failure(description: "cannot load the chain state: \(error)")
        }
        logger.info("chain loaded", metadata: ["height": "\(chainState.tip.height)", "tip": "\(chainState.tip.hash)"])
        let tipHeight = chainState.tip.height
        let chain = ChainService(state: chainState) { error in
            logger.critical("fatal chain state error, shutting down: \(error)")
            shutdown.fail("\(error)")
        }

        let registry = RPCMethodRegistry()
        let events = EventHub(finalDepth: configuration.finalDepth, tipHeight: tipHeight)
        // The mempool's events go to /ws subscribers and to the P2P side (announcements); the
        // P2P service needs the context, which needs the mempool: it is attached after.
        let p2p = Mutex<P2PService?>(nil)
        let mempool = MempoolService(settings: configuration.mempoolPolicy, signatureCache: signatures) { published in
            events.publish(published)
            p2p.withLock { $0 }?.publish(published)
        }
        let context = ChainRPCContext(
            chain: chain, params: params, mempool: mempool, mempoolFile: directory + "/mempool.dat", requestShutdown: { shutdown.trigger() })
        let network = P2PService(configuration: configuration, params: params, context: context, tipHeight: tipHeight, logger: logger)
        p2p.withLock { $0 = network }
        registry.register(contentsOf: InstrumentedMethods.wrap(NodeMethods.all(context, network: network)))

        var openSubnets: [IPSubnet] = []
        for entry in configuration.metricsAllowIP {
            guard let subnet = IPSubnet(entry) else { throw Failure(description: "invalid -metricsallowip: \(entry)") }
            openSubnets.append(subnet)
        }
        let server = RPCServer(
            configuration: try rpcConfiguration(configuration), dispatcher: RPCDispatcher(registry: registry),
            routes: OperationsRoutes.make(chain: chain, mempool: context.mempool, registry: metrics, openTo: openSubnets),
            webSocketRoutes: [EventSubscription.route(hub: events, chain: chain, mempool: mempool)], logger: logger)

        var services: [any Service] = [ChainFlushService(chain: chain, interval: .seconds(600), logger: logger, shutdown: shutdown)]
        if configuration.persistMempool { services.append(MempoolPersistenceService(context: context, logger: logger)) }
        services.append(network)
        services.append(RPCService(server: server))
        let group = ServiceGroup(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        shutdown.attach(group)
        defer { store.close() }  // RocksDB must be closed before the process exits
        try await group.run()
        if let reason = shutdown.failureReason { throw Failure(description: reason) }
        logger.info("rustyd stopped")
    }

    static func rpcConfiguration(_ configuration: NodeConfiguration) throws -> RPCServerConfiguration {
        let authentication = RPCAuthConfiguration(
            user: configuration.rpcUser, password: configuration.rpcPassword, rpcAuth: configuration.rpcAuth,
            cookiePath: configuration.networkDirectory + "/" + RPCCookie.defaultFileName)
        var server = RPCServerConfiguration.loopback(port: configuration.rpcPort, authentication: authentication)
        if !configuration.rpcBind.isEmpty {
            guard !configuration.rpcAllowIP.isEmpty else {
                throw Failure(description: "-rpcbind needs -rpcallowip too, else the RPC server would be open to no one but loopback")
            }
            server.bindAddresses = try configuration.rpcBind.map { entry in
                let (host, port) = try bindAddress(entry, defaultPort: configuration.rpcPort)
                return RPCServerConfiguration.BindAddress(host: host, port: port)
            }
        }
        do {
            try server.allow(configuration.rpcAllowIP)
        } catch {
            throw Failure(description: "invalid -rpcallowip: \(error)")
        }
        return server
    }

    /// An `-rpcbind` entry: `host`, `host:port`, `[v6]` or `[v6]:port`, the port in 1…65535.
    static func bindAddress(_ text: String, defaultPort: Int) throws -> (String, Int) {
        guard let (host, port) = RPCClientSettings.splitHostPort(text), (port.map { (1...65535).contains($0) } ?? true) else {
            throw Failure(description: "invalid -rpcbind address \(text)")
        }
        return (host, port ?? defaultPort)
    }
}
