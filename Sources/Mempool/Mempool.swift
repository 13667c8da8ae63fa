import ChainTypes
import Consensus
import Script

/// The unconfirmed transactions a node keeps and relays, judged as Bitcoin Core's
/// `MemPoolAccept` judges them against the chain tip and the other mempool transactions.
///
/// Not thread-safe: one owner (the node's mempool actor) calls it.
public final class Mempool {
    public let settings: PolicySettings
    public private(set) var entries: [TxID: MempoolEntry] = [:]
    private(set) var txidByWitnessID: [WTxID: TxID] = [:]
    /// The mempool transaction spending each outpoint.
    private var spenders: [OutPoint: TxID] = [:]
    /// Transactions that left because they were replaced, evicted for space, or expired, since
    /// the pool was made (for metrics).
    public internal(set) var replacedTotal = 0
    public internal(set) var evictedTotal = 0
    public internal(set) var expiredTotal = 0
    /// Learns from confirmation times (`estimatesmartfee`).
    public internal(set) var estimator = FeeEstimator()
    /// Core's mempool sequence: one more for every transaction added or removed (ZMQ `sequence`
    /// and `getrawmempool`'s `mempool_sequence` let a client line up snapshots with events).
    public internal(set) var sequence: UInt64 = 1
    /// Whether additions and removals are recorded for `takeChanges` (off unless someone
    /// drains them: the node's mempool actor, for its subscribers).
    public var recordsChanges = false
    /// Additions and removals since `takeChanges` was last called, in order.
    var changes: [MempoolChange] = []
    /// Sum of the entries' `memoryUsage`.
    public internal(set) var usage = 0
    /// Core's rolling minimum fee (sat/kvB) after evictions, decaying over time, and its state.
    var rollingMinimumFeeRate: Double = 0
    var lastRollingFeeUpdate: Int64 = 0
    var blockSinceLastRollingFeeBump = false
    /// `prioritisetransaction` deltas by txid, kept whether or not the transaction is in the pool.
    public private(set) var feeDeltas: [TxID: Int64] = [:]
    /// Transactions in the order they entered (entry times rise along it), from
    /// `timelineStart`; expiry walks it from the front instead of scanning the pool.
    var timeline: [(txid: TxID, time: Int64)] = []
    var timelineStart = 0
    /// Acceptance order.
    private var arrival: [TxID: UInt64] = [:]
    private var nextArrival: UInt64 = 0
    /// Totals with descendants and the eviction order (`trim`).
    var scoreIndex = DescendantScoreIndex()
    /// Signatures found valid here are remembered, so the block that confirms the transaction
    /// does not verify them again (shared with the chain state).
    public let signatureCache: SignatureCache?

    public init(settings: PolicySettings = PolicySettings(), signatureCache: SignatureCache? = nil) {
        self.settings = settings
        self.signatureCache = signatureCache
    }

    public var count: Int { entries.count }

    /// The additions and removals since the last call, oldest first (when `recordsChanges`).
    public func takeChanges() -> [MempoolChange] {
        defer { changes.removeAll() }
        return changes
    }

    public func entry(_ txid: TxID) -> MempoolEntry? { entries[txid] }

    /// The entry of the transaction with witness id `wtxid`, if pooled.
    public func entry(witnessID wtxid: WTxID) -> MempoolEntry? { txidByWitnessID[wtxid].flatMap { entries[$0] } }

    /// Adds `delta` satoshis to the fee `txid` is judged, evicted and mined by (not what it pays).
    public func prioritise(_ txid: TxID, by delta: Int64) {
        let total = (feeDeltas[txid] ?? 0) &+ delta
        feeDeltas[txid] = total == 0 ? nil : total
        guard entries[txid] != nil else { return }
        for affected in [txid] + ancestors(of: txid) {
            scoreIndex.add(.init(fees: delta, size: 0), to: affected)
            reindex(affected)
        }
    }

    /// Files `txid` again in the eviction order after its totals changed.
    private func reindex(_ txid: TxID) {
        guard let entry = entries[txid] else { return }
        scoreIndex.reindex(txid, ownFee: modifiedFee(of: entry).satoshis, ownSize: entry.virtualSize, arrival: arrival[txid] ?? 0)
    }

    /// The fee `txid` counts with: its fee plus its delta.
    public func modifiedFee(of entry: MempoolEntry) -> Amount {
        Amount(satoshis: entry.fee.satoshis &+ (feeDeltas[entry.transaction.txid] ?? 0))
    }

