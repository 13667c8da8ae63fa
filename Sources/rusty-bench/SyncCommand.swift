import ArgumentParser
import ChainState
import ChainTypes
import Foundation
import JSONRPC
import StorageRocksDB

/// Blocks/s connecting a signature-heavy chain locally vs syncing the same chain from a
/// `rustyd` peer over loopback (both with all cores and the default `-dbcache`).
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Connecting a chain locally vs syncing it from a rustyd peer over loopback.")

    @Option(help: "Signature-heavy blocks.")
    var blocks = 40

    @Option(help: "P2WPKH inputs per block.")
    var inputs = 2000

    @Option(help: "Timed runs of each side; the medians count.")
    var runs = 3

    mutating func run() throws {
        let fixture = try ChainFixture(blocks: blocks, inputsPerBlock: inputs)
        let total = fixture.setup.count + fixture.measured.count
        print("built \(total) blocks (\(fixture.inputCount) signed inputs in the last \(fixture.measured.count))")

        var local: [Double] = []
        for _ in 0..<max(1, runs) { local.append(try connectLocally(fixture)) }

        let source = try BenchNode()
        defer { source.stop() }
        for block in fixture.setup + fixture.measured {
            let result = try source.call("submitblock", [.string(block.serialized.hexString)])
            guard result.isNull else { throw BenchmarkError.missing("the source node refused a block: \(result.jsonString)") }
        }
        var synced: [Double] = []
        for _ in 0..<max(1, runs) { synced.append(try syncFromPeer(source, fixture: fixture)) }

        let localRate = local.sorted()[local.count / 2], syncRate = synced.sorted()[synced.count / 2]
        print("""
            sync, \(fixture.measured.count) blocks × \(inputs) P2WPKH inputs after \(fixture.setup.count) set-up blocks, median of \(runs) runs each
              connected locally (RocksDB chain state, blocks in memory)   \(String(format: "%.2f", localRate)) blocks/s   runs: \(Self.list(local))
              synced from a rustyd peer over loopback                    \(String(format: "%.2f", syncRate)) blocks/s   runs: \(Self.list(synced))
            ratio (synced / local, goal >= 0.9): \(String(format: "%.3f", syncRate / localRate))
            """)
    }

    static func list(_ rates: [Double]) -> String { rates.map { String(format: "%.2f", $0) }.joined(separator: ", ") }

    /// The signature-heavy blocks connected into a fresh RocksDB chain state, in download-sized
    /// batches (the set-up blocks first, untimed); blocks per second.
    func connectLocally(_ fixture: ChainFixture) throws -> Double {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rusty-bench-sync-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dbcache = 450 << 20
        let chain = try ChainState(
            params: .regtest, store: try RocksDBStore(path: path, cacheBytes: dbcache / 4),
            options: ChainStateOptions(coinsCacheBytes: dbcache * 3 / 4))
        try chain.acceptAll(fixture.setup)
        let start = ContinuousClock.now
        try chain.acceptAll(fixture.measured)
        return Double(fixture.measured.count) / (ContinuousClock.now - start).seconds
    }

    /// A fresh node connected to `source` only: from the first time its tip is seen at or past
    /// the last set-up block to reaching the last block, the blocks connected per second (counted
    /// from the height first seen, which may be past the set-up blocks).
    func syncFromPeer(_ source: BenchNode, fixture: ChainFixture) throws -> Double {
        let node = try BenchNode(arguments: ["-connect=\(source.p2pAddress)", "-listen=0"])
        defer { node.stop() }
        let total = fixture.setup.count + fixture.measured.count
        var start: (time: ContinuousClock.Instant, height: Int)?
        let deadline = ContinuousClock.now + .seconds(1_800)
        while ContinuousClock.now < deadline {
            let height = try node.height()
            if start == nil, height >= fixture.setup.count { start = (ContinuousClock.now, height) }
            if height == total, let start, start.height < total {
                return Double(total - start.height) / (ContinuousClock.now - start.time).seconds
            }
            if height == total { throw BenchmarkError.missing("the node connected every block before the first poll; use more --blocks") }
            Thread.sleep(forTimeInterval: 0.005)
        }
        throw BenchmarkError.missing("the node did not sync within 30 minutes")
    }
}
