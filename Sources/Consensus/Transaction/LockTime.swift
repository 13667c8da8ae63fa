import ChainTypes

/// Absolute (nLockTime) and relative (BIP68 sequence) lock rules.
public enum LockTime {
    /// Lock times below this are block heights, at or above are Unix times.
    public static let threshold: Int64 = 500_000_000
    /// BIP68 time locks count units of 2^9 = 512 seconds.
    public static let sequenceGranularity = 9

    /// Core's `IsFinalTx`: the lock time has passed at `height`/`time`, or every input opts out.
    public static func isFinal(_ transaction: Transaction, height: Int, time: Int64) -> Bool {
        let lockTime = Int64(transaction.lockTime)
        if lockTime == 0 { return true }
        if lockTime < (lockTime < threshold ? Int64(height) : time) { return true }
        return transaction.inputs.allSatisfy { $0.sequence == TxIn.finalSequence }
    }

    /// The earliest (height, median time past) that satisfy every BIP68 relative lock, as Core's
    /// `CalculateSequenceLocks` (-1 means no constraint). `coinHeights[i]` is the height of the
    /// block that created input i's coin; `medianTimePast(h)` the MTP of the block at height h.
    public static func sequenceLocks(
        _ transaction: Transaction, enforce: Bool, coinHeights: [Int], medianTimePast: (Int) -> Int64
    ) -> (minHeight: Int, minTime: Int64) {
        var minHeight = -1
        var minTime: Int64 = -1
        guard enforce && transaction.version >= 2 else { return (minHeight, minTime) }
        for (input, coinHeight) in zip(transaction.inputs, coinHeights) {
            if input.sequence & TxIn.sequenceLockTimeDisableFlag != 0 { continue }
            let value = Int64(input.sequence & TxIn.sequenceLockTimeMask)
            if input.sequence & TxIn.sequenceLockTimeTypeFlag != 0 {
                let coinTime = medianTimePast(max(coinHeight - 1, 0))
                minTime = max(minTime, coinTime + (value << sequenceGranularity) - 1)
            } else {
                minHeight = max(minHeight, coinHeight + Int(value) - 1)
            }
        }
        return (minHeight, minTime)
    }

    /// Core's `EvaluateSequenceLocks` for a block at `height` whose parent has `parentMedianTimePast`.
    public static func sequenceLocksSatisfied(_ locks: (minHeight: Int, minTime: Int64), height: Int, parentMedianTimePast: Int64) -> Bool {
        locks.minHeight < height && locks.minTime < parentMedianTimePast
    }
}
