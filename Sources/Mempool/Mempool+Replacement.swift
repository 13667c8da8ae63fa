import ChainTypes

extension Mempool {
    /// Core's replace-by-fee rules (full RBF: no signalling needed), in Core's order; returns
    /// the direct conflicts to evict (their descendants go with them).
    ///
    /// 1. at most `maxReplacementEvictions` transactions evicted, descendants included;
    /// 2. a higher fee rate than every direct conflict;
    /// 3. no new unconfirmed inputs beyond those the conflicts spent;
    /// 4. at least the fees of everything evicted, and 5. on top of that, the minimum relay
    ///    fee for its own size (`-incrementalrelayfee`).
    func replacementChecks(
        _ transaction: Transaction, modifiedFee newFee: Amount, virtualSize: Int, conflicts: Set<TxID>
    ) throws(MempoolError) -> Set<TxID> {
        let txid = transaction.txid
        func insufficient(_ detail: String) -> MempoolError { .rejected(MempoolRejection("insufficient fee", detail)) }
        var evicted = conflicts
        for conflict in conflicts { evicted.formUnion(descendants(of: conflict)) }
        if evicted.count > settings.maxReplacementEvictions {
            throw .rejected(MempoolRejection(
                MempoolRejection.tooManyReplacements.reason,
                "rejecting replacement \(txid); too many potential replacements (\(evicted.count) > \(settings.maxReplacementEvictions))"))
        }
        let newRate = (newFee.satoshis, virtualSize)
        for conflict in conflicts {
            guard let entry = entries[conflict] else { continue }
            let oldRate = (modifiedFee(of: entry).satoshis, entry.virtualSize)
            if !Self.less(oldRate, newRate) {
                throw insufficient("rejecting replacement \(txid); new feerate \(Self.rate(fee: newFee, size: virtualSize)) <= old feerate \(Self.rate(fee: modifiedFee(of: entry), size: entry.virtualSize))")
            }
        }
        let spentByConflicts = Set(conflicts.compactMap { entries[$0] }.flatMap { $0.transaction.inputs.map(\.previousOutput.txid) })
        for input in transaction.inputs {
            let parent = input.previousOutput.txid
            if entries[parent] != nil && !spentByConflicts.contains(parent) {
                throw .rejected(MempoolRejection(
                    MempoolRejection.replacementAddsUnconfirmed.reason, "replacement \(txid) adds unconfirmed input, idx \(transaction.inputs.firstIndex { $0.previousOutput.txid == parent } ?? 0)"))
            }
        }
        let evictedFees = evicted.reduce(Int64(0)) { $0 + (entries[$1].map { modifiedFee(of: $0).satoshis } ?? 0) }
        if newFee.satoshis < evictedFees {
            throw insufficient("rejecting replacement \(txid), less fees than conflicting txs; \(newFee.satoshis) < \(evictedFees)")
        }
        let additional = newFee.satoshis - evictedFees
        let relay = settings.incrementalRelayFee.fee(virtualSize: virtualSize).satoshis
        if additional < relay {
            throw insufficient("rejecting replacement \(txid), not enough additional fees to relay; \(additional) < \(relay)")
        }
        return conflicts
    }
}
