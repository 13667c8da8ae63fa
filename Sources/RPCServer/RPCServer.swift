import IPAddressing
import JSONRPC
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization

/// The JSON-RPC server on the RPC port: HTTP/1.1 with keep-alive and pipelining, Basic
/// authentication with cookie, `-rpcuser`/`-rpcpassword` and `-rpcauth` credentials, an IP
/// allow-list, bounded heads and bodies, idle timeouts, extra ``HTTPRoute``s, and WebSocket
/// endpoints (``WebSocketRoute``) behind the same credentials.
///
/// ```swift
/// let server = RPCServer(configuration: .loopback(port: 18443, authentication: .cookie(inDirectory: dir)),
///                        dispatcher: RPCDispatcher(registry: registry), logger: logger)
/// try await server.run()        // until shutdown() or cancellation
/// ```
///
/// `run()` binds, writes the cookie (when no password is set), serves, and deletes the
/// cookie on the way out. ``shutdown()`` stops accepting, closes idle connections and lets
/// requests being answered finish; cancelling the task running `run()` closes everything.
public final class RPCServer: Sendable {
    /// The configuration.
    public let configuration: RPCServerConfiguration
    /// The JSON-RPC dispatcher behind `/` and `/wallet/<name>`.
    public let dispatcher: RPCDispatcher
    /// Extra routes, matched before JSON-RPC.
    public let routes: [HTTPRoute]
    /// WebSocket endpoints.
    public let webSocketRoutes: [WebSocketRoute]
    private let logger: Logger
    /// Set by ``run()`` once credentials are known (the cookie is written after binding).
    private let authenticator = Mutex<RPCAuthenticator?>(nil)
    private let eventLoopGroup: any EventLoopGroup
    private let tracker = ConnectionTracker()
    private let state = Mutex(State.idle(waiters: []))

    /// A new connection: plain HTTP, or upgraded to a WebSocket of route `route` for `user`.
    enum ConnectionKind: Sendable {
        case http(HTTPConnectionHandler.Connection)
        case webSocket(WebSocketConnectionHandler.Channel, route: Int, user: String)
    }

    private typealias Listener = NIOAsyncChannel<EventLoopFuture<ConnectionKind>, Never>
    private typealias Waiter = CheckedContinuation<[RPCServerConfiguration.BindAddress], any Error>

    private enum State {
        case idle(waiters: [Waiter])
        case listening(addresses: [RPCServerConfiguration.BindAddress], listeners: [any Channel])
        case failed(any Error)
        case stopped
    }