    /// Every entry in the order accepted: parents before children.
    public func entriesInArrivalOrder() -> [MempoolEntry] {
        entries.values.sorted { (arrival[$0.transaction.txid] ?? 0) < (arrival[$1.transaction.txid] ?? 0) }
    }

    /// The pool transactions `txid` spends outputs of (its parents in the pool).
    public func parents(of txid: TxID) -> [TxID] {
        guard let entry = entries[txid] else { return [] }
        var seen: Set<TxID> = []
        return entry.transaction.inputs.compactMap { input in
            let parent = input.previousOutput.txid
            return entries[parent] != nil && seen.insert(parent).inserted ? parent : nil
        }
    }

    /// The pool transactions spending outputs of `txid` (its children).
    public func children(of txid: TxID) -> [TxID] {
        guard let entry = entries[txid] else { return [] }
        var seen: Set<TxID> = []
        return entry.transaction.outputs.indices.compactMap { index in
            guard let child = spenders[OutPoint(txid: txid, index: UInt32(index))], seen.insert(child).inserted else { return nil }
            return child
        }
    }

    /// Every pool transaction a transaction not yet in the pool would depend on.
    func poolAncestors(of transaction: Transaction) -> Set<TxID> {
        var found: Set<TxID> = []
        for input in transaction.inputs where entries[input.previousOutput.txid] != nil {
            let parent = input.previousOutput.txid
            if found.insert(parent).inserted { found.formUnion(ancestors(of: parent)) }
        }
        return found
    }

    /// Every pool transaction `txid` depends on, directly or not (not itself).
    public func ancestors(of txid: TxID) -> Set<TxID> { closure(from: txid, step: parents(of:)) }

    /// Every pool transaction depending on `txid`, directly or not (not itself).
    public func descendants(of txid: TxID) -> Set<TxID> { closure(from: txid, step: children(of:)) }

    private func closure(from txid: TxID, step: (TxID) -> [TxID]) -> Set<TxID> {
        var found: Set<TxID> = []
        var pending = step(txid)
        while let next = pending.popLast() {
            guard found.insert(next).inserted else { continue }
            pending += step(next)
        }
        return found
    }

    /// The mempool transaction spending `outpoint`, if any.
    public func spender(of outpoint: OutPoint) -> TxID? { spenders[outpoint] }

    /// Judges `transaction` for the block after `chain`'s tip and, unless `dryRun`
    /// (`testmempoolaccept`), adds it. Checks run in Core's order, so the first rule broken is
    /// the one Core reports. A valid transaction paying more than `feeCap` for its size is not
    /// added (`feeAboveMaximum`: `sendrawtransaction`'s `maxfeerate`, checked after every rule,
    /// on the fee paid; `submitpackage`'s is a rule on the modified fee rate, in `evaluate`).
    @discardableResult
    public func accept(
        _ transaction: Transaction, chain: some MempoolChainView, now: Int64, dryRun: Bool = false, feeCap: FeeRate? = nil
    ) throws(MempoolError) -> MempoolEntry {
        let (entry, replaced) = try evaluate(transaction, chain: chain, now: now)
        if let cap = feeCap?.fee(virtualSize: entry.virtualSize), cap > .zero, entry.fee > cap { throw .feeAboveMaximum }
        guard !dryRun else { return entry }
        commit(entry, replacing: replaced)
        limitSize(now: now)
        guard entries[transaction.txid] != nil else { throw .rejected(.mempoolFull) }
        return entry
    }

    /// Adds an evaluated entry after taking out what it replaces (with their descendants);
    /// returns what was replaced.
    @discardableResult
    func commit(_ entry: MempoolEntry, replacing replaced: Set<TxID>) -> [TxID] {
        let removed = replaced.flatMap { removeWithDescendants($0, reason: .replaced) }
        replacedTotal += removed.count
        add(entry)
        return removed
    }

    /// Core's `LimitMempoolSize`: expires old entries, then evicts down to the size limit.
    func limitSize(now: Int64) {
        expiredTotal += expire(olderThan: now - settings.expirySeconds).count
        evictedTotal += trim(toBytes: settings.maxMempoolBytes).count
    }

