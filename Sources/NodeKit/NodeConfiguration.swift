import ChainParams
import Foundation
import Mempool
import NodeRPC
import RPCClient

/// rustyd's settings from the command line and `rusty.conf`, bitcoind style: `-name=value`
/// options, the command line winning over the file, `[main]`/`[test]`/`[regtest]` sections.
public struct NodeConfiguration: Sendable {
    public var network: Network
    /// `-datadir`: the root; each network lives in a subdirectory.
    public var dataDirectory: String
    public var configFile: String?
    /// `-dbcache` in MiB.
    public var databaseCacheMiB: Int
    /// Threads verifying scripts while blocks connect, the connecting thread included (`-par`).
    public var scriptThreads: Int
    public var transactionIndex: Bool
    /// `-blockfilterindex` (`1` or `basic`): keep BIP158 basic filters; `-peerblockfilters`
    /// serves them to peers (BIP157) and needs the index.
    public var blockFilterIndex: Bool
    public var peerBlockFilters: Bool
    /// Save the mempool at shutdown and load it at start (`-persistmempool`, default on).
    public var persistMempool: Bool
    /// Relay policy (`-maxmempool`, `-mempoolexpiry`, `-minrelaytxfee`, …; Docs/Configuration.md).
    public var mempoolPolicy: PolicySettings
    /// Confirmations after which `/ws` `txstatus` reports a transaction `final` (`-txstatusfinaldepth`).
    public var finalDepth: Int
    public var rpcBind: [String]
    public var rpcPort: Int
    public var rpcAllowIP: [String]
    public var rpcUser: String
    public var rpcPassword: String
    public var rpcAuth: [String]
    /// `-metricsallowip`: clients that may read `/metrics` and `/health` without credentials.
    public var metricsAllowIP: [String]
    public var printToConsole: Bool
    public var debug: [String]
    /// P2P: accept inbound connections (`-listen`, on unless `-connect` is given), on `-port`
    /// and the `-bind` addresses; connect only to `-connect` peers, or also to `-addnode` ones;
    /// at most `-maxconnections` (125).
    public var listen: Bool
    public var port: Int
    public var bind: [String]
    public var connect: [String]
    /// Whether the node opens connections of its own from the address book (not when `-connect`
    /// is given, even `-connect=0`, as Core).
    public var automaticConnections: Bool
    public var addNode: [String]
    /// `-seednode`: peers connected once at start to learn addresses from (`addr-fetch`).
    public var seedNode: [String]
    public var maxConnections: Int
    /// `-compactblocks` (rustyd's own; on by default): offer and use BIP152 compact blocks. Off,
    /// new blocks travel as headers and full blocks (for comparing the two).
    public var compactBlocks: Bool
    /// Options accepted for compatibility that this build does not act on yet.
    public var ignored: [String]

    /// Options rustyd understands.
    public static let knownOptions: Set<String> = [
        "regtest", "testnet", "mainnet", "chain", "datadir", "conf", "dbcache", "txindex", "persistmempool", "rpcbind", "rpcport", "rpcallowip",
        "rpcuser", "rpcpassword", "rpcauth", "metricsallowip", "printtoconsole", "debug", "server", "daemon", "help", "h", "?", "version",
        "maxmempool", "mempoolexpiry", "minrelaytxfee", "incrementalrelayfee", "dustrelayfee", "datacarrier", "datacarriersize",
        "permitbaremultisig", "limitancestorcount", "limitancestorsize", "limitdescendantcount", "limitdescendantsize", "txstatusfinaldepth",
        "port", "bind", "connect", "addnode", "listen", "maxconnections", "seednode", "compactblocks",
        "blockfilterindex", "peerblockfilters", "par",
    ]
    static let unsupportedOptions: [String] = []

    /// Core's `-par`: 0 means every core, a negative value leaves that many cores free; at
    /// least 1 and at most 16 threads (Core's 15 workers and the connecting thread).
    static func scriptThreads(par: Int, cores: Int) -> Int {
        min(16, max(1, par <= 0 ? cores + par : par))
    }

    /// Why the settings are unusable.
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The directory of the selected network (`<datadir>/<network>`).
    public var networkDirectory: String { dataDirectory + "/" + network.dataDirectoryName }

