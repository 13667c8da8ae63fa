import ByteCodec
import ChainCrypto
import ChainTypes
import Storage

/// The UTXO set: a write-back cache over the `coins` column family. Reads fill the cache;
/// changes stay in memory until `flush`, which writes them together with the best-block marker
/// in one atomic batch, so the stored set is always the set at some block.
///
/// A block's changes go straight into the cache, each recorded in a `CoinsJournal`, and are
/// rolled back if the block fails (Core applies them to a child view and merges it instead;
/// in place, nothing is looked up or copied twice). The cache must not be flushed while it
/// holds changes of a block that has not passed yet.
public final class CoinsCache {
    struct Entry {
        /// nil: spent.
        var coin: Coin?
        /// Differs from the store.
        var dirty: Bool
        /// The store does not have this outpoint unspent, so spending it needs no delete.
        var fresh: Bool
    }

    /// Key of the best-block marker in `chainMeta`.
    public static let bestBlockKey = Array("coins-best-block".utf8)

    private let store: any KeyValueStore
    private var entries: [OutPoint: Entry] = [:]
    /// Approximate heap bytes held by cached entries.
    public private(set) var memoryUsage = 0
    /// The block whose UTXO set this cache (with the store beneath) represents.
    public var bestBlock: BlockHash

    public init(store: any KeyValueStore) throws(StorageError) {
        self.store = store
        if let bytes = try store.value(forKey: Self.bestBlockKey, in: .chainMeta), let hash = Hash256(bytes: bytes) {
            bestBlock = BlockHash(hash)
        } else {
            bestBlock = BlockHash(.zero)
        }
    }

    /// Entries held in memory.
    public var cachedCount: Int { entries.count }

    private static func cost(of coin: Coin?) -> Int { 96 + (coin?.output.scriptPubKey.count ?? 0) }

    /// The unspent coin at `outpoint`, reading through to the store.
    public func coin(at outpoint: OutPoint) throws(StorageError) -> Coin? {
        try entry(at: outpoint)?.coin
    }

    /// The cached entry for `outpoint`, loading an unspent coin from the store into the cache.
    private func entry(at outpoint: OutPoint) throws(StorageError) -> Entry? {
        if let entry = entries[outpoint] { return entry }
        guard let entry = try storedEntry(at: outpoint) else { return nil }
        entries[outpoint] = entry
        memoryUsage += Self.entryCost(entry)
        return entry
    }

    /// The stored, unspent coin at `outpoint` as a clean entry (not cached).
    private func storedEntry(at outpoint: OutPoint) throws(StorageError) -> Entry? {
        guard let bytes = try store.value(forKey: outpoint.storageKey, in: .coins) else { return nil }
        do {
            return Entry(coin: try Coin(serialized: bytes), dirty: false, fresh: false)
        } catch {
            throw .corruption("undecodable coin \(outpoint): \(error)")
        }
    }

    /// Adds a new unspent coin. The caller has checked (BIP30) that none is unspent there.
    func add(_ coin: Coin, at outpoint: OutPoint, journal: inout CoinsJournal) {
        let added = Entry(coin: coin, dirty: true, fresh: true)
        let existing = entries.updateValue(added, forKey: outpoint)
        journal.record(outpoint, existing)
        memoryUsage += Self.entryCost(added) - Self.entryCost(existing)
        // A spent, non-fresh entry is still unspent in the store: it stays non-fresh.
        if let existing, !existing.fresh { entries[outpoint]?.fresh = false }
    }

    /// Restores a coin during a disconnect (it may or may not be in the store).
    func restore(_ coin: Coin, at outpoint: OutPoint, journal: inout CoinsJournal) {
        let restored = Entry(coin: coin, dirty: true, fresh: false)
        let previous = entries.updateValue(restored, forKey: outpoint)
        journal.record(outpoint, previous)
        memoryUsage += Self.entryCost(restored) - Self.entryCost(previous)
    }

