import ChainTypes
import Foundation

/// The node's mempool behind an actor: one owner for the pool, callable from RPC handlers and
/// (later) peers. Acceptance reads the chain through a `ChainSnapshot` taken just before.
public actor MempoolService {
    private let pool: Mempool

    public init(settings: PolicySettings = PolicySettings()) {
        pool = Mempool(settings: settings)
    }

    /// Judges and (unless `dryRun`) adds `transaction`; see `Mempool.accept`.
    @discardableResult
    public func accept(_ transaction: Transaction, chain: ChainSnapshot, now: Int64, dryRun: Bool = false) throws(MempoolError) -> MempoolEntry {
        try pool.accept(transaction, chain: chain, now: now, dryRun: dryRun)
    }

    public func contains(_ txid: TxID) -> Bool { pool.entry(txid) != nil }

    public func entry(_ txid: TxID) -> MempoolEntry? { pool.entry(txid) }

    public var count: Int { pool.count }

    /// `txid`'s entry with its relatives (`getmempoolentry`).
    public func view(_ txid: TxID) -> MempoolEntryView? { pool.view(txid) }

    /// The pool ancestors (or descendants) of `txid` with their relatives, nil when `txid` is not
    /// in the pool (`getmempoolancestors`, `getmempooldescendants`).
    public func relatives(of txid: TxID, descendants: Bool) -> [MempoolEntryView]? {
        guard pool.entry(txid) != nil else { return nil }
        let found = descendants ? pool.descendants(of: txid) : pool.ancestors(of: txid)
        return pool.entriesInArrivalOrder().filter { found.contains($0.transaction.txid) }.compactMap { pool.view($0.transaction.txid) }
    }

    /// Every entry with its relatives (`getrawmempool true`).
    public func views() -> [MempoolEntryView] { pool.entriesInArrivalOrder().compactMap { pool.view($0.transaction.txid) } }

    /// The policy the pool applies.
    public var settings: PolicySettings { pool.settings }

    /// Every entry with its modified fee, parents before children (the order they were accepted in).
    public func entriesInArrivalOrder() -> [(entry: MempoolEntry, modifiedFee: Amount)] {
        pool.entriesInArrivalOrder().map { ($0, pool.modifiedFee(of: $0)) }
    }

    /// `prioritisetransaction`: adds `delta` satoshis to `txid`'s modified fee.
    public func prioritise(_ txid: TxID, by delta: Int64) { pool.prioritise(txid, by: delta) }

    /// Takes out what `block` confirmed or conflicted with; returns the conflicts removed.
    @discardableResult
    public func removeForBlock(_ block: Block) -> [TxID] {
        pool.removeForBlock(block, now: Int64(Date().timeIntervalSince1970))
    }

    /// Removes the pool transactions spending outputs of `txids`, with their descendants.
    @discardableResult
    public func removeSpending(_ txids: Set<TxID>) -> [TxID] { pool.removeSpending(txids) }

    /// The fee rate the pool currently asks on top of the minimum relay fee (`mempoolminfee`).
    public func minimumFeeRate() -> FeeRate { pool.minimumFeeRate(now: Int64(Date().timeIntervalSince1970)) }

    /// The pool as `mempool.dat` bytes (`savemempool`, shutdown).
    public func savedBytes() -> [UInt8] { MempoolFile.encode(pool.entriesInArrivalOrder(), feeDeltas: pool.feeDeltas) }

    /// Memory counted against `-maxmempool`.
    public var usage: Int { pool.usage }
}
