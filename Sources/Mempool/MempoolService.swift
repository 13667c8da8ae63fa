import ChainTypes
import Foundation
import Metrics
import Script

/// The node's mempool behind an actor: one owner for the pool, callable from RPC handlers and
/// (later) peers. Acceptance reads the chain through a `ChainSnapshot` taken just before.
public actor MempoolService {
    private let pool: Mempool
    private let publish: (@Sendable ([NodeEvent]) -> Void)?

    /// A mempool; `publish`, if given, receives every change (and the tip changes reported to
    /// it) in order, synchronously on this actor, so it must not block. Signatures it verifies
    /// go into `signatureCache` (the chain state's, so blocks do not verify them again).
    public init(
        settings: PolicySettings = PolicySettings(), signatureCache: SignatureCache? = nil, publish: (@Sendable ([NodeEvent]) -> Void)? = nil
    ) {
        pool = Mempool(settings: settings, signatureCache: signatureCache)
        pool.recordsChanges = publish != nil
        self.publish = publish
    }

    /// Hands the pool's recorded changes, then `extra`, to `publish`.
    private func publishChanges(then extra: [NodeEvent] = []) {
        guard let publish else { return }
        let events = pool.takeChanges().map { change -> NodeEvent in
            switch change {
            case let .added(transaction, sequence): .transactionAdded(transaction, mempoolSequence: sequence)
            case let .removed(transaction, reason, sequence): .transactionRemoved(transaction, reason: reason, mempoolSequence: sequence)
            }
        } + extra
        if !events.isEmpty { publish(events) }
    }

    /// Judges and (unless `dryRun`) adds `transaction`; see `Mempool.accept`. Submissions are
    /// counted on `/metrics` (accepted, rejected by reason, and what they replaced or pushed
    /// out); a rejection is not counted when `countsRejection` is false (`testmempoolaccept`).
    @discardableResult
    public func accept(
        _ transaction: Transaction, chain: ChainSnapshot, now: Int64, dryRun: Bool = false, feeCap: FeeRate? = nil,
        countsRejection: Bool = true
    ) throws(MempoolError) -> MempoolEntry {
        guard !dryRun else {
            do {
                return try pool.accept(transaction, chain: chain, now: now, dryRun: true, feeCap: feeCap)
            } catch {
                if countsRejection { Self.countRejection(error) }
                throw error
            }
        }
        do {
            let entry = try counting { () throws(MempoolError) in try pool.accept(transaction, chain: chain, now: now, feeCap: feeCap) }
            Counter(label: "rustyd_mempool_accepted_total").increment()
            return entry
        } catch {
            if countsRejection { Self.countRejection(error) }
            throw error
        }
    }

    /// `submitpackage`: see `Mempool.acceptPackage`; counted on `/metrics` as single submissions are.
    public func acceptPackage(
        _ package: [Transaction], chain: ChainSnapshot, now: Int64, maxFeeRate: FeeRate? = nil
    ) throws(MempoolError) -> PackageAcceptance {
        let result = try counting { () throws(MempoolError) in try pool.acceptPackage(package, chain: chain, now: now, maxFeeRate: maxFeeRate) }
        for outcome in result.outcomes.values {
            switch outcome {
            case .accepted: Counter(label: "rustyd_mempool_accepted_total").increment()
            case let .rejected(rejection): Self.countRejection(.rejected(rejection))
            case .inMempool: break
            }
        }
        return result
    }

    /// `testmempoolaccept` with several transactions: see `Mempool.testPackage`; the pool is unchanged.
    public func testPackage(_ package: [Transaction], chain: ChainSnapshot, now: Int64) throws(MempoolError) -> PackageAcceptance {
        try pool.testPackage(package, chain: chain, now: now)
    }

    /// Runs `change`, counts what it replaced, evicted and expired on `/metrics`, and publishes
    /// what changed.
    private func counting<T>(_ change: () throws(MempoolError) -> T) throws(MempoolError) -> T {
        let before = (pool.replacedTotal, pool.evictedTotal, pool.expiredTotal)
        defer {
            publishChanges()
            Counter(label: "rustyd_mempool_replaced_total").increment(by: pool.replacedTotal - before.0)
            Counter(label: "rustyd_mempool_evicted_total").increment(by: pool.evictedTotal - before.1)
            Counter(label: "rustyd_mempool_expired_total").increment(by: pool.expiredTotal - before.2)
        }
        return try change()
    }

    private static func countRejection(_ error: MempoolError) {
        guard case let .rejected(rejection) = error else { return }
        // The reason without Core's parenthesised script message, to keep labels few.
        let reason = rejection.reason.split(separator: " (").first.map(String.init) ?? rejection.reason
        Counter(label: "rustyd_mempool_rejected_total", dimensions: [("reason", reason)]).increment()
    }

    /// Size figures for `getmempoolinfo` and `/metrics`: transactions, virtual bytes, memory
    /// counted against `-maxmempool`, fees paid, and the minimum fee rate (sat/kvB) a newcomer
    /// must pay (the pool's or the relay minimum, whichever is higher).
    public func statistics() -> (count: Int, virtualBytes: Int, usage: Int, totalFee: Amount, minimumFeeRate: Int64) {
        let (virtualBytes, fees) = pool.entries.values.reduce((0, Int64(0))) { ($0.0 + $1.virtualSize, $0.1 + $1.fee.satoshis) }
        let minimum = max(pool.minimumFeeRate(now: Int64(Date().timeIntervalSince1970)), pool.settings.minRelayFee)
        return (pool.count, virtualBytes, pool.usage, Amount(satoshis: fees), minimum.satoshisPerKilovirtualByte)
    }

    public func contains(_ txid: TxID) -> Bool { pool.entry(txid) != nil }

    public func entry(_ txid: TxID) -> MempoolEntry? { pool.entry(txid) }

    public func entry(witnessID wtxid: WTxID) -> MempoolEntry? { pool.entry(witnessID: wtxid) }

    public var count: Int { pool.count }

    /// Every pooled transaction, in no particular order.
    public func transactions() -> [Transaction] { pool.entries.values.map(\.transaction) }

    /// The txid and wtxid of every pooled transaction, in no particular order (cheap: no sort).
    public func identifiers() -> [(TxID, WTxID)] { pool.entries.values.map { ($0.transaction.txid, $0.transaction.wtxid) } }

    /// `txid`'s entry with its relatives (`getmempoolentry`).
    public func view(_ txid: TxID) -> MempoolEntryView? { pool.view(txid) }

    /// The pool ancestors (or descendants) of `txid` with their relatives, nil when `txid` is not
    /// in the pool (`getmempoolancestors`, `getmempooldescendants`).
    public func relatives(of txid: TxID, descendants: Bool) -> [MempoolEntryView]? {
        guard pool.entry(txid) != nil else { return nil }
        let found = descendants ? pool.descendants(of: txid) : pool.ancestors(of: txid)
        return pool.entriesInArrivalOrder().filter { found.contains($0.transaction.txid) }.compactMap { pool.view($0.transaction.txid) }
    }

    /// The estimated fee rate to confirm within `target` blocks (capped at
    /// `FeeEstimator.maxTarget`), never below what the pool itself demands; nil without data.
    public func estimateFee(target: Int) -> FeeRate? {
        guard let rate = pool.estimator.estimate(target: target) else { return nil }
        return max(rate, pool.minimumFeeRate(now: Int64(Date().timeIntervalSince1970)), pool.settings.minRelayFee)
    }

    /// The txids in the pool with the mempool sequence they correspond to.
    public func txidsWithSequence() -> (txids: [TxID], sequence: UInt64) {
        (pool.entriesInArrivalOrder().map(\.transaction.txid), pool.sequence)
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

    /// `block` was connected at `height`: takes out what it confirmed or conflicted with, then
    /// publishes the block; returns the conflicts removed.
    @discardableResult
    public func blockConnected(_ block: Block, height: Int) -> [TxID] {
        let conflicts = pool.removeForBlock(block, height: height, now: Int64(Date().timeIntervalSince1970))
        publishChanges(then: [.blockConnected(block, height: height)])
        return conflicts
    }

    /// `block` (at `height`) was disconnected; its transactions are offered back by the caller.
    public func blockDisconnected(_ block: Block, height: Int) {
        publishChanges(then: [.blockDisconnected(block, height: height)])
    }

    /// After a batch of tip changes, `block` at `height` is the tip.
    public func tipChanged(to block: Block, height: Int) {
        publishChanges(then: [.tipChanged(block, height: height)])
    }

    /// Removes the pool transactions spending outputs of `txids`, with their descendants (a reorg
    /// took those away).
    @discardableResult
    public func removeSpending(_ txids: Set<TxID>) -> [TxID] {
        defer { publishChanges() }
        return pool.removeSpending(txids)
    }

    /// The pool as `mempool.dat` bytes (`savemempool`, shutdown).
    public func savedBytes() -> [UInt8] { MempoolFile.encode(pool.entriesInArrivalOrder(), feeDeltas: pool.feeDeltas) }
}