    /// Spends the coin at `outpoint`, returning it; nil if there is none. One hash-table lookup
    /// when the coin is cached: the entry is changed or removed in place.
    func spend(_ outpoint: OutPoint, journal: inout CoinsJournal) throws(StorageError) -> Coin? {
        guard let index = entries.index(forKey: outpoint) else {
            // Not cached: spend the stored coin by caching its spent marker directly.
            guard let stored = try storedEntry(at: outpoint), let coin = stored.coin else { return nil }
            journal.record(outpoint, stored)
            let spent = Entry(coin: nil, dirty: true, fresh: false)
            entries[outpoint] = spent
            memoryUsage += Self.entryCost(spent)
            return coin
        }
        let entry = entries.values[index]
        guard let coin = entry.coin else { return nil }
        journal.record(outpoint, entry)
        memoryUsage -= Self.entryCost(entry)
        if entry.fresh {
            // A fresh coin was never written: forgetting it is enough.
            entries.remove(at: index)
        } else {
            let spent = Entry(coin: nil, dirty: true, fresh: false)
            entries.values[index] = spent
            memoryUsage += Self.entryCost(spent)
        }
        return coin
    }

    /// Takes back every change recorded in `journal` (newest first), restoring the cache as it
    /// was when the journal began. Journals of later changes must be rolled back first.
    func rollBack(_ journal: CoinsJournal) {
        for (outpoint, previous) in journal.replaced.reversed() {
            replace(entries[outpoint], at: outpoint, with: previous)
        }
    }

    private func replace(_ current: Entry?, at outpoint: OutPoint, with new: Entry?) {
        memoryUsage += Self.entryCost(new) - Self.entryCost(current)
        entries[outpoint] = new
    }

    private static func entryCost(_ entry: Entry?) -> Int { entry.map { cost(of: $0.coin) } ?? 0 }

    /// Writes every change and the best-block marker in one atomic batch, then empties the cache.
    public func flush(durable: Bool = true) throws(StorageError) {
        // Serialize the dirty entries in the table's own order (one pass, no copies of the
        // coins), then write them in (nearly) key order, so the store's sorted memtable inserts
        // each key right after the last; what gets sorted is a small record per entry.
        var serialized = ByteWriter(capacity: entries.count * 80)
        var records: [FlushRecord] = []
        records.reserveCapacity(entries.count)
        for (outpoint, entry) in entries where entry.dirty {
            let start = serialized.count
            outpoint.writeStorageKey(to: &serialized)
            let keyEnd = serialized.count
            entry.coin?.encode(to: &serialized)
            records.append(FlushRecord(
                order: outpoint.storageOrder, index: outpoint.index, start: start, keyEnd: keyEnd,
                end: entry.coin == nil ? nil : serialized.count))
        }
        records.sort { $0.order != $1.order ? $0.order < $1.order : $0.index < $1.index }
        var batch = WriteBatch(reservingBytes: serialized.count + records.count * 10 + 64)
        serialized.bytes.withUnsafeBytes { bytes in
            for record in records {
                let key = UnsafeRawBufferPointer(rebasing: bytes[record.start..<record.keyEnd])
                if let end = record.end {
                    batch.put(in: .coins, key: { $0.write(key) }, value: { $0.write(UnsafeRawBufferPointer(rebasing: bytes[record.keyEnd..<end])) })
                } else {
                    batch.delete(in: .coins, key: { $0.write(key) })
                }
            }
        }
        batch.put(bestBlock.hash.bytes, forKey: Self.bestBlockKey, in: .chainMeta)
        try store.write(batch, durable: durable)
        entries.removeAll(keepingCapacity: false)
        memoryUsage = 0
    }
}

/// Where one dirty coin's key and value sit in the flush's serialization buffer, and its sort key.
private struct FlushRecord {
    let order: UInt64
    let index: UInt32
    let start: Int
    let keyEnd: Int
    /// End of the value; nil for a delete.
    let end: Int?
}
