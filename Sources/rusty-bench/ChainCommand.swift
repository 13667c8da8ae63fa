import ArgumentParser
import ChainCrypto
import ChainParams
import ChainState
import ChainTypes
import Dispatch
import Foundation
import StorageRocksDB

/// Connecting a signature-heavy chain into a fresh RocksDB chain state vs raw libsecp256k1
/// verification of the same signatures on all cores.
struct ChainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain", abstract: "Block connection (RocksDB chain state, parallel scripts) vs raw libsecp256k1 on all cores.")

    @Option(help: "Signature-heavy blocks to connect.")
    var blocks = 200

    @Option(help: "P2WPKH inputs per block.")
    var inputs = 2000

    @Option(help: "UTXO cache in MiB (-dbcache).")
    var dbcache = 450

    @Option(help: "Also write the whole chain (hex block per line) to this file.")
    var output: String?

    @Option(help: "Script-checking threads (default: all cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Timed connections, each into a fresh chain state; the median ratio counts.")
    var runs = 5

    @Flag(help: "Flush the UTXO cache after the setup blocks, so every timed spend reads its coin from RocksDB.")
    var coldCoins = false

    mutating func run() throws {
        let threads = threads
        let buildStart = ContinuousClock.now
        let fixture = try ChainFixture(blocks: blocks, inputsPerBlock: inputs)
        print("built \(fixture.setup.count + fixture.measured.count) blocks (\(fixture.inputCount) signed inputs) in \(ContinuousClock.now - buildStart)")
        if let output { try fixture.write(to: output) }

        // Baseline: the same signatures through raw libsecp256k1 on every core, measured between
        // the connections; each connection compares with the faster of the raw runs next to it
        // (the conservative choice), and the median of the connections' ratios counts.
        var rawRates = [Self.rawRate(fixture.rawItems, threads: threads)]
        var results: [ConnectionRun] = []
        for _ in 0..<max(1, runs) {
            var run = try connect(fixture, threads: threads)
            rawRates.append(Self.rawRate(fixture.rawItems, threads: threads))
            run.rawRate = max(rawRates[rawRates.count - 2], rawRates[rawRates.count - 1])
            print("  run \(results.count + 1): \(run.summary)")
            results.append(run)
        }
        let median = results.sorted { $0.ratio < $1.ratio }[results.count / 2]
        print("""
            chain connection, \(fixture.measured.count) blocks × \(inputs) P2WPKH inputs, \(threads) threads, -dbcache=\(dbcache) MiB, \
            spent coins \(coldCoins ? "read from RocksDB" : "in the cache"), median of \(results.count) runs
              raw libsecp256k1 ECDSA verify, all cores        \(Int(median.rawRate)) /s
              blocks connected (RocksDB chain state)          \(String(format: "%.1f", median.blockRate)) /s
              inputs verified while connecting                \(Int(median.inputRate)) /s
              of the time, final UTXO flush to RocksDB        \(String(format: "%.1f", 100 * median.flushShare)) %
              CPU per input: connecting \(Self.microseconds(median.cpuPerInput)) µs, raw \(Self.microseconds(Double(threads) / median.rawRate)) µs; cores busy \(String(format: "%.0f", 100 * median.busy))%
              peak RSS \(PeakMemory.residentBytes() >> 20) MiB (dbcache \(dbcache) MiB)
            ratio (inputs verified / raw verifies, goal >= 0.85): \(String(format: "%.3f", median.ratio))
            """)
    }

    /// Connects the fixture's setup blocks into a fresh RocksDB chain state, then times the
    /// signature-heavy blocks and the final flush.
    func connect(_ fixture: ChainFixture, threads: Int) throws -> ConnectionRun {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rusty-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let chain = try ChainState(
            params: .regtest, store: try RocksDBStore(path: path, cacheBytes: (dbcache << 20) / 4),
            options: ChainStateOptions(coinsCacheBytes: (dbcache << 20) * 3 / 4, scriptThreads: threads, now: { 2_000_000_000 }))
        // Blocks arrive in batches, as from a download window, so connections pipeline. As in a
        // node catching up with a large -dbcache (and Core's ConnectBlock benchmark), the coins
        // the timed blocks spend are still in the cache; the final flush makes everything durable.
        try chain.acceptAll(fixture.setup)
        if coldCoins { try chain.flush() }
        // Each timed run starts on a quiet disk: the set-up's writes and the last run's are not
        // still being written back when the timed flush waits for its fsync.
        sync()
        let connectStart = ContinuousClock.now
        let connectCPUStart = ProcessCPUTime.seconds()
        try chain.acceptAll(fixture.measured)
        let flushStart = ContinuousClock.now
        try chain.flush()
        let flushSeconds = (ContinuousClock.now - flushStart).seconds
        let seconds = (ContinuousClock.now - connectStart).seconds
        let cpuSeconds = ProcessCPUTime.seconds() - connectCPUStart
        return ConnectionRun(
            inputRate: Double(fixture.inputCount) / seconds, blockRate: Double(fixture.measured.count) / seconds,
            flushShare: flushSeconds / seconds, cpuPerInput: cpuSeconds / Double(fixture.inputCount),
            busy: cpuSeconds / (seconds * Double(threads)))
    }
}

