import Synchronization
import Foundation
import JSONRPC
import Logging
import RPCClient
import RPCServer

/// An RPC server on 127.0.0.1 with an ephemeral port, a temporary data directory and a few
/// demo methods, for tests over real HTTP.
final class TestServer: Sendable {
    let server: RPCServer
    let port: Int
    let directory: String
    private let task: Task<Void, any Error>

    static func start(
        authentication: RPCAuthConfiguration? = nil, configure: @Sendable (inout RPCServerConfiguration) -> Void = { _ in },
        routes: [HTTPRoute] = [], webSocketRoutes: [WebSocketRoute] = []
    ) async throws -> TestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rpc-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = RPCServerConfiguration(
            bindAddresses: [.init(host: "127.0.0.1", port: 0)],
            authentication: authentication ?? .cookie(inDirectory: directory),
            failedAuthenticationDelay: .milliseconds(10))
        configure(&configuration)
        let server = RPCServer(
            configuration: configuration, dispatcher: RPCDispatcher(registry: demoRegistry()), routes: routes,
            webSocketRoutes: webSocketRoutes, logger: Logger(label: "test.rpc", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { try await server.run() }
        let addresses = try await server.listeningAddresses()
        return TestServer(server: server, port: addresses[0].port, directory: directory, task: task)
    }

    private init(server: RPCServer, port: Int, directory: String, task: Task<Void, any Error>) {
        self.server = server
        self.port = port
        self.directory = directory
        self.task = task
    }

    /// Shuts down gracefully and waits for `run()` to return.
    func stop() async throws {
        server.shutdown()
        try await task.value
        try? FileManager.default.removeItem(atPath: directory)
    }

    var cookiePath: String { directory + "/.cookie" }

    /// `Basic …` for the cookie.
    func cookieAuthorization() throws -> String {
        let cookie = try String(contentsOfFile: cookiePath, encoding: .utf8)
        return "Basic " + Data(cookie.utf8).base64EncodedString()
    }

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    /// Opens a connection and runs `body` with it on a thread outside the concurrency pool
    /// (the client blocks).
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (HTTPClientConnection) throws -> T) async throws -> T {
        let port = port
        return try await onThread {
            let connection = try HTTPClientConnection(host: "127.0.0.1", port: port, timeout: .seconds(10))
            defer { connection.close() }
            return try body(connection)
        }
    }

    /// One POST on a new connection.
    func post(_ body: String, authorization: String?, path: String = "/") async throws -> HTTPClientResponse {
        try await withConnection { connection in
            var headers: [(String, String)] = []
            if let authorization { headers.append(("Authorization", authorization)) }
            try connection.send(method: "POST", path: path, headers: headers, body: Array(body.utf8))
            return try connection.readResponse()
        }
    }

    static func demoRegistry() -> RPCMethodRegistry {
        let registry = RPCMethodRegistry()
        registry.register(
            RPCMethod(
                "echo", category: "hidden", description: "Echo back the arguments.\n",
                arguments: (0..<3).map { .optional("arg\($0)", .any, "Any value") }
            ) { args throws(RPCError) in .array(args.values) })
        registry.register(
            RPCMethod("uptime", category: "control", description: "Returns the total uptime of the server.\n") {
                _ throws(RPCError) in 42
            })
        registry.register(
            RPCMethod("whoami", category: "hidden", description: "The caller as the server sees it.\n") {
                args throws(RPCError) in
                ["user": .string(args.context.user), "wallet": args.context.walletName.map { .string($0) } ?? .null]
            })
        registry.register(
            RPCMethod(
                "sleep", category: "hidden", description: "Waits.\n",
                arguments: [.required("milliseconds", .number, "How long"), .optional("token", .string, "Names the call for SleepProbe")]
            ) { args throws(RPCError) in
                if let token = try args.optionalString(1) { SleepProbe.started.withLock { _ = $0.insert(token) } }
                try? await Task.sleep(for: .milliseconds(try args.int64(0)))
                return "slept"
            })
        return registry
    }
}

/// Records the tokens of `sleep` calls that have begun, so a test can wait until its own
/// request is being answered.
enum SleepProbe {
    static let started = Mutex(Set<String>())

    /// Waits (up to 10 s) until the `sleep` call with `token` has started.
    static func waitForStart(of token: String) async throws {
        for _ in 0..<1000 where !started.withLock({ $0.contains(token) }) {
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// Runs blocking `body` on a thread of its own and awaits its result. (Not on a dispatch
/// queue: on Linux those threads are the ones Swift concurrency runs on, and blocking them
/// would starve the server under test.)
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}
