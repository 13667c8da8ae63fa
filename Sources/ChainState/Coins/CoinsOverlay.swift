import ChainTypes
import Storage

/// Changes one block makes to the UTXO set, kept apart from the cache until the whole block
/// has validated (Core's child `CCoinsViewCache` in `ConnectBlock`).
struct CoinsOverlay {
    let base: CoinsCache
    /// nil value: spent in this overlay.
    private(set) var changes: [OutPoint: Coin?] = [:]
    /// Outpoints restored from undo data (they may or may not be in the store).
    private var restored: Set<OutPoint> = []
    /// Outpoints created in this overlay (so spending them needs no change in the base).
    private var created: Set<OutPoint> = []

    /// Changes of the block being connected just before this one, not yet in the cache.
    let below: [OutPoint: Coin?]

    init(base: CoinsCache, below: [OutPoint: Coin?] = [:]) {
        self.base = base
        self.below = below
    }

    func coin(at outpoint: OutPoint) throws(StorageError) -> Coin? {
        if let change = changes[outpoint] { return change }
        if let change = below[outpoint] { return change }
        return try base.coin(at: outpoint)
    }

    mutating func add(_ coin: Coin, at outpoint: OutPoint) {
        changes[outpoint] = .some(coin)
        created.insert(outpoint)
    }

    /// Puts back a coin a disconnected block had spent.
    mutating func restore(_ coin: Coin, at outpoint: OutPoint) {
        changes[outpoint] = .some(coin)
        created.remove(outpoint)
        restored.insert(outpoint)
    }

    mutating func spend(_ outpoint: OutPoint) throws(StorageError) -> Coin? {
        guard let coin = try coin(at: outpoint) else { return nil }
        if created.contains(outpoint) {
            changes[outpoint] = nil
            created.remove(outpoint)
        } else {
            changes[outpoint] = .some(nil)
        }
        return coin
    }

    /// Applies the changes to the cache.
    func commit() throws(StorageError) {
        for (outpoint, change) in changes {
            if let coin = change {
                if restored.contains(outpoint) {
                    base.restore(coin, at: outpoint)
                } else {
                    base.add(coin, at: outpoint)
                }
            } else {
                _ = try base.spend(outpoint)
            }
        }
    }
}
