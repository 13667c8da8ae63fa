import Synchronization
import ChainParams
import Foundation
import JSONRPC
import RPCClient
import RPCServer
import Testing

/// rusty-cli's behaviour end to end against a real server.
@Suite struct RustyCLITests {
    /// A tool whose data directory is the server's parent, with the server's cookie copied to
    /// `<datadir>/regtest/.cookie`.
    func tool(for server: TestServer, stdin: [String] = []) throws -> (CommandLineTool, String) {
        let dataDirectory = server.directory + "/data"
        try FileManager.default.createDirectory(atPath: dataDirectory + "/regtest", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: server.cookiePath, toPath: dataDirectory + "/regtest/.cookie")
        let lines = LineSource(stdin)
        return (CommandLineTool(home: "/nonexistent", readLine: { lines.next() }, sleep: { _ in }), dataDirectory)
    }

    @Test func callsPrintResultsAndErrorsLikeBitcoinCli() async throws {
        let server = try await TestServer.start()
        let (tool, dataDirectory) = try tool(for: server)
        let common = ["-datadir=\(dataDirectory)", "-rpcport=\(server.port)"]
        let outcomes = try await onThread {
            [
                tool.run(common + ["uptime"]),
                tool.run(common + ["echo", "x", "-1"]),
                tool.run(common + ["-named", "echo", "arg1=v", "positional"]),
                tool.run(common + ["nosuch"]),
                tool.run(common + ["help", "uptime"]),
                tool.run(common + ["-rpcwallet=w 1", "whoami"]),
            ]
        }
        #expect(outcomes[0] == .init(output: "42\n", error: "", status: 0))
        #expect(outcomes[1] == .init(output: "[\n  \"x\",\n  \"-1\"\n]\n", error: "", status: 0))
        #expect(outcomes[2] == .init(output: "[\n  \"positional\",\n  \"v\"\n]\n", error: "", status: 0))
        #expect(outcomes[3] == .init(output: "", error: "error code: -32601\nerror message:\nMethod not found\n", status: 32601 % 256))
        #expect(outcomes[4].output.hasPrefix("uptime\nReturns the total uptime of the server.\n"))
        #expect(outcomes[5].output.contains("\"wallet\": \"w 1\""))
        try await server.stop()
    }

    @Test func credentialsFromOptionsStdinAndConfig() async throws {
        let server = try await TestServer.start(
            authentication: RPCAuthConfiguration(user: "u", password: "p w", cookiePath: nil))
        let dataDirectory = server.directory + "/data"
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try "rpcuser=u\n[regtest]\nrpcpassword=p w\nrpcport=\(server.port)\n".write(
            toFile: dataDirectory + "/rusty.conf", atomically: true, encoding: .utf8)
        let port = server.port
        let outcomes = try await onThread {
            let plain = CommandLineTool(home: "/nonexistent", readLine: { nil }, sleep: { _ in })
            let lines = LineSource(["p w", "echo", "from stdin"])
            let piped = CommandLineTool(home: "/nonexistent", readLine: { lines.next() }, sleep: { _ in })
            return [
                plain.run(["-datadir=\(dataDirectory)", "uptime"]),
                plain.run(["-datadir=/nonexistent", "-rpcport=\(port)", "-rpcuser=u", "-rpcpassword=wrong", "uptime"]),
                plain.run(["-datadir=/nonexistent", "-rpcport=\(port)", "uptime"]),
                piped.run(["-datadir=/nonexistent", "-rpcport=\(port)", "-rpcuser=u", "-stdinrpcpass", "-stdin"]),
            ]
        }
        #expect(outcomes[0].output == "42\n")
        #expect(outcomes[1] == .init(output: "", error: "error: Authorization failed: Incorrect rpcuser or rpcpassword\n", status: 1))
        #expect(outcomes[2].error.hasPrefix("error: Could not locate RPC credentials."))
        #expect(outcomes[3].output == "[\n  \"from stdin\"\n]\n")
        try await server.stop()
    }

    @Test func connectionFailuresAndWaiting() throws {
        let attempts = Counter()
        let tool = CommandLineTool(home: "/nonexistent", readLine: { nil }) { _ in
            attempts.increment()
            Thread.sleep(forTimeInterval: 0.2)
        }
        let refused = tool.run(["-rpcport=1", "-rpcpassword=x", "uptime"])
        #expect(refused.status == 1)
        #expect(refused.error.hasPrefix("error: Could not connect to the server 127.0.0.1:1"))
        let waited = tool.run(["-rpcport=1", "-rpcpassword=x", "-rpcwait", "-rpcwaittimeout=1", "uptime"])
        #expect(waited.error.hasPrefix("error: timeout on transient error: Could not connect"))
        #expect(attempts.value >= 1)
        #expect(tool.run(["-frobnicate", "x"]).error == "error: Error parsing command line arguments: Invalid parameter -frobnicate\n")
        #expect(tool.run(["-testnet", "-mainnet", "x"]).status == 1)
        #expect(tool.run([]).error == "error: too few parameters (need at least command)\n")
        #expect(tool.run(["-rpcport=1", "-rpcpassword=x", "getblockhash", "tip"]).error == "error: Error parsing JSON: tip\n")
    }
}

/// Lines handed out one by one, as standard input would.
final class LineSource: Sendable {
    private let lines: Mutex<[String]>
    init(_ lines: [String]) { self.lines = Mutex(lines) }
    func next() -> String? { lines.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
}

/// A thread-safe counter.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
