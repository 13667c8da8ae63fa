import ChainTypes
import Foundation

/// Fee estimation from observed confirmation times, in the manner of Bitcoin Core's
/// `CBlockPolicyEstimator` (one horizon): transactions are tracked from the height they
/// entered the pool; for fee-rate buckets spaced 5 % apart it keeps decaying counts of how many
/// were seen and how many confirmed within each number of blocks (or left unconfirmed); the
/// estimate for a target is the lowest bucket range from which at least `successThreshold` of
/// transactions confirmed within the target.
public struct FeeEstimator: Sendable {
    /// Targets served: 1…`maxTarget` blocks (Core's medium horizon).
    public static let maxTarget = 48
    /// Per-block decay of old observations (Core's medium horizon: 0.9952).
    public static let decay = 0.9952
    /// Share that must have confirmed within the target (85 %, Core's economical estimate).
    public var successThreshold = 0.85
    /// Fewest (decayed) transactions a bucket range must hold before it is believed.
    public var sufficientTransactions = 1.0

    /// Upper bounds of the fee-rate buckets (sat/kvB), from 1 sat/vB rising 5 % a bucket.
    let bucketBounds: [Double]
    /// Per bucket: decayed count of transactions seen (confirmed or not).
    var seen: [Double]
    /// Per target-1 and bucket: decayed count confirmed within `target` blocks.
    var confirmedWithin: [[Double]]
    /// Transactions being watched: bucket and entry height.
    var tracked: [TxID: (bucket: Int, height: Int)] = [:]

    public init() {
        var bounds: [Double] = []
        var bound = 1000.0
        while bound < 10_000_000 {
            bounds.append(bound)
            bound *= 1.05
        }
        bounds.append(.infinity)
        bucketBounds = bounds
        seen = Array(repeating: 0, count: bounds.count)
        confirmedWithin = Array(repeating: Array(repeating: 0, count: bounds.count), count: Self.maxTarget)
    }

    func bucket(of rate: FeeRate) -> Int {
        let value = Double(rate.satoshisPerKilovirtualByte)
        var low = 0, high = bucketBounds.count - 1
        while low < high {
            let middle = (low + high) / 2
            if bucketBounds[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// A transaction entered the pool at `height` paying `rate`.
    public mutating func track(_ txid: TxID, rate: FeeRate, height: Int) {
        tracked[txid] = (bucket(of: rate), height)
    }

    /// A block at `height` confirmed `txids` (the others tracked stay watched): decay the history,
    /// then count what confirmed, with the blocks it waited.
    public mutating func blockConnected(height: Int, confirmed txids: [TxID]) {
        for index in seen.indices { seen[index] *= Self.decay }
        for target in confirmedWithin.indices {
            for index in confirmedWithin[target].indices { confirmedWithin[target][index] *= Self.decay }
        }
        for txid in txids {
            guard let (bucket, entered) = tracked.removeValue(forKey: txid) else { continue }
            let waited = max(1, height - entered)
            seen[bucket] += 1
            // Waited longer than any target: seen, confirmed within none.
            guard waited <= Self.maxTarget else { continue }
            for target in waited...Self.maxTarget { confirmedWithin[target - 1][bucket] += 1 }
        }
    }

    /// A tracked transaction left without confirming (replaced, evicted, expired): it counts as
    /// seen and never confirmed.
    public mutating func forget(_ txid: TxID) {
        guard let (bucket, _) = tracked.removeValue(forKey: txid) else { return }
        seen[bucket] += 1
    }

    /// The lowest fee rate from which transactions confirmed within `target` blocks at least
    /// `successThreshold` of the time, or nil without enough data.
    public func estimate(target: Int) -> FeeRate? {
        let target = min(max(target, 1), Self.maxTarget)
        // From the highest bucket down, grow a range while it succeeds; remember the lowest
        // passing range's lower bucket.
        var best: Int?
        var rangeSeen = 0.0, rangeConfirmed = 0.0
        for index in stride(from: bucketBounds.count - 1, through: 0, by: -1) {
            rangeSeen += seen[index]
            rangeConfirmed += confirmedWithin[target - 1][index]
            guard rangeSeen >= sufficientTransactions else { continue }
            if rangeConfirmed / rangeSeen >= successThreshold {
                best = index
                rangeSeen = 0
                rangeConfirmed = 0
            } else {
                break
            }
        }
        guard let best else { return nil }
        let lower = best == 0 ? 1000.0 : bucketBounds[best - 1]
        return FeeRate(satoshisPerKilovirtualByte: Int64(lower.rounded(.up)))
    }
}
