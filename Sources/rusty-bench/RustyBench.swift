import ArgumentParser

/// `rusty-bench`: measures rustyd against baselines in the same run and prints ratios.
@main
struct RustyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rusty-bench",
        abstract: "Benchmarks rustyd's hot paths against raw baselines measured in the same run.",
        subcommands: [SignaturesCommand.self, ChainCommand.self, BuildChainCommand.self, MempoolCommand.self, SyncCommand.self, PropagationCommand.self],
        defaultSubcommand: SignaturesCommand.self)
}

/// Input verification through the interpreter vs raw libsecp256k1 (single thread).
struct SignaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "signatures", abstract: "Script verification vs raw libsecp256k1.")

    @Option(help: "Inputs per benchmark transaction (one signature each).")
    var inputs = 1000

    @Option(help: "Timed rounds; the fastest round of each side counts.")
    var rounds = 7

    mutating func run() throws {
        let benchmark = try SignatureBenchmark(inputCount: inputs)
        try benchmark.checkFixtures()
        print(benchmark.run(rounds: rounds).text)
    }
}