    /// A server; nothing happens until ``run()``.
    public init(
        configuration: RPCServerConfiguration, dispatcher: RPCDispatcher, routes: [HTTPRoute] = [],
        webSocketRoutes: [WebSocketRoute] = [], logger: Logger = Logger(label: "rustyd.rpc"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.dispatcher = dispatcher
        // A plain request to a WebSocket path gets 426 (or 401 without credentials).
        self.routes = routes + webSocketRoutes.map { route in
            HTTPRoute(path: .exact(route.path), requiresAuthentication: true) { _ in
                HTTPRouteResponse(status: 426, headers: [("Upgrade", "websocket")], body: Array("WebSocket upgrade required".utf8))
            }
        }
        self.webSocketRoutes = webSocketRoutes
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
    }

    /// The addresses actually bound (with the chosen port when 0 was configured), once
    /// ``run()`` is listening; throws if starting failed.
    public func listeningAddresses() async throws -> [RPCServerConfiguration.BindAddress] {
        try await withCheckedThrowingContinuation { (waiter: Waiter) in
            let ready: Result<[RPCServerConfiguration.BindAddress], any Error>? = state.withLock { state in
                switch state {
                case var .idle(waiters):
                    waiters.append(waiter)
                    state = .idle(waiters: waiters)
                    return nil
                case let .listening(addresses, _): return .success(addresses)
                case let .failed(error): return .failure(error)
                case .stopped: return .failure(RPCServerError.alreadyStarted)
                }
            }
            if let ready { waiter.resume(with: ready) }
        }
    }

    /// Binds, serves until ``shutdown()`` or cancellation, then cleans up.
    public func run() async throws {
        let listeners: [Listener]
        let authenticator: RPCAuthenticator
        let cookiePath = configuration.authentication.usesCookie ? configuration.authentication.cookiePath : nil
        do {
            _ = try RPCAuthenticator(configuration: configuration.authentication, cookiePassword: nil)
            listeners = try await bindAll()
            var cookiePassword: String?
            if let cookiePath {
                cookiePassword = try RPCCookie.generate(at: cookiePath)
                logger.info("Generated RPC authentication cookie \(cookiePath)")
            }
            authenticator = try RPCAuthenticator(configuration: configuration.authentication, cookiePassword: cookiePassword)
            self.authenticator.withLock { $0 = authenticator }
        } catch {
            finishStarting(.failure(error))
            throw error
        }
        defer {
            if let cookiePath { RPCCookie.delete(at: cookiePath) }
            state.withLock { $0 = .stopped }
        }
        let addresses = listeners.compactMap { listener -> RPCServerConfiguration.BindAddress? in
            guard let address = listener.channel.localAddress, let host = address.ipAddress, let port = address.port
            else { return nil }
            return RPCServerConfiguration.BindAddress(host: host, port: port)
        }
        finishStarting(.success((addresses, listeners.map(\.channel))))
        for address in addresses { logger.info("Bound RPC server to \(address.host):\(address.port)") }
        if tracker.isShuttingDown { listeners.forEach { $0.channel.close(promise: nil) } }

        let handler = HTTPConnectionHandler(
            configuration: configuration, dispatcher: dispatcher, routes: routes, authenticator: authenticator,
            tracker: tracker, logger: logger)
        let logger = logger
        let webSocketHandlers = webSocketRoutes.map { WebSocketConnectionHandler(route: $0, tracker: tracker, logger: logger) }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for listener in listeners {
                    group.addTask {
                        do {
                            try await listener.executeThenClose { connections in
                                await withDiscardingTaskGroup { connectionGroup in
                                    do {
                                        for try await connection in connections {
                                            connectionGroup.addTask {
                                                switch try? await connection.get() {
                                                case let .http(http): await handler.serve(http)
                                                case let .webSocket(channel, route, user):
                                                    let peer = channel.channel.remoteAddress?.ipAddress ?? "?"
                                                    await webSocketHandlers[route].serve(channel, user: user, peer: peer)
                                                case nil: break
                                                }
                                            }
                                        }
                                    } catch {
                                        logger.debug("RPC accept loop ended: \(error)")
                                    }
                                }
                            }
                        } catch {
                            logger.debug("RPC listener closed: \(error)")
                        }
                    }
                }
            }
        } onCancel: {
            self.shutdown()
            for channel in self.tracker.allChannels() { channel.close(promise: nil) }
        }
        logger.info("RPC server stopped")
    }

    /// Stops gracefully: no new connections, idle connections closed, requests being answered
    /// finish (their connections close after the response). ``run()`` returns when all are done.
    public func shutdown() {
        let listeners: [any Channel] = state.withLock { state in
            if case let .listening(_, listeners) = state { return listeners }
            return []
        }
        let idle = tracker.beginShutdown()
        for channel in listeners + idle { channel.close(promise: nil) }
    }

    private func finishStarting(
        _ outcome: Result<([RPCServerConfiguration.BindAddress], [any Channel]), any Error>
    ) {
        let waiters: [Waiter] = state.withLock { state in
            guard case let .idle(waiters) = state else { return [] }
            switch outcome {
            case let .success((addresses, listeners)): state = .listening(addresses: addresses, listeners: listeners)
            case let .failure(error): state = .failed(error)
            }
            return waiters
        }
        for waiter in waiters { waiter.resume(with: outcome.map(\.0)) }
    }

    private func bindAll() async throws -> [Listener] {
        let alreadyRunning = state.withLock { state -> Bool in
            if case .idle = state { return false }
            return true
        }
        if alreadyRunning { throw RPCServerError.alreadyStarted }
        let idleTimeout = TimeAmount.nanoseconds(
            configuration.idleTimeout.components.seconds * 1_000_000_000
                + configuration.idleTimeout.components.attoseconds / 1_000_000_000)
        let bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 128)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
        var listeners: [Listener] = []
        var failures: [String] = []
        let upgraders: [any NIOTypedHTTPServerProtocolUpgrader<ConnectionKind>] = webSocketRoutes.isEmpty ? [] : [webSocketUpgrader()]
        for address in configuration.bindAddresses {
            do {
                let listener = try await bootstrap.bind(host: address.host, port: address.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout), name: Self.idleHandlerName)
                        let upgrade = NIOTypedHTTPServerUpgradeConfiguration<ConnectionKind>(upgraders: upgraders) { channel in
                            channel.eventLoop.makeCompletedFuture {
                                ConnectionKind.http(try HTTPConnectionHandler.Connection(wrappingChannelSynchronously: channel))
                            }
                        }
                        let connection = try pipeline.configureUpgradableHTTPServerPipeline(
                            configuration: NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: upgrade))
                        if !upgraders.isEmpty {
                            let upgrader = try pipeline.context(handlerType: NIOTypedHTTPServerUpgradeHandler<ConnectionKind>.self)
                            let gate = WebSocketUpgradeGate { [self] head, peer in upgradeTarget(head, peer: peer) != nil }
                            try pipeline.addHandler(gate, name: Self.gateName, position: .before(upgrader.handler))
                        }
                        try pipeline.addHandler(IdleConnectionCloser(), name: Self.idleCloserName)
                        return connection
                    }
                }
                listeners.append(listener)
            } catch {
                logger.warning("Binding RPC on address \(address.host) port \(address.port) failed: \(error)")
                failures.append("\(address.host):\(address.port): \(error)")
            }
        }
        guard !listeners.isEmpty else { throw RPCServerError.bindFailed(failures) }
        return listeners
    }

    private static let idleHandlerName = "rustyd.idle"
    private static let idleCloserName = "rustyd.idle-closer"
    private static let gateName = "rustyd.upgrade-gate"

    /// Upgrades requests for a WebSocket route from an allowed address with valid credentials;
    /// anything else stays HTTP (and gets 403, 401 or 426 there).
    private func webSocketUpgrader() -> NIOTypedWebSocketServerUpgrader<ConnectionKind> {
        let routes = webSocketRoutes
        let maxMessage = routes.map(\.maxIncomingMessageBytes).max() ?? 0
        return NIOTypedWebSocketServerUpgrader<ConnectionKind>(
            maxFrameSize: max(maxMessage, 1 << 10),
            // The gate already let only acceptable requests through.
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
            upgradePipelineHandler: { [self] channel, head in
                channel.eventLoop.makeCompletedFuture {
                    guard let (route, user) = upgradeTarget(head, peer: channel.remoteAddress?.ipAddress) else {
                        throw RPCServerError.upgradeRefused
                    }
                    let pipeline = channel.pipeline.syncOperations
                    // HTTP-only handlers go; subscribers may stay quiet for long: no idle timeout.
                    pipeline.removeHandler(name: Self.gateName, promise: nil)
                    pipeline.removeHandler(name: Self.idleCloserName, promise: nil)
                    pipeline.removeHandler(name: Self.idleHandlerName, promise: nil)
                    try pipeline.addHandler(NIOWebSocketFrameAggregator(
                        minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 64, maxAccumulatedFrameSize: routes[route].maxIncomingMessageBytes))
                    return .webSocket(try WebSocketConnectionHandler.Channel(wrappingChannelSynchronously: channel), route: route, user: user)
                }
            })
    }

    /// The route and user of a WebSocket upgrade request, if it may be upgraded.
    private func upgradeTarget(_ head: HTTPRequestHead, peer: String?) -> (route: Int, user: String)? {
        let path = String(head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        guard let route = webSocketRoutes.firstIndex(where: { $0.path == path }),
            let peer, configuration.allowedSubnets.contains(where: { $0.contains(peer) }),
            let authorization = head.headers["authorization"].first,
            let user = authenticator.withLock({ $0 })?.authenticate(authorization: authorization)
        else { return nil }
        return (route, user)
    }
}
