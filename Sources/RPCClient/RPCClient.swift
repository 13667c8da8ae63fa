import Foundation
import JSONRPC

/// Sends one JSON-RPC 2.0 call over HTTP and interprets the HTTP status as bitcoin-cli's
/// `CallRPC` does.
public struct RPCClient: Sendable {
    /// Why a call produced no reply object.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The server could not be reached (retried by `-rpcwait`).
        case transient(String)
        /// Anything else (bitcoin-cli prints `error: <message>` and exits with 1).
        case failed(String)

        public var description: String {
            switch self {
            case let .transient(message), let .failed(message): message
            }
        }
    }

    /// The settings.
    public var settings: RPCClientSettings
    /// Reads a file's contents (the cookie), nil when it cannot be read.
    public var readFile: @Sendable (String) -> String?

    /// A client.
    public init(settings: RPCClientSettings, readFile: @escaping @Sendable (String) -> String? = RPCClient.readTextFile) {
        self.settings = settings
        self.readFile = readFile
    }

    /// The request body bitcoin-cli sends: method, params, id 1 and the 2.0 marker.
    public static func requestBody(method: String, params: JSONValue) -> [UInt8] {
        JSONWriter().bytes(["method": .string(method), "params": params, "id": 1, "jsonrpc": "2.0"])
    }

    /// Calls `method` and returns the reply object (with `result` or `error`).
    public func call(_ method: String, params: JSONValue) throws(Failure) -> JSONObject {
        var credentials = settings.user + ":" + settings.password
        var missingCookie = false
        if settings.password.isEmpty {
            if let cookie = readFile(settings.cookiePath)?.split(whereSeparator: \.isNewline).first {
                credentials = String(cookie)
            } else {
                missingCookie = true
            }
        }
        var path = "/"
        if let wallet = settings.wallet {
            path = "/wallet/" + (wallet.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? wallet)
        }
        let response: HTTPClientResponse
        do {
            let connection = try HTTPClientConnection(host: settings.host, port: settings.port, timeout: settings.timeout)
            defer { connection.close() }
            try connection.send(
                method: "POST", path: path,
                headers: [
                    ("Connection", "close"), ("Content-Type", "application/json"),
                    ("Authorization", "Basic " + Data(credentials.utf8).base64EncodedString()),
                ],
                body: Self.requestBody(method: method, params: params))
            response = try connection.readResponse()
        } catch {
            if case let .connectionFailed(reason) = error {
                throw .transient(
                    "\(reason)\n\nMake sure the rustyd server is running and that you are connecting to the correct RPC port.\n"
                        + "Use \"rusty-cli -help\" for more info.")
            }
            throw .failed(error.description)
        }
        switch response.status {
        case 401 where missingCookie:
            throw .failed(
                "Could not locate RPC credentials. No authentication cookie could be found, and RPC password is not set.  "
                    + "See -rpcpassword and -stdinrpcpass.  Cookie file: (\(settings.cookiePath))")
        case 401: throw .failed("Authorization failed: Incorrect rpcuser or rpcpassword")
        case 503: throw .failed("Server response: \(response.text)")
        case 400, 404, 500: break
        case 400...: throw .failed("server returned HTTP error \(response.status)")
        default: break
        }
        guard !response.body.isEmpty else { throw .failed("no response from server") }
        guard let reply = try? JSONParser.parse(response.body), let object = reply.objectValue else {
            throw .failed("couldn't parse reply from server")
        }
        return object
    }

    /// Reads a UTF-8 text file.
    public static func readTextFile(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
