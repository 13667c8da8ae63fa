import ByteCodec
import ChainCrypto
import ChainTypes
import Storage

/// The UTXO set: a write-back cache over the `coins` column family. Reads fill the cache;
/// changes stay in memory until `flush`, which writes them together with the best-block marker
/// in one atomic batch, so the stored set is always the set at some block.
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
        guard let bytes = try store.value(forKey: outpoint.storageKey, in: .coins) else { return nil }
        let coin: Coin
        do {
            coin = try Coin(serialized: bytes)
        } catch {
            throw .corruption("undecodable coin \(outpoint): \(error)")
        }
        let entry = Entry(coin: coin, dirty: false, fresh: false)
        entries[outpoint] = entry
        memoryUsage += Self.cost(of: coin)
        return entry
    }

    /// Adds a new unspent coin. The caller has checked (BIP30) that none is unspent there.
    public func add(_ coin: Coin, at outpoint: OutPoint) {
        if let existing = entries[outpoint] {
            memoryUsage += Self.cost(of: coin) - Self.cost(of: existing.coin)
            // A spent, non-fresh entry is still unspent in the store: it stays non-fresh.
            entries[outpoint] = Entry(coin: coin, dirty: true, fresh: existing.fresh)
        } else {
            entries[outpoint] = Entry(coin: coin, dirty: true, fresh: true)
            memoryUsage += Self.cost(of: coin)
        }
    }

    /// Restores a coin during a disconnect (it may or may not be in the store).
    public func restore(_ coin: Coin, at outpoint: OutPoint) {
        let previous = entries[outpoint]
        memoryUsage += Self.cost(of: coin) - (previous.map { Self.cost(of: $0.coin) } ?? 0)
        entries[outpoint] = Entry(coin: coin, dirty: true, fresh: false)
    }

    /// Spends the coin at `outpoint`, returning it; nil if there is none.
    public func spend(_ outpoint: OutPoint) throws(StorageError) -> Coin? {
        guard let entry = try entry(at: outpoint), let coin = entry.coin else { return nil }
        if entry.fresh {
            entries[outpoint] = nil
            memoryUsage -= Self.cost(of: coin)
        } else {
            entries[outpoint] = Entry(coin: nil, dirty: true, fresh: false)
            memoryUsage -= Self.cost(of: coin) - Self.cost(of: nil)
        }
        return coin
    }

    /// Writes every change and the best-block marker in one atomic batch, then empties the cache.
    public func flush(durable: Bool = true) throws(StorageError) {
        var batch = WriteBatch()
        // In key order, so the store's sorted memtable inserts each key right after the last.
        let dirty = entries.filter(\.value.dirty).sorted { $0.key.storageKeyPrecedes($1.key) }
        for (outpoint, entry) in dirty {
            if let coin = entry.coin {
                batch.put(coin.serialized, forKey: outpoint.storageKey, in: .coins)
            } else {
                batch.delete(outpoint.storageKey, in: .coins)
            }
        }
        batch.put(bestBlock.hash.bytes, forKey: Self.bestBlockKey, in: .chainMeta)
        try store.write(batch, durable: durable)
        entries.removeAll(keepingCapacity: false)
        memoryUsage = 0
    }
}
