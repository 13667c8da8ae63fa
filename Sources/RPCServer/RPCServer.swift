import JSONRPC
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The JSON-RPC server on the RPC port: HTTP/1.1 with keep-alive and pipelining, Basic
/// authentication with cookie, `-rpcuser`/`-rpcpassword` and `-rpcauth` credentials, an IP
/// allow-list, bounded heads and bodies, idle timeouts, and extra ``HTTPRoute``s.
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
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let tracker = ConnectionTracker()
    private let state = Mutex(State.idle(waiters: []))

    private typealias Listener = NIOAsyncChannel<HTTPConnectionHandler.Connection, Never>
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
        logger: Logger = Logger(label: "rustyd.rpc"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.dispatcher = dispatcher
        self.routes = routes
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
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for listener in listeners {
                    group.addTask {
                        do {
                            try await listener.executeThenClose { connections in
                                await withDiscardingTaskGroup { connectionGroup in
                                    do {
                                        for try await connection in connections {
                                            connectionGroup.addTask { await handler.serve(connection) }
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
        for address in configuration.bindAddresses {
            do {
                let listener = try await bootstrap.bind(host: address.host, port: address.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                        try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout))
                        try pipeline.addHandler(IdleConnectionCloser())
                        return try HTTPConnectionHandler.Connection(wrappingChannelSynchronously: channel)
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
}