    /// Every check of `accept`; returns the entry and the pool transactions it replaces.
    ///
    /// Without `checksFeeFloor` the minimum relay and mempool fees are left to the caller (a
    /// package judged by its combined fee rate).
    func evaluate(
        _ transaction: Transaction, chain: some MempoolChainView, now: Int64, checksFeeFloor: Bool = true, maxFeeRate: FeeRate? = nil
    ) throws(MempoolError) -> (MempoolEntry, replaced: Set<TxID>) {
        func reject(_ rejection: MempoolRejection) -> MempoolError { .rejected(rejection) }
        do {
            try TransactionCheck.check(transaction)
        } catch {
            throw reject(MempoolRejection(error.rawValue))
        }
        if transaction.isCoinbase { throw reject(.coinbase) }
        do {
            try StandardnessPolicy.check(transaction, settings: settings)
        } catch {
            throw reject(error)
        }
        let height = chain.tipHeight + 1
        if !LockTime.isFinal(transaction, height: height, time: chain.tipMedianTimePast) { throw reject(.nonFinal) }
        if let known = txidByWitnessID[transaction.wtxid], entries[known] != nil { throw reject(.alreadyInMempool) }
        if entries[transaction.txid] != nil { throw reject(.sameNonWitnessData) }
        // Pool transactions spending the same outputs: candidates for replacement (full RBF).
        let conflicts = Set(transaction.inputs.compactMap { spenders[$0.previousOutput] })
        let ancestors = poolAncestors(of: transaction)
        // Core's EntriesAndTxidsDisjoint: it may not depend on a transaction it would replace.
        if !ancestors.isDisjoint(with: conflicts) { throw reject(.spendsConflictingTransaction) }

        let coins = try spentCoins(of: transaction, chain: chain, height: height)
        let locks = LockTime.sequenceLocks(
            transaction, enforce: true, coinHeights: coins.map(\.height),
            medianTimePast: { chain.medianTimePast(atHeight: min($0, chain.tipHeight)) })
        guard LockTime.sequenceLocksSatisfied(locks, height: height, parentMedianTimePast: chain.tipMedianTimePast) else {
            throw reject(.nonBIP68Final)
        }
        let fee: Amount
        do {
            fee = try InputsCheck.fee(of: transaction, spending: coins, spendHeight: height, coinbaseMaturity: chain.coinbaseMaturity)
        } catch {
            throw reject(MempoolRejection(error.reason, error.detail))
        }
        let spent = coins.map(\.output)
        do {
            try StandardnessPolicy.checkInputs(transaction, spentOutputs: spent, settings: settings)
            try StandardnessPolicy.checkWitnesses(transaction, spentOutputs: spent, settings: settings)
        } catch {
            throw reject(error)
        }
        let sigopCost = SignatureOperations.cost(of: transaction, spent: spent, flags: .standard)
        if sigopCost > settings.maxStandardSigopCost { throw reject(.tooManySigops) }
        let virtualSize = transaction.virtualSize
        // Fee checks use the modified fee, as Core's CheckFeeRate.
        let modified = Amount(satoshis: fee.satoshis &+ (feeDeltas[transaction.txid] ?? 0))
        if checksFeeFloor { try checkFeeFloor(modifiedFee: modified, virtualSize: virtualSize, now: now) }
        if let maxFeeRate, Self.rate(fee: modified, size: virtualSize) > maxFeeRate { throw reject(MempoolRejection("max feerate exceeded")) }
        let replaced = conflicts.isEmpty
            ? []
            : try replacementChecks(transaction, modifiedFee: modified, virtualSize: virtualSize, conflicts: conflicts)
        try checkPackageLimits(ancestors: ancestors, virtualSize: virtualSize, ignoring: replaced)
        try Self.verifyScripts(transaction, spent: spent, cache: signatureCache)
        let entry = MempoolEntry(transaction: transaction, fee: fee, virtualSize: virtualSize, sigopCost: sigopCost, time: now, height: chain.tipHeight)
        return (entry, replaced)
    }

    /// Core's `CheckFeeRate`: `modifiedFee` for `virtualSize` bytes (one transaction's, or a
    /// package's together) must reach the pool's rolling minimum and the minimum relay fee.
    func checkFeeFloor(modifiedFee: Amount, virtualSize: Int, now: Int64) throws(MempoolError) {
        let poolMinimum = minimumFeeRate(now: now).fee(virtualSize: virtualSize)
        if poolMinimum > .zero && modifiedFee < poolMinimum {
            throw .rejected(MempoolRejection("mempool min fee not met", "\(modifiedFee.satoshis) < \(poolMinimum.satoshis)"))
        }
        let minimumFee = settings.minRelayFee.fee(virtualSize: virtualSize)
        if modifiedFee < minimumFee {
            throw .rejected(MempoolRejection("min relay fee not met", "\(modifiedFee.satoshis) < \(minimumFee.satoshis)"))
        }
    }

