import ChainTypes

extension Mempool {
    /// Core's `AcceptPackage` (`submitpackage`): a child with its unconfirmed parents, parents
    /// first. Transactions already in the pool are left as they are; every other one is first
    /// tried on its own; those refused only for a low fee (and children missing such a parent)
    /// are then judged together, by their combined fee rate: a child pays for its parents.
    /// Replacing pool transactions is allowed on its own, not inside the package evaluation.
    public func acceptPackage(
        _ package: [Transaction], chain: some MempoolChainView, now: Int64, maxFeeRate: FeeRate? = nil
    ) throws(MempoolError) -> PackageAcceptance {
        if let failure = try packageTopologyError(package, chain: chain) { return PackageAcceptance(failure: failure) }
        var result = PackageAcceptance()
        var individualFailures: [WTxID: MempoolRejection] = [:]
        var deferred: [Transaction] = []
        var quitEarly = false
        for transaction in package {
            if let known = txidByWitnessID[transaction.wtxid], let entry = entries[known] {
                result.outcomes[transaction.wtxid] = .inMempool(entry, otherWitness: nil)
                continue
            }
            if let entry = entries[transaction.txid] {
                result.outcomes[transaction.wtxid] = .inMempool(entry, otherWitness: entry.transaction.wtxid)
                continue
            }
            do throws(MempoolError) {
                let (entry, replaced) = try evaluate(transaction, chain: chain, now: now, maxFeeRate: maxFeeRate)
                result.replaced += commit(entry, replacing: replaced)
                limitSize(now: now)
                result.outcomes[transaction.wtxid] = .accepted(entry, effectiveFeeRate: modifiedFeeRate(of: entry), includes: [transaction.wtxid])
            } catch {
                guard case let .rejected(rejection) = error else { throw error }
                individualFailures[transaction.wtxid] = rejection
                if package.count > 1 && (rejection.isFeeTooLow || rejection == .missingInputs) {
                    deferred.append(transaction)
                } else {
                    quitEarly = true
                }
            }
        }
        if !quitEarly && deferred.count > 1 {
            switch try acceptTogether(deferred, chain: chain, now: now, maxFeeRate: maxFeeRate) {
            case let .success(accepted): for (wtxid, outcome) in accepted { result.outcomes[wtxid] = outcome }
            case let .failure(rejection): individualFailures[rejection.wtxid] = rejection.rejection
            }
        }
        for transaction in package {
            let wtxid = transaction.wtxid
            // Transactions the size limit pushed out again.
            if result.outcomes[wtxid] != nil && entries[transaction.txid] == nil { result.outcomes[wtxid] = .rejected(.mempoolFull) }
            if result.outcomes[wtxid] == nil, let failure = individualFailures[wtxid] { result.outcomes[wtxid] = .rejected(failure) }
            if case .rejected = result.outcomes[wtxid] { result.failure = PackageAcceptance.transactionFailed }
        }
        return result
    }

    /// Judges `package` as `testmempoolaccept` does: each transaction in order, with the
    /// earlier ones as if in the pool, each paying its own fee, nothing replaced unless it is a
    /// single transaction; leaves the pool as it was. Stops at the first failure (the only
    /// outcome then).
    public func testPackage(_ package: [Transaction], chain: some MempoolChainView, now: Int64) throws(MempoolError) -> PackageAcceptance {
        if package.count > 1, let failure = PackageRules.wellFormednessError(of: package) { return PackageAcceptance(failure: failure) }
        var staged = StagedEntries(sequence: sequence, changeCount: changes.count)
        defer { roll(back: staged) }
        for transaction in package {
            do throws(MempoolError) {
                let (entry, replaced) = try evaluate(transaction, chain: chain, now: now)
                guard replaced.isEmpty || package.count == 1 else { throw .rejected(.replacementDisallowed) }
                if replaced.isEmpty { add(entry) }
                staged.entries.append(entry)
            } catch {
                guard case let .rejected(rejection) = error else { throw error }
                return PackageAcceptance(outcomes: [transaction.wtxid: .rejected(rejection)], failure: PackageAcceptance.transactionFailed)
            }
        }
        var result = PackageAcceptance()
        for entry in staged.entries {
            result.outcomes[entry.transaction.wtxid] = .accepted(
                entry, effectiveFeeRate: modifiedFeeRate(of: entry), includes: [entry.transaction.wtxid])
        }
        return result
    }