/// One timed connection of the benchmark chain and the raw rate it is compared with.
struct ConnectionRun {
    let inputRate: Double
    let blockRate: Double
    let flushShare: Double
    let cpuPerInput: Double
    let busy: Double
    var rawRate = 0.0

    var ratio: Double { inputRate / rawRate }

    var summary: String {
        String(
            format: "raw %.0f /s, connected %.0f inputs/s (%.1f blocks/s), flush %.1f %%, CPU per input %.1f µs, cores %.0f %%, ratio %.3f",
            rawRate, inputRate, blockRate, 100 * flushShare, cpuPerInput * 1e6, 100 * busy, ratio)
    }
}

extension ChainCommand {
    static func microseconds(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1e6) }

    /// Raw libsecp256k1 verifications per second of `items` split over `threads` threads.
    static func rawRate(_ items: [RawVerificationBaseline.ECDSAItem], threads: Int) -> Double {
        let start = ContinuousClock.now
        // Many small chunks, so every core stays busy to the end (no thread left finishing a big
        // share alone): the strongest baseline.
        let chunks = threads * 64
        let size = (items.count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let slice = Array(items[min(items.count, chunk * size)..<min(items.count, (chunk + 1) * size)])
            _ = RawVerificationBaseline.verify(slice)
        }
        return Double(items.count) / (ContinuousClock.now - start).seconds
    }
}

/// Writes a chain to a file without benchmarking (for replays in other tools).
struct BuildChainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build-chain", abstract: "Write a signature-heavy regtest chain to a file.")

    @Option(help: "Signature-heavy blocks.") var blocks = 200
    @Option(help: "P2WPKH inputs per block.") var inputs = 2000
    @Option(help: "Output file (hex block per line, heights 1, 2, …).") var output: String

    mutating func run() throws {
        let fixture = try ChainFixture(blocks: blocks, inputsPerBlock: inputs)
        try fixture.write(to: output)
        print("wrote \(fixture.setup.count + fixture.measured.count) blocks to \(output)")
    }
}

/// CPU time consumed by every thread of this process so far.
enum ProcessCPUTime {
    static func seconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// Resident memory from /proc: the peak (Linux's VmHWM) and the current (VmRSS).
enum PeakMemory {
    static func residentBytes() -> Int { statusValue("VmHWM:") }

    static func currentResidentBytes() -> Int { statusValue("VmRSS:") }

    private static func statusValue(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }
}

extension ChainState {
    /// Accepts `blocks` in batches of 16, as a download window delivers them (so connections
    /// pipeline); every one must be accepted.
    func acceptAll(_ blocks: [Block]) throws {
        for start in stride(from: 0, to: blocks.count, by: 16) {
            guard try acceptBlocks(Array(blocks[start..<min(blocks.count, start + 16)])).isEmpty else { throw BenchmarkError.fixturesDoNotVerify }
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
