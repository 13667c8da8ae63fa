import ChainParams

/// Where and how rusty-cli connects, resolved from the command line and `rusty.conf` as
/// bitcoin-cli does (command line first, then the network's section, then the top).
public struct RPCClientSettings: Sendable, Equatable {
    /// The network.
    public var network: Network
    /// The server host (`-rpcconnect`, default 127.0.0.1).
    public var host: String
    /// The server port (`-rpcport`, a port in `-rpcconnect`, or the network's RPC port).
    public var port: Int
    /// `-rpcuser`.
    public var user: String
    /// `-rpcpassword`; when empty the cookie at ``cookiePath`` is used.
    public var password: String
    /// The cookie file: `<datadir>/<network>/.cookie` or `-rpccookiefile`.
    public var cookiePath: String
    /// `-rpcwallet`: calls go to `/wallet/<name>`.
    public var wallet: String?
    /// `-rpcclienttimeout` (default 900 s; 0 for none).
    public var timeout: Duration
    /// `-rpcwait`: retry until the server answers.
    public var wait: Bool
    /// `-rpcwaittimeout` (0: wait forever).
    public var waitTimeout: Duration

    /// The data directory: `-datadir`, else `~/.rustycoin` (bitcoind's layout: the network's
    /// files are in a subdirectory named after it, `regtest`, `test` or `main`).
    public static func dataDirectory(options: CommandLineOptions, home: String) -> String {
        options.value("datadir") ?? home + "/.rustycoin"
    }

    /// The network the options select: `-regtest` (default), `-testnet`, `-mainnet`, or
    /// `-chain=main|test|regtest`.
    public static func network(options: CommandLineOptions) throws(CommandLineOptions.Invalid) -> Network {
        var selected: [Network] = []
        if options.flag("regtest") { selected.append(.regtest) }
        if options.flag("testnet") { selected.append(.test) }
        if options.flag("mainnet") { selected.append(.main) }
        if let chain = options.value("chain") {
            switch chain {
            case "main", "mainnet": selected.append(.main)
            case "test", "testnet": selected.append(.test)
            case "regtest": selected.append(.regtest)
            default: throw CommandLineOptions.Invalid(message: "Error: Unknown chain \(chain)")
            }
        }
        guard Set(selected).count <= 1 else {
            throw CommandLineOptions.Invalid(message: "Error: Invalid combination of -regtest, -testnet, -mainnet and -chain")
        }
        return selected.first ?? .regtest
    }

    /// Resolves the settings; `config` is the parsed `rusty.conf` (or an empty one).
    public init(options: CommandLineOptions, config: ConfigFile, home: String) throws(CommandLineOptions.Invalid) {
        let network = try Self.network(options: options)
        let section = network.rawValue
        func setting(_ key: String) -> String? { options.value(key) ?? config.value(key, network: section) }

        self.network = network
        var host = setting("rpcconnect") ?? "127.0.0.1"
        var port = Int(ChainParams.forNetwork(network).rpcPort)
        if let (splitHost, splitPort) = Self.splitHostPort(host) {
            host = splitHost
            if let splitPort { port = splitPort }
        }
        if let portText = setting("rpcport") {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw CommandLineOptions.Invalid(message: "Error: Invalid port provided in -rpcport: \(portText)")
            }
            port = value
        }
        self.host = host
        self.port = port
        self.user = setting("rpcuser") ?? ""
        self.password = setting("rpcpassword") ?? ""
        let networkDirectory = Self.dataDirectory(options: options, home: home) + "/" + network.dataDirectoryName
        let cookie = setting("rpccookiefile") ?? ".cookie"
        self.cookiePath = cookie.hasPrefix("/") ? cookie : networkDirectory + "/" + cookie
        self.wallet = options.value("rpcwallet")
        self.timeout = .seconds(Int(setting("rpcclienttimeout") ?? "") ?? 900)
        self.wait = options.flag("rpcwait")
        self.waitTimeout = .seconds(Int(setting("rpcwaittimeout") ?? "") ?? 0)
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port` (Core's `SplitHostPort`); nil for a malformed port.
    public static func splitHostPort(_ text: String) -> (String, Int?)? {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return (host, nil) }
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()) else { return nil }
            return (host, port)
        }
        let colons = text.filter { $0 == ":" }.count
        if colons == 1, let colon = text.firstIndex(of: ":") {
            guard let port = Int(text[text.index(after: colon)...]) else { return nil }
            return (String(text[..<colon]), port)
        }
        return (text, nil)
    }
}