    /// Core's checks before a package is looked at: well-formed, a child with its parents, and
    /// the child's other inputs confirmed.
    private func packageTopologyError(_ package: [Transaction], chain: some MempoolChainView) throws(MempoolError) -> MempoolRejection? {
        if let failure = PackageRules.wellFormednessError(of: package) { return failure }
        guard package.count > 1, let child = package.last else { return nil }
        guard PackageRules.isChildWithParents(package) else { return MempoolRejection("package-not-child-with-parents") }
        let parents = Set(package.dropLast().map(\.txid))
        for input in child.inputs where !parents.contains(input.previousOutput.txid) {
            let coin: Coin?
            do {
                coin = try chain.coin(at: input.previousOutput)
            } catch {
                throw .chainUnavailable("\(error)")
            }
            if coin == nil { return MempoolRejection("package-not-child-with-unconfirmed-parents") }
        }
        return nil
    }

    /// A failure inside a package evaluation: which transaction, and why.
    private struct PackageMemberRejection: Error {
        let wtxid: WTxID
        let rejection: MempoolRejection
    }

    /// Core's `AcceptMultipleTransactions`: every rule but the fee floor for each transaction,
    /// then the floor for their fees and sizes together (failing on the last, the child); all
    /// are added, or none.
    private func acceptTogether(
        _ transactions: [Transaction], chain: some MempoolChainView, now: Int64, maxFeeRate: FeeRate?
    ) throws(MempoolError) -> Result<[WTxID: PackageAcceptance.Outcome], PackageMemberRejection> {
        var staged = StagedEntries(sequence: sequence, changeCount: changes.count)
        var fees = Amount.zero
        var size = 0
        for transaction in transactions {
            do throws(MempoolError) {
                let (entry, replaced) = try evaluate(transaction, chain: chain, now: now, checksFeeFloor: false, maxFeeRate: maxFeeRate)
                guard replaced.isEmpty else { throw .rejected(.replacementDisallowed) }
                add(entry)
                staged.entries.append(entry)
                fees = Amount(satoshis: fees.satoshis &+ modifiedFee(of: entry).satoshis)
                size += entry.virtualSize
            } catch {
                roll(back: staged)
                guard case let .rejected(rejection) = error else { throw error }
                return .failure(PackageMemberRejection(wtxid: transaction.wtxid, rejection: rejection))
            }
        }
        do throws(MempoolError) {
            try checkFeeFloor(modifiedFee: fees, virtualSize: size, now: now)
        } catch {
            roll(back: staged)
            guard case let .rejected(rejection) = error, let child = transactions.last else { throw error }
            return .failure(PackageMemberRejection(wtxid: child.wtxid, rejection: rejection))
        }
        limitSize(now: now)
        let rate = Self.rate(fee: fees, size: size)
        let wtxids = transactions.map(\.wtxid)
        return .success(Dictionary(uniqueKeysWithValues: staged.entries.map {
            ($0.transaction.wtxid, .accepted($0, effectiveFeeRate: rate, includes: wtxids))
        }))
    }

    /// Entries added to judge a package, to be taken out again (unless it passes) with the
    /// pool's sequence and recorded changes as they were.
    private struct StagedEntries {
        let sequence: UInt64
        /// How many changes were recorded before.
        let changeCount: Int
        var entries: [MempoolEntry] = []
    }

    private func roll(back staged: StagedEntries) {
        for entry in staged.entries.reversed() where entries[entry.transaction.txid] != nil {
            _ = removeEntry(entry.transaction.txid, reason: .replaced)
            estimator.forget(entry.transaction.txid)
        }
        // As if the staged entries had never been there.
        sequence = staged.sequence
        changes.removeSubrange(min(staged.changeCount, changes.count)...)
    }

    /// An entry's fee rate with its `prioritisetransaction` delta.
    func modifiedFeeRate(of entry: MempoolEntry) -> FeeRate { Self.rate(fee: modifiedFee(of: entry), size: entry.virtualSize) }
}