    /// Core's ancestor and descendant limits (`too-long-mempool-chain`): the new transaction
    /// with its pool ancestors, and each ancestor with its descendants plus the new one, must
    /// stay within the count and size limits.
    private func checkPackageLimits(ancestors: Set<TxID>, virtualSize: Int, ignoring replaced: Set<TxID>) throws(MempoolError) {
        func tooLong(_ detail: String) -> MempoolError { .rejected(MempoolRejection("too-long-mempool-chain", detail)) }
        if ancestors.count + 1 > settings.maxAncestorCount {
            throw tooLong("too many unconfirmed ancestors [limit: \(settings.maxAncestorCount)]")
        }
        let ancestorSize = ancestors.reduce(virtualSize) { $0 + (entries[$1]?.virtualSize ?? 0) }
        if ancestorSize > settings.maxAncestorSize {
            throw tooLong("exceeds ancestor size limit [limit: \(settings.maxAncestorSize)]")
        }
        for ancestor in ancestors {
            let descendants = self.descendants(of: ancestor).subtracting(replaced)
            if descendants.count + 2 > settings.maxDescendantCount {
                throw tooLong("too many descendants for tx \(ancestor) [limit: \(settings.maxDescendantCount)]")
            }
            let size = descendants.reduce((entries[ancestor]?.virtualSize ?? 0) + virtualSize) { $0 + (entries[$1]?.virtualSize ?? 0) }
            if size > settings.maxDescendantSize {
                throw tooLong("exceeds descendant size limit for tx \(ancestor) [limit: \(settings.maxDescendantSize)]")
            }
        }
    }

    /// The coins `transaction` spends, from mempool parents (as if confirmed in the next block)
    /// or the chain; `missing-inputs` (an orphan) when one is neither.
    private func spentCoins(of transaction: Transaction, chain: some MempoolChainView, height: Int) throws(MempoolError) -> [Coin] {
        var coins: [Coin] = []
        coins.reserveCapacity(transaction.inputs.count)
        for input in transaction.inputs {
            let outpoint = input.previousOutput
            if let parent = entries[outpoint.txid] {
                guard Int(outpoint.index) < parent.transaction.outputs.count else { throw .rejected(.missingInputs) }
                coins.append(Coin(output: parent.transaction.outputs[Int(outpoint.index)], height: height, isCoinbase: false))
                continue
            }
            let coin: Coin?
            do {
                coin = try chain.coin(at: outpoint)
            } catch {
                throw .chainUnavailable("\(error)")
            }
            guard let coin else {
                // Core: outputs of this very transaction in the UTXO set mean it is confirmed.
                let confirmed = (0..<transaction.outputs.count).contains { index in
                    (try? chain.coin(at: OutPoint(txid: transaction.txid, index: UInt32(index)))) != nil
                }
                throw .rejected(confirmed ? .alreadyKnown : .missingInputs)
            }
            coins.append(coin)
        }
        return coins
    }

    /// Scripts with the standard flags; a failure that the consensus flags alone also find is
    /// `mandatory-script-verify-flag-failed`, one only policy finds is
    /// `mempool-script-verify-flag-failed` (Core's reasons since v29), each with Core's message.
    private static func verifyScripts(_ transaction: Transaction, spent: [TxOut], cache: SignatureCache?) throws(MempoolError) {
        let policyFailure: ScriptError
        do {
            try ScriptVerifier.verifyInputs(of: transaction, spentOutputs: spent, flags: .standard, cache: cache)
            return
        } catch {
            guard case let .script(_, failure) = error else { throw .rejected(MempoolRejection("mandatory-script-verify-flag-failed")) }
            policyFailure = failure
        }
        do {
            try ScriptVerifier.verifyInputs(of: transaction, spentOutputs: spent, flags: .consensus)
        } catch {
            guard case let .script(_, failure) = error else { throw .rejected(MempoolRejection("mandatory-script-verify-flag-failed")) }
            throw .rejected(MempoolRejection("mandatory-script-verify-flag-failed (\(failure.coreMessage))"))
        }
        throw .rejected(MempoolRejection("mempool-script-verify-flag-failed (\(policyFailure.coreMessage))"))
    }

