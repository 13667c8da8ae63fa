import Foundation
#if canImport(Glibc)
import Glibc
#endif
import JSONRPC
import RPCClient

/// A `rustyd -regtest` process the network benchmarks start (the binary next to rusty-bench),
/// with a data directory of its own and an RPC client.
final class BenchNode {
    let directory: String
    let rpcPort: Int
    let p2pPort: Int
    private let process = Process()
    private let client: RPCClient

    /// The `rustyd` built next to this executable.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("rustyd")
    }

    /// Starts a node with `arguments` (besides its ports and data directory) and waits until it
    /// answers RPC.
    init(arguments: [String] = []) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw BenchmarkError.missing("\(Self.binary.path) (build it: swift build -c release --product rustyd)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rusty-bench-node-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        rpcPort = try Self.freePort()
        p2pPort = try Self.freePort()
        process.executableURL = Self.binary
        process.arguments = ["-regtest", "-datadir=\(directory)", "-rpcport=\(rpcPort)", "-port=\(p2pPort)", "-bind=127.0.0.1", "-printtoconsole=0"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let options = try CommandLineOptions(parsing: ["-regtest", "-datadir=\(directory)", "-rpcport=\(rpcPort)"])
        client = RPCClient(settings: try RPCClientSettings(options: options, config: ConfigFile(parsing: ""), home: NSHomeDirectory()))
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            guard process.isRunning else { throw BenchmarkError.missing("rustyd exited at start (data in \(directory))") }
            if (try? call("getblockcount")) != nil { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw BenchmarkError.missing("rustyd did not answer RPC within 60 s")
    }

    /// `ip:port` of its P2P listener.
    var p2pAddress: String { "127.0.0.1:\(p2pPort)" }

    @discardableResult
    func call(_ method: String, _ params: [JSONValue] = []) throws -> JSONValue {
        let reply = try client.call(method, params: .array(params))
        if let error = reply["error"], !error.isNull { throw BenchmarkError.missing("\(method): \(error.jsonString)") }
        return reply["result"] ?? .null
    }

    func height() throws -> Int { Int(try call("getblockcount").int64Value ?? -1) }

    /// Stops the node and removes its data.
    func stop() {
        _ = try? call("stop")
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A port the kernel picks as free (bound to port 0, then released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchmarkError.missing("no socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw BenchmarkError.missing("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
