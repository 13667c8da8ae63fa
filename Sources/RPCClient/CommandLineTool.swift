import JSONRPC

/// rusty-cli's behaviour as a function from arguments (and standard input) to output and exit
/// status, so it can be tested without a process: bitcoin-cli's option handling, parameter
/// conversion, `-rpcwait` retries, and its output and exit conventions (a string result raw,
/// other results as JSON with 2-space indent, nothing for `null`; an RPC error as
/// `error code: N` / `error message:` on standard error with exit status |N|, other failures
/// as `error: …` with status 1).
public struct CommandLineTool: Sendable {
    /// What a run printed and its exit status.
    public struct Outcome: Sendable, Equatable {
        /// Standard output.
        public var output: String
        /// Standard error.
        public var error: String
        /// The exit status.
        public var status: Int32

        /// An outcome.
        public init(output: String, error: String, status: Int32) {
            self.output = output
            self.error = error
            self.status = status
        }
    }

    /// The home directory (for `~/.rustycoin`).
    public var home: String
    /// Reads one line of standard input, nil at its end.
    public var readLine: @Sendable () -> String?
    /// Reads a file (configuration, cookie).
    public var readFile: @Sendable (String) -> String?
    /// Waits between `-rpcwait` attempts.
    public var sleep: @Sendable (Duration) -> Void

    /// A tool reading from the given sources.
    public init(
        home: String, readLine: @escaping @Sendable () -> String?,
        readFile: @escaping @Sendable (String) -> String? = RPCClient.readTextFile,
        sleep: @escaping @Sendable (Duration) -> Void
    ) {
        self.home = home
        self.readLine = readLine
        self.readFile = readFile
        self.sleep = sleep
    }

    /// Runs rusty-cli with `arguments` (without the program name).
    public func run(_ arguments: [String]) -> Outcome {
        do throws(CommandLineOptions.Invalid) {
            let options = try CommandLineOptions(parsing: arguments)
            if options.flag("help") || options.flag("h") || options.flag("?") || options.flag("version") {
                return Outcome(output: Self.usage, error: "", status: 0)
            }
            let config = try loadConfig(options)
            var settings = try RPCClientSettings(options: options, config: config, home: home)
            if options.flag("stdinrpcpass") {
                guard let password = readLine() else {
                    return failure("-stdinrpcpass specified but failed to read from standard input")
                }
                settings.password = password
            }
            var words = (options.method.map { [$0] } ?? []) + options.words
            if options.flag("stdin") {
                while let line = readLine() { words.append(line) }
            }
            guard let method = words.first else {
                return Outcome(output: "", error: "error: too few parameters (need at least command)\n", status: 1)
            }
            let parameterWords = Array(words.dropFirst())
            let params: JSONValue
            do {
                params =
                    options.flag("named")
                    ? try RPCParameterConversion.named(method: method, words: parameterWords)
                    : try RPCParameterConversion.positional(method: method, words: parameterWords)
            } catch {
                return failure(error.description)
            }
            return call(method, params: params, settings: settings)
        } catch {
            return failure(error.message)
        }
    }

    private func call(_ method: String, params: JSONValue, settings: RPCClientSettings) -> Outcome {
        let client = RPCClient(settings: settings, readFile: readFile)
        let clock = ContinuousClock()
        let deadline = clock.now + settings.waitTimeout
        while true {
            let retry: String
            do throws(RPCClient.Failure) {
                let reply = try client.call(method, params: params)
                if settings.wait, let code = reply["error"]?["code"]?.int64Value, code == Int64(RPCErrorCode.inWarmup.rawValue) {
                    retry = "server in warmup"
                } else {
                    return Self.render(reply)
                }
            } catch {
                guard case let .transient(message) = error else { return failure(error.description) }
                retry = message
            }
            guard settings.wait, settings.waitTimeout == .zero || clock.now < deadline else {
                return failure(settings.wait ? "timeout on transient error: \(retry)" : retry)
            }
            sleep(.seconds(1))
        }
    }

    /// Output and status for a reply object.
    public static func render(_ reply: JSONObject) -> Outcome {
        if let error = reply["error"], !error.isNull {
            var text = ""
            guard case let .object(object) = error else {
                return Outcome(output: "", error: "error: \(error.jsonString)\n", status: 1)
            }
            if let code = object["code"], !code.isNull { text = "error code: \(code.jsonString)\n" }
            if let message = object["message"]?.stringValue { text += "error message:\n" + message }
            let code = object["code"]?.int64Value ?? 1
            let status = Int32(truncatingIfNeeded: code.magnitude % 256)
            return Outcome(output: "", error: text + "\n", status: status == 0 ? 1 : status)
        }
        switch reply["result"] ?? .null {
        case .null: return Outcome(output: "", error: "", status: 0)
        case let .string(text): return Outcome(output: text + "\n", error: "", status: 0)
        case let result: return Outcome(output: result.jsonString(indent: 2) + "\n", error: "", status: 0)
        }
    }

    private func loadConfig(_ options: CommandLineOptions) throws(CommandLineOptions.Invalid) -> ConfigFile {
        let dataDirectory = RPCClientSettings.dataDirectory(options: options, home: home)
        let explicit = options.value("conf")
        let name = explicit ?? "rusty.conf"
        let path = name.hasPrefix("/") ? name : dataDirectory + "/" + name
        guard let text = readFile(path) else {
            if explicit != nil, explicit != "" {
                throw CommandLineOptions.Invalid(message: "Error reading configuration file: specified config file \"\(path)\" could not be opened.")
            }
            return ConfigFile(parsing: "")
        }
        return ConfigFile(parsing: text)
    }

    private func failure(_ message: String) -> Outcome {
        Outcome(output: "", error: "error: \(message)\n", status: 1)
    }

    /// The `-help` text.
    public static let usage = """
        Rusty Coin RPC client

        Usage:  rusty-cli [options] <command> [params]   Send command to rustyd
        or:     rusty-cli [options] -named <command> [name=value]...   Send command with named arguments
        or:     rusty-cli [options] help   List commands
        or:     rusty-cli [options] help <command>   Get help for a command

        Options:
          -regtest              Use the regression test network (default)
          -testnet              Use the test network
          -mainnet              Use the main network
          -chain=<chain>        main, test or regtest
          -datadir=<dir>        Data directory (default: ~/.rustycoin; network files in <dir>/<network>)
          -conf=<file>          Configuration file, relative to the data directory (default: rusty.conf)
          -rpcconnect=<ip>      Send commands to node running on <ip>[:port] (default: 127.0.0.1)
          -rpcport=<port>       Connect to JSON-RPC on <port> (default: 7332, test 17332, regtest 18443)
          -rpcuser=<user>       Username for JSON-RPC connections
          -rpcpassword=<pw>     Password for JSON-RPC connections (default: the node's .cookie)
          -rpccookiefile=<file> Cookie file (default: <datadir>/<network>/.cookie)
          -rpcwallet=<name>     Send the command to the wallet <name> (/wallet/<name>)
          -rpcwait              Wait for the RPC server to start
          -rpcwaittimeout=<n>   Seconds to wait with -rpcwait (default: 0, forever)
          -rpcclienttimeout=<n> Seconds to wait for a reply (default: 900, 0 for none)
          -named                Pass named instead of positional arguments
          -stdin                Read extra arguments from standard input, one per line
          -stdinrpcpass         Read the RPC password from the first line of standard input

        """
}
