import Foundation
import Logging
import Metrics
import NodeKit
import Prometheus

/// The Rusty Coin node daemon. Options follow bitcoind (`-regtest`, `-datadir=…`, `-rpcport=…`;
/// see `Docs/Configuration.md`); regtest is the default network.
@main
enum Rustyd {
    static let usage = """
        Usage: rustyd [options]

        Networks: -regtest (default), -testnet, -mainnet, -chain=<main|test|regtest>
        Storage:  -datadir=<dir> (default ~/.rustycoin), -conf=<file> (default <datadir>/rusty.conf),
                  -dbcache=<MiB> (default 450), -txindex
        RPC:      -rpcport=<port>, -rpcbind=<addr>[:port], -rpcallowip=<ip|cidr>, -rpcuser=<user>,
                  -rpcpassword=<pw>, -rpcauth=<user:salt$hash> (default: cookie in <datadir>/<network>/.cookie)
        Logging:  -printtoconsole (default on), -debug=<category>
        """

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains(where: { ["-help", "--help", "-h", "-?"].contains($0) }) {
            print(usage)
            return
        }
        if arguments.contains(where: { ["-version", "--version"].contains($0) }) {
            print("rustyd version 0.1.0")
            return
        }
        let configuration: NodeConfiguration
        do {
            configuration = try NodeConfiguration(arguments: arguments)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(1)
        }
        let verbose = !configuration.debug.isEmpty && configuration.debug != ["0"]
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .info
            return handler
        }
        let logger = Logger(label: "rustyd")
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))
        do {
            try await Node.run(configuration: configuration, metrics: metrics, logger: logger)
        } catch {
            logger.critical("rustyd stopped with an error: \(error)")
            exit(1)
        }
    }
}
