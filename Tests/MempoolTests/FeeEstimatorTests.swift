import ChainCrypto
import ChainTypes
import Testing
@testable import Mempool

/// Estimates come from what was seen confirming: fast payers set the rate for short targets,
/// slow ones for long targets, and without data there is no estimate.
@Suite struct FeeEstimatorTests {
    static func txid(_ index: Int) -> TxID { TxID(Hashing.sha256d(withUnsafeBytes(of: UInt64(index)) { Array($0) })) }

    @Test func fastAndSlowPayersSetShortAndLongTargets() throws {
        var estimator = FeeEstimator()
        #expect(estimator.estimate(target: 2) == nil)
        // Each block: 10 transactions at 20 sat/vB confirm in the next block; 10 at 2 sat/vB
        // wait 10 blocks; 10 at 1 sat/vB never confirm (they are evicted after 20 blocks).
        var next = 0
        var slow: [(TxID, Int)] = [], stuck: [(TxID, Int)] = []
        for height in 100..<200 {
            var confirmed: [TxID] = []
            for _ in 0..<10 {
                let fast = Self.txid(next); next += 1
                estimator.track(fast, rate: FeeRate(satoshisPerKilovirtualByte: 20_000), height: height - 1)
                confirmed.append(fast)
                let waiting = Self.txid(next); next += 1
                estimator.track(waiting, rate: FeeRate(satoshisPerKilovirtualByte: 2_000), height: height)
                slow.append((waiting, height))
                let never = Self.txid(next); next += 1
                estimator.track(never, rate: FeeRate(satoshisPerKilovirtualByte: 1_000), height: height)
                stuck.append((never, height))
            }
            confirmed += slow.filter { $0.1 == height - 10 }.map(\.0)
            estimator.blockConnected(height: height, confirmed: confirmed)
            for (txid, entered) in stuck where entered == height - 20 { estimator.forget(txid) }
        }
        let short = try #require(estimator.estimate(target: 2))
        let long = try #require(estimator.estimate(target: 12))
        // Short targets need the fast payers' rate; long ones are met by the slow payers';
        // the never-confirming rate is never the answer.
        #expect(short.satoshisPerKilovirtualByte > 2_000 && short.satoshisPerKilovirtualByte <= 20_000)
        #expect(long.satoshisPerKilovirtualByte > 1_000 && long.satoshisPerKilovirtualByte <= 2_000)
        #expect(short > long)
    }

    /// A confirmation after more blocks than any target counts as seen, never as on time.
    @Test func confirmationsBeyondTheLongestTargetCountAsLate() {
        var estimator = FeeEstimator()
        for index in 0..<20 {
            estimator.track(Self.txid(index), rate: FeeRate(satoshisPerKilovirtualByte: 5_000), height: 100)
        }
        estimator.blockConnected(height: 100 + FeeEstimator.maxTarget + 10, confirmed: (0..<20).map(Self.txid))
        #expect(estimator.estimate(target: FeeEstimator.maxTarget) == nil)
    }
}
