import ChainParams
import ChainState
import ChainTypes
import Dispatch
import Foundation
import JSONRPC
import Logging
import Mining
import NodeRPC
import RPCClient
import RPCServer
import StorageRocksDB

/// `sendrawtransaction` over HTTP into a node's mempool: a regtest chain whose UTXO set holds
/// the coins, the node's RPC server on loopback, and clients on keep-alive connections.
struct MempoolHTTPBenchmark {
    /// Signed 1-input 2-output P2WPKH transactions spending coins of the chain.
    let transactions: [Transaction]
    private let chain: ChainService
    private let path: String

    /// Builds a chain with `count` spendable P2WPKH coins in a fresh RocksDB chain state, and
    /// that many spends of them.
    init(count: Int) throws {
        var builder = RegtestChainBuilder(keyCount: 256)
        guard let blocks = try builder.fundingBlocks(coins: count) else { throw BenchmarkError.fixturesDoNotVerify }
        guard let spends = try builder.nextBlock(spending: count, inputsPerTransaction: 1, outputsPerTransaction: 2) else {
            throw BenchmarkError.fixturesDoNotVerify
        }
        transactions = Array(spends.transactions.dropFirst())
        path = FileManager.default.temporaryDirectory.appendingPathComponent("rusty-bench-http-\(UUID().uuidString)").path
        let state = try ChainState(params: .regtest, store: try RocksDBStore(path: path), options: ChainStateOptions())
        try state.acceptAll(blocks)
        chain = ChainService(state: state)
    }

    /// Accepted transactions per second through `sendrawtransaction` on `connections` keep-alive
    /// HTTP connections, each sending its share one request at a time.
    func run(connections: Int) async throws -> Double {
        defer { try? FileManager.default.removeItem(atPath: path) }
        let context = ChainRPCContext(chain: chain, params: .regtest, requestShutdown: {})
        let registry = RPCMethodRegistry()
        registry.register(contentsOf: NodeMethods.all(context))
        let server = RPCServer(
            configuration: .loopback(port: 0, authentication: RPCAuthConfiguration(user: "bench", password: "bench")),
            dispatcher: RPCDispatcher(registry: registry), logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let serving = Task { try await server.run() }
        defer {
            server.shutdown()
            serving.cancel()
        }
        guard let port = try await server.listeningAddresses().first?.port else { throw BenchmarkError.fixturesDoNotVerify }
        let bodies = transactions.map { transaction in
            Array(#"{"jsonrpc":"2.0","id":1,"method":"sendrawtransaction","params":["\#(transaction.serialized.hexString)"]}"#.utf8)
        }
        let shares = (0..<connections).map { index in stride(from: index, to: bodies.count, by: connections).map { bodies[$0] } }
        let start = ContinuousClock.now
        let failures = try await withThrowingTaskGroup(of: Int.self) { group in
            for share in shares { group.addTask { try await Self.send(share, port: port) } }
            return try await group.reduce(0, +)
        }
        let seconds = (ContinuousClock.now - start).seconds
        guard failures == 0, await context.mempool.count == transactions.count else { throw BenchmarkError.fixturesDoNotVerify }
        return Double(transactions.count) / seconds
    }

    /// Posts `bodies` one after another on one connection (a blocking client on its own
    /// thread); returns how many were not answered with a result.
    private static func send(_ bodies: [[UInt8]], port: Int) async throws -> Int {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
            Thread {
                continuation.resume(with: Result {
                    let connection = try HTTPClientConnection(host: "127.0.0.1", port: port)
                    defer { connection.close() }
                    let authorization = "Basic " + Data("bench:bench".utf8).base64EncodedString()
                    var failures = 0
                    for body in bodies {
                        try connection.send(method: "POST", path: "/", headers: [("Authorization", authorization)], body: body)
                        let response = try connection.readResponse()
                        if response.status != 200 || response.text.contains(#""error":{"#) { failures += 1 }
                    }
                    return failures
                })
            }.start()
        }
    }
}
