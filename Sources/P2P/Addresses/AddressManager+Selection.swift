import P2PWire

extension AddressManager {
    /// An address to connect to, as Core's `Select`: from the tried or the new table with even
    /// odds (only new with `newOnly`, or whichever is not empty), then random slots until one
    /// holds an entry that passes a draw at its chance (lower after recent tries and failures)
    /// times a factor that grows by 1.2 per rejected entry. With its last try; `nil` when there
    /// is nothing to choose from.
    public func select(newOnly: Bool, using rng: inout some RandomNumberGenerator, now: Int64) -> (address: NetworkAddress, lastTry: Int64)? {
        guard newCount > 0 || (!newOnly && triedCount > 0) else { return nil }
        let fromTried = !newOnly && triedCount > 0 && (newCount == 0 || Bool.random(using: &rng))
        let table = fromTried ? triedTable : newTable
        let bucketCount = fromTried ? AddressBucketing.triedBucketCount : AddressBucketing.newBucketCount
        let size = AddressBucketing.bucketSize
        var chanceFactor = 1.0
        while true {
            let bucket = Int.random(in: 0..<bucketCount, using: &rng)
            let start = Int.random(in: 0..<size, using: &rng)
            // The first taken slot from `start` on, wrapping around; another bucket if none.
            guard let offset = (0..<size).first(where: { table[bucket * size + ($0 + start) % size] >= 0 }),
                let entry = entries[table[bucket * size + (offset + start) % size]]
            else { continue }
            if Double(UInt32.random(in: 0..<(1 << 30), using: &rng)) < chanceFactor * entry.chance(now: now) * Double(1 << 30) {
                return (entry.address, entry.lastTry)
            }
            chanceFactor *= 1.2
        }
    }

    /// Addresses to share in `addr` or list in `getnodeaddresses`, as Core's `GetAddr`: a random
    /// sample without terrible ones, of at most `maxPercent` percent of all known addresses and
    /// at most `maxCount` (either 0 for no limit; Core relays at most 23 % and 1000).
    public func addresses(maxCount: Int, maxPercent: Int, using rng: inout some RandomNumberGenerator, now: Int64) -> [TimestampedAddress] {
        var limit = randomOrder.count
        if maxPercent > 0 { limit = min(maxPercent, 100) * limit / 100 }
        if maxCount > 0 { limit = min(limit, maxCount) }
        var order = randomOrder
        var result: [TimestampedAddress] = []
        result.reserveCapacity(limit)
        // A partial Fisher-Yates shuffle, skipping terrible entries, until enough are drawn.
        for position in order.indices {
            if result.count >= limit { break }
            order.swapAt(position, Int.random(in: position..<order.count, using: &rng))
            guard let entry = entries[order[position]], !entry.isTerrible(now: now) else { continue }
            result.append(TimestampedAddress(time: UInt32(clamping: entry.time), address: entry.address))
        }
        return result
    }
}
