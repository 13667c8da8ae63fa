import RPCServer
import ServiceLifecycle

/// Runs the JSON-RPC server until the node shuts down.
struct RPCService: Service {
    let server: RPCServer

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await server.run()
        } onGracefulShutdown: {
            server.shutdown()
        }
    }
}
