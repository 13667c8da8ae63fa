import Foundation
#if canImport(Glibc)
import Glibc
#endif
import JSONRPC
import RPCClient

/// A `rustyd` process started by a test, with a data directory of its own, and an RPC client.
final class RustydProcess: @unchecked Sendable {  // used from one test at a time
    let dataDirectory: String
    let port: Int
    private var process: Process?

    /// The directory holding the built products (`rustyd` next to the test bundle).
    static var productsDirectory: URL {
        let bundle = Bundle.main.bundleURL
        return bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
    }

    static var binary: URL { productsDirectory.appendingPathComponent("rustyd") }

    init(dataDirectory: String? = nil) {
        self.dataDirectory = dataDirectory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("rustyd-node-\(UUID().uuidString)").path
        port = Self.freePort()
        p2pPort = Self.freePort()
    }

    /// The P2P port (bound on loopback only).
    let p2pPort: Int

    /// A port below Linux's ephemeral range (32768+, where client sockets would collide) that
    /// nothing listens on right now.
    static func freePort() -> Int {
        for _ in 0..<100 {
            let candidate = Int.random(in: 20_000..<32_000)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(candidate).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound == 0 { return candidate }
        }
        return Int.random(in: 20_000..<32_000)
    }

    /// Starts the daemon and waits until it answers RPC.
    func start(extraArguments: [String] = []) throws {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["-regtest", "-datadir=\(dataDirectory)", "-rpcport=\(port)", "-port=\(p2pPort)", "-bind=127.0.0.1"] + extraArguments
        let logPath = dataDirectory + "/rustyd.log"
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if !process.isRunning { throw TestFailure("rustyd exited during start-up:\n\(logTail())") }
            if (try? call("getblockcount")) != nil { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TestFailure("rustyd did not answer RPC within 60 s:\n\(logTail())")
    }

    /// The last lines of the node's log.
    func logTail() -> String {
        let text = (try? String(contentsOfFile: dataDirectory + "/rustyd.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(30).joined(separator: "\n")
    }

    /// Calls `method`; throws the RPC error as `TestFailure` unless `expectError`.
    @discardableResult
    func call(_ method: String, _ params: [JSONValue] = []) throws -> JSONValue {
        let options = try CommandLineOptions(parsing: ["-regtest", "-datadir=\(dataDirectory)", "-rpcport=\(port)"])
        let settings = try RPCClientSettings(options: options, config: ConfigFile(parsing: ""), home: NSHomeDirectory())
        let reply = try RPCClient(settings: settings).call(method, params: .array(params))
        if let error = reply["error"], !error.isNull { throw RPCCallError(method: method, error: error) }
        return reply["result"] ?? .null
    }

    /// `Basic …` with the cookie's credentials.
    func cookieAuthorization() throws -> String {
        let cookie = try String(contentsOfFile: dataDirectory + "/regtest/.cookie", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return "Basic " + Data(cookie.utf8).base64EncodedString()
    }

    /// A GET on the RPC port with the cookie's credentials: (status, body).
    func get(_ path: String, authenticated: Bool = true) throws -> (Int, String) {
        let connection = try HTTPClientConnection(host: "127.0.0.1", port: port)
        defer { connection.close() }
        var headers: [(String, String)] = [("Connection", "close")]
        if authenticated { headers.append(("Authorization", try cookieAuthorization())) }
        try connection.send(method: "GET", path: path, headers: headers)
        let response = try connection.readResponse(requestMethod: "GET")
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    /// Sends SIGTERM and waits; returns the exit status.
    func terminate() -> Int32 {
        guard let process, process.isRunning else { return -1000 }
        process.terminate()
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
    }

    /// kill -9.
    func kill() {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// `stop` over RPC, then waits; returns the exit status (a signal as its negative).
    func stop() throws -> Int32 {
        try call("stop")
        process?.waitUntilExit()
        guard let process else { return -1000 }
        return process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
    }

    var isRunning: Bool { process?.isRunning ?? false }

    /// The exit status once the process ended (a signal as its negative).
    var exitStatus: Int32? {
        guard let process, !process.isRunning else { return nil }
        return process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
    }

    func removeData() { try? FileManager.default.removeItem(atPath: dataDirectory) }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct RPCCallError: Error, CustomStringConvertible {
    let method: String
    let error: JSONValue
    var code: Int64? { error["code"]?.int64Value }
    var description: String { "\(method): \(error.jsonString)" }
}
