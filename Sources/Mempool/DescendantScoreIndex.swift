import ChainTypes
import HeapModule

/// Core's descendant-score index, for `-maxmempool` eviction: every entry's totals with its
/// pool descendants (modified fees, virtual size), kept up to date as entries come and go, and
/// a heap ordered by descendant score (the higher of the entry's own fee rate and its
/// package-with-descendants rate), so the next entry to evict is found in O(log n).
///
/// The heap is lazy: a changed entry gets a new key with a new version, and keys whose version
/// is stale (or whose entry left) are skipped when they come up; it is rebuilt when stale keys
/// outnumber live ones.
struct DescendantScoreIndex {
    struct Totals {
        var fees: Int64
        var size: Int
    }

    struct Key: Comparable {
        let fees: Int64
        let size: Int
        /// Ties go to the newer entry first, as Core's index.
        let arrival: UInt64
        let txid: TxID
        let version: UInt64

        static func < (lhs: Key, rhs: Key) -> Bool {
            if Mempool.less((lhs.fees, lhs.size), (rhs.fees, rhs.size)) { return true }
            if Mempool.less((rhs.fees, rhs.size), (lhs.fees, lhs.size)) { return false }
            return lhs.arrival > rhs.arrival
        }

        static func == (lhs: Key, rhs: Key) -> Bool { lhs.txid == rhs.txid && lhs.version == rhs.version }
    }

    private(set) var totals: [TxID: Totals] = [:]
    private var versions: [TxID: UInt64] = [:]
    private var heap = Heap<Key>()
    private var nextVersion: UInt64 = 0

    /// Sets `txid`'s totals (itself and its descendants).
    mutating func set(_ txid: TxID, to value: Totals) { totals[txid] = value }

    /// Adds `delta` to `txid`'s totals.
    mutating func add(_ delta: Totals, to txid: TxID) {
        totals[txid]?.fees &+= delta.fees
        totals[txid]?.size += delta.size
    }

    /// Forgets `txid` (it left the pool).
    mutating func remove(_ txid: TxID) {
        totals[txid] = nil
        versions[txid] = nil
    }

    /// Files `txid` under its current score, given its own modified fee and size.
    mutating func reindex(_ txid: TxID, ownFee: Int64, ownSize: Int, arrival: UInt64) {
        guard let package = totals[txid] else { return }
        let own = (ownFee, ownSize)
        let score = Mempool.less(own, (package.fees, package.size)) ? (package.fees, package.size) : own
        nextVersion += 1
        versions[txid] = nextVersion
        heap.insert(Key(fees: score.0, size: score.1, arrival: arrival, txid: txid, version: nextVersion))
        if heap.count > 2 * versions.count + 1024 { compact() }
    }

    /// The entry with the lowest descendant score, with its package totals (not removed).
    mutating func lowest() -> (txid: TxID, totals: Totals)? {
        while let key = heap.min {
            if versions[key.txid] == key.version, let package = totals[key.txid] { return (key.txid, package) }
            _ = heap.popMin()
        }
        return nil
    }

    /// Drops stale keys.
    private mutating func compact() {
        heap = Heap(heap.unordered.filter { versions[$0.txid] == $0.version })
    }
}