    func add(_ entry: MempoolEntry) {
        let transaction = entry.transaction
        entries[transaction.txid] = entry
        timeline.append((transaction.txid, entry.time))
        if recordsChanges { changes.append(.added(transaction, mempoolSequence: sequence)) }
        sequence += 1
        estimator.track(transaction.txid, rate: entry.feeRate, height: entry.height)
        // Positions of entries that left (mined, replaced) pile up: drop them now and then.
        if timeline.count - timelineStart > 2 * entries.count + 1024 {
            timeline = timeline[timelineStart...].filter { entries[$0.txid]?.time == $0.time }
            timelineStart = 0
        }
        usage += entry.memoryUsage
        arrival[transaction.txid] = nextArrival
        nextArrival += 1
        txidByWitnessID[transaction.wtxid] = transaction.txid
        for input in transaction.inputs { spenders[input.previousOutput] = transaction.txid }
        // Its totals include descendants already in the pool (children of a transaction that
        // comes back after a reorg); its ancestors now count all of them.
        let txid = transaction.txid
        let subtree = descendants(of: txid).reduce(DescendantScoreIndex.Totals(fees: modifiedFee(of: entry).satoshis, size: entry.virtualSize)) {
            guard let other = entries[$1] else { return $0 }
            return .init(fees: $0.fees &+ modifiedFee(of: other).satoshis, size: $0.size + other.virtualSize)
        }
        scoreIndex.set(txid, to: subtree)
        reindex(txid)
        for ancestor in ancestors(of: txid) {
            scoreIndex.add(subtree, to: ancestor)
            reindex(ancestor)
        }
    }

    /// Removes `txid` and every mempool transaction spending its outputs, directly or not, for
    /// `reason`; returns what was removed.
    @discardableResult
    public func removeWithDescendants(_ txid: TxID, reason: MempoolRemovalReason) -> [TxID] {
        // Descendants leave before their ancestors, so each one's ancestors still count it when
        // it goes (a post-order walk of the children).
        var order: [TxID] = []
        var visited: Set<TxID> = []
        var stack: [(txid: TxID, expanded: Bool)] = entries[txid] == nil ? [] : [(txid, false)]
        while let (next, expanded) = stack.popLast() {
            if expanded {
                order.append(next)
                continue
            }
            guard visited.insert(next).inserted else { continue }
            stack.append((next, true))
            for child in children(of: next) where !visited.contains(child) { stack.append((child, false)) }
        }
        for next in order {
            _ = removeEntry(next, reason: reason)
            estimator.forget(next)
        }
        return order
    }

    /// Takes `txid` out of the pool and its indexes (not its descendants); returns its entry.
    func removeEntry(_ txid: TxID, reason: MempoolRemovalReason) -> MempoolEntry? {
        guard let entry = entries[txid] else { return nil }
        // Its ancestors stop counting it (its descendants, if any stay, keep their own totals).
        let leaving = DescendantScoreIndex.Totals(fees: -modifiedFee(of: entry).satoshis, size: -entry.virtualSize)
        for ancestor in ancestors(of: txid) {
            scoreIndex.add(leaving, to: ancestor)
            reindex(ancestor)
        }
        scoreIndex.remove(txid)
        entries[txid] = nil
        if recordsChanges { changes.append(.removed(entry.transaction, reason: reason, mempoolSequence: sequence)) }
        sequence += 1
        usage -= entry.memoryUsage
        arrival[txid] = nil
        txidByWitnessID[entry.transaction.wtxid] = nil
        for input in entry.transaction.inputs where spenders[input.previousOutput] == txid {
            spenders[input.previousOutput] = nil
        }
        return entry
    }

    /// Removes, with their descendants, the pool transactions spending outputs of any of
    /// `txids` (transactions that left the chain and did not come back); returns what was removed.
    @discardableResult
    public func removeSpending(_ txids: Set<TxID>) -> [TxID] {
        guard !txids.isEmpty else { return [] }
        let orphaned = entries.values.filter { entry in entry.transaction.inputs.contains { txids.contains($0.previousOutput.txid) } }
        return orphaned.flatMap { removeWithDescendants($0.transaction.txid, reason: .reorg) }
    }

    /// After `block` connected at `height` (at time `now`): its transactions leave the mempool
    /// (confirmed, and counted by the fee estimator), and so do mempool transactions spending
    /// what it spent, with their descendants (conflicts); the rolling minimum fee starts to
    /// decay. Returns the conflicts removed.
    @discardableResult
    public func removeForBlock(_ block: Block, height: Int, now: Int64) -> [TxID] {
        lastRollingFeeUpdate = now
        blockSinceLastRollingFeeBump = true
        let confirmed = block.transactions.compactMap { removeEntry($0.txid, reason: .block)?.transaction.txid }
        estimator.blockConnected(height: height, confirmed: confirmed)
        var conflicts: [TxID] = []
        for transaction in block.transactions.dropFirst() {
            for input in transaction.inputs {
                if let spender = spenders[input.previousOutput] { conflicts += removeWithDescendants(spender, reason: .conflict) }
            }
        }
        return conflicts
    }
}
