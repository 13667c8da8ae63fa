import ChainTypes
import Foundation

extension Mempool {
    /// Core's `ROLLING_FEE_HALFLIFE`: the minimum fee raised by evictions halves every 12 hours
    /// (faster while the pool is well below its limit), once a block has been connected.
    static let rollingFeeHalfLife: Double = 12 * 3600

    /// The fee rate a new transaction must pay on top of the minimum relay fee (Core's
    /// `GetMinFee`): zero until the pool has evicted, then the evicted package's rate plus the
    /// incremental relay fee, decaying.
    public func minimumFeeRate(now: Int64) -> FeeRate {
        guard blockSinceLastRollingFeeBump, rollingMinimumFeeRate > 0 else {
            return FeeRate(satoshisPerKilovirtualByte: Int64(rollingMinimumFeeRate.rounded()))
        }
        if now > lastRollingFeeUpdate + 10 {
            var halfLife = Self.rollingFeeHalfLife
            if usage < settings.maxMempoolBytes / 4 {
                halfLife /= 4
            } else if usage < settings.maxMempoolBytes / 2 {
                halfLife /= 2
            }
            rollingMinimumFeeRate /= pow(2, Double(now - lastRollingFeeUpdate) / halfLife)
            lastRollingFeeUpdate = now
            if rollingMinimumFeeRate < Double(settings.incrementalRelayFee.satoshisPerKilovirtualByte) / 2 {
                rollingMinimumFeeRate = 0
                return FeeRate(satoshisPerKilovirtualByte: 0)
            }
        }
        return max(FeeRate(satoshisPerKilovirtualByte: Int64(rollingMinimumFeeRate.rounded())), settings.incrementalRelayFee)
    }

    /// Removes every entry that entered before `cutoff`, with its descendants (`-mempoolexpiry`):
    /// walks the entries from the oldest and stops at the first young enough one, so an
    /// acceptance that expires nothing costs nothing. (Entry times rise with arrival; an entry
    /// stamped earlier than one before it, after a clock step back, expires with that one.)
    @discardableResult
    public func expire(olderThan cutoff: Int64) -> [TxID] {
        var removed: [TxID] = []
        while timelineStart < timeline.count {
            let (txid, time) = timeline[timelineStart]
            // Skip positions of entries that left (or left and came back later).
            if let entry = entries[txid], entry.time == time {
                guard time < cutoff else { break }
                removed += removeWithDescendants(txid, reason: .expiry)
            }
            timelineStart += 1
        }
        // Forget the walked part now and then, so the timeline stays as long as the pool.
        if timelineStart > 1024 && timelineStart * 2 > timeline.count {
            timeline.removeFirst(timelineStart)
            timelineStart = 0
        }
        return removed
    }

    /// Evicts the entries with the lowest descendant score, each with its descendants, until
    /// the pool uses at most `limit` bytes (Core's `TrimToSize`); raises the rolling minimum fee
    /// to the best evicted package's rate plus the incremental relay fee.
    @discardableResult
    public func trim(toBytes limit: Int) -> [TxID] {
        var removed: [TxID] = []
        while usage > limit, let (worst, package) = scoreIndex.lowest() {
            let packageRate = Self.rate(fee: Amount(satoshis: package.fees), size: package.size)
            let floor = packageRate.satoshisPerKilovirtualByte + settings.incrementalRelayFee.satoshisPerKilovirtualByte
            if Double(floor) > rollingMinimumFeeRate {
                rollingMinimumFeeRate = Double(floor)
                blockSinceLastRollingFeeBump = false
            }
            removed += removeWithDescendants(worst, reason: .sizeLimit)
        }
        return removed
    }

    /// Whether fee₁/size₁ < fee₂/size₂, exactly.
    static func less(_ lhs: (Int64, Int), _ rhs: (Int64, Int)) -> Bool {
        let left = lhs.0.multipliedFullWidth(by: Int64(rhs.1)), right = rhs.0.multipliedFullWidth(by: Int64(lhs.1))
        return left.high != right.high ? left.high < right.high : left.low < right.low
    }

    static func rate(fee: Amount, size: Int) -> FeeRate {
        guard size > 0 else { return FeeRate(satoshisPerKilovirtualByte: 0) }
        // Modified fees carry arbitrary `prioritisetransaction` deltas: saturate, never trap.
        let (product, overflow) = fee.satoshis.multipliedReportingOverflow(by: 1000)
        let saturated = overflow ? (fee.satoshis < 0 ? Int64.min : Int64.max) : product
        return FeeRate(satoshisPerKilovirtualByte: saturated / Int64(size))
    }
}