    /// Parses `arguments` (without the program name), reading the config file they point at.
    public init(arguments: [String], home: String = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory(), readFile: (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) })
        throws(Invalid)
    {
        let options: CommandLineOptions
        do {
            options = try CommandLineOptions(parsing: arguments, known: Self.knownOptions)
        } catch {
            throw Invalid(description: error.message)
        }
        if let word = options.method { throw Invalid(description: "Error: Command line contains unexpected token '\(word)'") }
        let root = options.value("datadir") ?? home + "/.rustycoin"
        dataDirectory = root
        let confPath = options.value("conf").map { $0.hasPrefix("/") ? $0 : root + "/" + $0 } ?? root + "/rusty.conf"
        let file = readFile(confPath).map { ConfigFile(parsing: $0) }
        if options.value("conf") != nil && file == nil {
            throw Invalid(description: "Error: Specified config file \"\(confPath)\" could not be opened.")
        }
        configFile = file == nil ? nil : confPath

        // The network: command line first, then the file's top section.
        func flag(_ name: String) -> Bool {
            if options.value(name) != nil { return options.flag(name) }
            guard let value = file?.value(name, network: "") else { return false }
            return value != "0"
        }
        var chosen: [Network] = []
        if flag("regtest") { chosen.append(.regtest) }
        if flag("testnet") { chosen.append(.test) }
        if flag("mainnet") { chosen.append(.main) }
        if let chain = options.value("chain") ?? file?.value("chain", network: "") {
            guard let named = Network(rawValue: chain == "testnet" ? "test" : chain) else { throw Invalid(description: "Error: Unknown chain \(chain).") }
            chosen.append(named)
        }
        guard Set(chosen).count <= 1 else { throw Invalid(description: "Error: Invalid combination of -regtest, -testnet, -mainnet and -chain. Can use at most one.") }
        network = chosen.first ?? .regtest
        let section = network.rawValue

        func values(_ name: String) -> [String] {
            let fromCommandLine = options.values(name)
            return fromCommandLine.isEmpty ? (file?.values(name, network: section) ?? []) : fromCommandLine
        }
        func value(_ name: String) -> String? { values(name).last }
        /// A boolean option: any value but `0` turns it on.
        func boolean(_ name: String, _ fallback: Bool) -> Bool { value(name).map { $0 != "0" } ?? fallback }
        func integer(_ name: String, _ fallback: Int) throws(Invalid) -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text) else { throw Invalid(description: "Error: Invalid value for -\(name): '\(text)'") }
            return number
        }

        databaseCacheMiB = max(4, try integer("dbcache", 450))
        scriptThreads = Self.scriptThreads(par: try integer("par", 0), cores: ProcessInfo.processInfo.activeProcessorCount)
        transactionIndex = boolean("txindex", false)
        switch value("blockfilterindex") {
        case nil, "0": blockFilterIndex = false
        case "1", "basic": blockFilterIndex = true
        case let other?: throw Invalid(description: "Error: Unknown -blockfilterindex value \(other).")
        }
        peerBlockFilters = boolean("peerblockfilters", false)
        if peerBlockFilters && !blockFilterIndex { throw Invalid(description: "Error: Cannot set -peerblockfilters without -blockfilterindex.") }
        persistMempool = boolean("persistmempool", true)
        func feeRate(_ name: String, _ fallback: FeeRate) throws(Invalid) -> FeeRate {
            guard let text = value(name) else { return fallback }
            guard let satoshis = FixedPoint.parse(text, decimals: 8), satoshis >= 0 else {
                throw Invalid(description: "Error: Invalid amount -\(name)=<amount>: '\(text)'")
            }
            return FeeRate(satoshisPerKilovirtualByte: satoshis)
        }
        var policy = PolicySettings()
        policy.maxAncestorCount = try integer("limitancestorcount", policy.maxAncestorCount)
        policy.maxAncestorSize = try integer("limitancestorsize", policy.maxAncestorSize / 1000) * 1000
        policy.maxDescendantCount = try integer("limitdescendantcount", policy.maxDescendantCount)
        policy.maxDescendantSize = try integer("limitdescendantsize", policy.maxDescendantSize / 1000) * 1000
        policy.maxMempoolBytes = try integer("maxmempool", policy.maxMempoolBytes / 1_000_000) * 1_000_000
        // As Core: the pool must hold 40 packages of the largest descendant size.
        let smallestPool = (policy.maxDescendantSize * 40 + 999_999) / 1_000_000
        guard policy.maxMempoolBytes >= policy.maxDescendantSize * 40 else {
            throw Invalid(description: "Error: -maxmempool must be at least \(smallestPool) MB")
        }
        policy.expirySeconds = Int64(try integer("mempoolexpiry", Int(policy.expirySeconds / 3600))) * 3600
        policy.minRelayFee = try feeRate("minrelaytxfee", policy.minRelayFee)
        policy.incrementalRelayFee = try feeRate("incrementalrelayfee", policy.incrementalRelayFee)
        policy.dustRelayFee = try feeRate("dustrelayfee", policy.dustRelayFee)
        policy.permitBareMultisig = boolean("permitbaremultisig", policy.permitBareMultisig)
        let carrierSize = try integer("datacarriersize", policy.dataCarrierBytes ?? 0)
        policy.dataCarrierBytes = value("datacarrier") == "0" ? nil : carrierSize
        mempoolPolicy = policy
        finalDepth = try integer("txstatusfinaldepth", 6)
        guard finalDepth >= 1 else { throw Invalid(description: "Error: -txstatusfinaldepth must be at least 1") }
        rpcBind = values("rpcbind")
        rpcPort = try integer("rpcport", Int(ChainParams.forNetwork(network).rpcPort))
        guard (1...65535).contains(rpcPort) else { throw Invalid(description: "Error: Invalid port specified in -rpcport: '\(rpcPort)'") }
        rpcAllowIP = values("rpcallowip")
        rpcUser = value("rpcuser") ?? ""
        rpcPassword = value("rpcpassword") ?? ""
        rpcAuth = values("rpcauth")
        metricsAllowIP = values("metricsallowip")
        printToConsole = boolean("printtoconsole", true)
        debug = values("debug")
        connect = values("connect").filter { $0 != "0" }
        automaticConnections = values("connect").isEmpty
        addNode = values("addnode")
        seedNode = values("seednode")
        listen = boolean("listen", automaticConnections)
        port = try integer("port", Int(ChainParams.forNetwork(network).defaultPort))
        guard (1...65535).contains(port) else { throw Invalid(description: "Error: Invalid port specified in -port: '\(port)'") }
        bind = values("bind")
        maxConnections = max(0, try integer("maxconnections", 125))
        compactBlocks = boolean("compactblocks", true)
        ignored = Self.unsupportedOptions.filter { !values($0).isEmpty }
        if rpcPassword.isEmpty != rpcUser.isEmpty && rpcAuth.isEmpty {
            throw Invalid(description: "Error: -rpcuser and -rpcpassword must be given together")
        }
    }
}
