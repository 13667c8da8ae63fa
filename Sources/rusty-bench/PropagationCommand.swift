import Addresses
import ArgumentParser
import ChainCrypto
import ChainParams
import ChainTypes
import Foundation
import JSONRPC
import Mining

/// How long a new block takes to cross a line of `rustyd` nodes when their mempools already
/// hold its transactions: with BIP152 compact blocks vs with headers and full blocks.
struct PropagationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propagation", abstract: "A new block crossing a line of rustyd nodes: compact blocks vs full blocks.")

    @Option(help: "Nodes in the line.")
    var nodes = 5

    @Option(help: "Blocks timed per mode; the median counts.")
    var rounds = 5

    @Option(help: "Transactions in each timed block (relayed to every mempool first).")
    var transactions = 200

    mutating func run() throws {
        var results: [(compact: Bool, times: [Double], bytes: Int)] = []
        for compact in [true, false] {
            let (times, bytes) = try measure(compact: compact)
            results.append((compact, times, bytes))
        }
        func median(_ times: [Double]) -> Double { times.sorted()[times.count / 2] }
        let compact = median(results[0].times), full = median(results[1].times)
        print("""
            block propagation across \(nodes) nodes in a line (\(nodes - 1) hops), \(transactions) pooled transactions per block, median of \(rounds) blocks
              compact blocks (BIP152)    \(String(format: "%.1f", compact * 1_000)) ms   runs: \(Self.list(results[0].times))   bytes into the last node per block: \(results[0].bytes / rounds)
              full blocks                \(String(format: "%.1f", full * 1_000)) ms   runs: \(Self.list(results[1].times))   bytes into the last node per block: \(results[1].bytes / rounds)
            ratio (full / compact time): \(String(format: "%.2f", full / compact))
            """)
    }

    static func list(_ times: [Double]) -> String { times.map { String(format: "%.1f", $0 * 1_000) }.joined(separator: ", ") }

    /// Starts the line, funds it, then times `rounds` blocks from the first node's
    /// `generatetoaddress` to the last node's tip; also the bytes the last node received for them.
    func measure(compact: Bool) throws -> (times: [Double], bytes: Int) {
        let flag = "-compactblocks=\(compact ? 1 : 0)"
        var line = [try BenchNode(arguments: ["-connect=0", "-listen=1", flag])]
        defer { line.forEach { $0.stop() } }
        for _ in 1..<max(2, nodes) {
            line.append(try BenchNode(arguments: ["-connect=\(line[line.count - 1].p2pAddress)", "-listen=1", flag]))
        }
        guard let first = line.first, let last = line.last else { throw BenchmarkError.missing("no nodes") }
        // Recent block times, so the nodes are not catching up (they relay transactions).
        var builder = RegtestChainBuilder(keyCount: 64, startTime: Int64(Date().timeIntervalSince1970) - 5 * 3_600)
        guard let setup = try builder.fundingBlocks(coins: rounds * transactions) else { throw BenchmarkError.fixturesDoNotVerify }
        for block in setup { try first.call("submitblock", [.string(block.serialized.hexString)]) }
        try Self.wait("the line to sync the set-up blocks") { try last.height() == setup.count }
        let payee = Address.witness(version: 0, program: Hashing.hash160(PrivateKey.random().publicKey().bytes))
            .encoded(prefixes: ChainParams.regtest.addressPrefixes)
        var times: [Double] = []
        var bytes = 0
        for _ in 0..<rounds {
            guard let spends = try builder.nextBlock(spending: transactions, inputsPerTransaction: 1) else { throw BenchmarkError.fixturesDoNotVerify }
            for transaction in spends.transactions.dropFirst() {
                try first.call("sendrawtransaction", [.string(transaction.serialized.hexString)])
            }
            try Self.wait("the transactions in every mempool") { try line.allSatisfy { try $0.call("getmempoolinfo")["size"] == .int(Int64(transactions)) } }
            let before = try last.call("getnettotals")["totalbytesrecv"]?.int64Value ?? 0
            let start = ContinuousClock.now
            let hash = try first.call("generatetoaddress", [1, .string(payee)]).arrayValue?.first
            while try last.call("getbestblockhash") != hash { Thread.sleep(forTimeInterval: 0.0005) }
            times.append((ContinuousClock.now - start).seconds)
            bytes += Int((try last.call("getnettotals")["totalbytesrecv"]?.int64Value ?? 0) - before)
            try Self.wait("the block everywhere") { try line.allSatisfy { try $0.call("getbestblockhash") == hash } }
        }
        return (times, bytes)
    }

    /// Polls `condition` every 10 ms for up to two minutes.
    static func wait(_ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw BenchmarkError.missing("timed out waiting for \(what)")
    }
}
