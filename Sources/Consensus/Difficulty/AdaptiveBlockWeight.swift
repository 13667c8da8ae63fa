import ChainParams

/// The adaptive block weight limit (PROTOCOL.md §3), in integer arithmetic only.
///
/// Blocks `0 ..< interval` may weigh up to `schedule.initialLimit`. At every height `h` that
/// is a positive multiple of the interval the limit becomes
///
///     twiceMedian = 2 × median(weights of blocks h − interval ..< h)
///     limit       = clamp(twiceMedian, previous × 95 / 100, previous × 110 / 100)
///     limit       = clamp(limit, schedule.minimumLimit, schedule.maximumLimit)
///
/// and holds until the next multiple. Rounding, exactly:
/// - `2 × median` never rounds: for an even count it is the sum of the two middle weights
///   (the median being their mean), for an odd count twice the middle weight.
/// - Both band edges round down (`previous × 95 / 100`, `previous × 110 / 100`, integer
///   division of non-negative numbers).
/// - Weights below zero count as zero; sums saturate at `Int.max` (neither occurs for real
///   blocks, whose weights are bounded by the limit).
public enum AdaptiveBlockWeight {
    /// The limit for the period that follows a period with the given limit and block weights.
    public static func nextLimit(
        previousLimit: Int, periodWeights: some Sequence<Int>, schedule: BlockWeightSchedule
    ) -> Int {
        let sorted = periodWeights.map { Swift.max($0, 0) }.sorted()
        let twiceMedian: Int
        if sorted.isEmpty {
            twiceMedian = 0
        } else if sorted.count % 2 == 0 {
            let (sum, overflow) = sorted[sorted.count / 2 - 1].addingReportingOverflow(sorted[sorted.count / 2])
            twiceMedian = overflow ? .max : sum
        } else {
            let (doubled, overflow) = sorted[sorted.count / 2].multipliedReportingOverflow(by: 2)
            twiceMedian = overflow ? .max : doubled
        }
        let previous = Swift.max(previousLimit, 0)
        let lower = scaled(previous, percent: 95)
        let upper = scaled(previous, percent: 110)
        let banded = Swift.min(Swift.max(twiceMedian, lower), upper)
        return Swift.min(Swift.max(banded, schedule.minimumLimit), schedule.maximumLimit)
    }

    /// Whether the limit may change at `height`.
    public static func isAdjustmentHeight(_ height: Int, schedule: BlockWeightSchedule) -> Bool {
        guard let interval = schedule.adjustmentInterval, interval > 0 else { return false }
        return height > 0 && height % interval == 0
    }

    /// The limit for the block at `height`, replaying every adjustment from genesis over
    /// `weights` (the weights of blocks `0, 1, 2, …`). `nil` if `weights` ends before the last
    /// adjustment at or below `height` needs it.
    public static func limit(
        atHeight height: Int, weights: some RandomAccessCollection<Int>, schedule: BlockWeightSchedule
    ) -> Int? {
        guard let interval = schedule.adjustmentInterval, interval > 0, height >= interval else {
            return schedule.initialLimit
        }
        let periods = height / interval
        guard weights.count >= periods * interval else { return nil }
        var limit = schedule.initialLimit
        var start = weights.startIndex
        for _ in 0..<periods {
            let end = weights.index(start, offsetBy: interval)
            limit = nextLimit(previousLimit: limit, periodWeights: weights[start..<end], schedule: schedule)
            start = end
        }
        return limit
    }

    /// The block sigop-cost limit that goes with a weight limit: `limit / 50`, rounded down
    /// (Bitcoin's 80,000 for 4,000,000 WU).
    public static func sigopCostLimit(forWeightLimit limit: Int) -> Int {
        Swift.max(limit, 0) / BlockWeightSchedule.weightPerSigopCost
    }

    /// `value × percent / 100` rounded down, for `value ≥ 0` and `percent` in `0...110`,
    /// computed as `(value / 100) × percent + (value % 100) × percent / 100` so it cannot
    /// overflow.
    static func scaled(_ value: Int, percent: Int) -> Int {
        (value / 100) * percent + (value % 100) * percent / 100
    }
}
