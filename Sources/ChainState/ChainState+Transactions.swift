import ChainTypes
import Consensus
import Mining
import Script

extension ChainState {
    /// The fee of `transaction` if every input is an unspent coin, else nil.
    public func fee(of transaction: Transaction) throws(ChainStateError) -> Amount? {
        var valueIn = Amount.zero
        for input in transaction.inputs {
            guard let coin = try coin(at: input.previousOutput), let sum = valueIn.adding(coin.output.value) else { return nil }
            valueIn = sum
        }
        guard let valueOut = transaction.totalOutputValue, valueOut <= valueIn else { return nil }
        return Amount(satoshis: valueIn.satoshis - valueOut.satoshis)
    }

    /// Checks `transaction` for the next block on the tip: context-free rules, inputs unspent in
    /// the UTXO set and mature, values, lock time, and scripts under `flags` (default: Core's
    /// standard flags). Returns it as a block-assembly candidate (`generateblock`'s given
    /// transactions, which need not pass relay policy).
    public func checkTransactionForNextBlock(
        _ transaction: Transaction, flags: ScriptVerifyFlags = .standard
    ) throws(ChainStateError) -> CandidateTransaction {
        do {
            try TransactionCheck.check(transaction)
        } catch {
            throw .invalid(.transaction(error))
        }
        if transaction.isCoinbase { throw .invalid(BlockRuleError("coinbase", "coinbase transactions cannot be submitted")) }
        let height = tip.height + 1
        guard LockTime.isFinal(transaction, height: height, time: tip.medianTimePast) else { throw .invalid(.nonFinalTransaction) }
        var coins: [Coin] = []
        for input in transaction.inputs {
            guard let coin = try coin(at: input.previousOutput) else { throw .invalid(.missingOrSpentInputs) }
            coins.append(coin)
        }
        let fee = try checkInputs(transaction, coins: coins, height: height)
        let locks = LockTime.sequenceLocks(
            transaction, enforce: true, coinHeights: coins.map { $0.height },
            medianTimePast: { [activeChain] in activeChain[min($0, activeChain.count - 1)].medianTimePast })
        guard LockTime.sequenceLocksSatisfied(locks, height: height, parentMedianTimePast: tip.medianTimePast) else {
            throw .invalid(.nonFinalTransaction)
        }
        let spent = coins.map(\.output)
        do {
            try ScriptVerifier.verifyInputs(of: transaction, spentOutputs: spent, flags: flags, cache: options.signatureCache)
        } catch {
            switch error {
            case let .script(index, scriptError):
                throw .invalid(BlockRuleError("mandatory-script-verify-flag-failed (\(scriptError.rawValue))", "input \(index)"))
            case .spentOutputsMismatch:
                throw .invalid(.missingOrSpentInputs)
            }
        }
        return CandidateTransaction(
            transaction: transaction, fee: fee,
            sigopCost: SignatureOperations.cost(of: transaction, spent: spent, flags: SoftForkState.all.scriptFlags))
    }

    /// Core's `getnetworkhashps`: work done over the last `blocks` blocks divided by their time span.
    public func networkHashesPerSecond(blocks: Int) -> Double {
        let count = min(blocks, tip.height)
        guard count > 0, let start = activeNode(at: tip.height - count) else { return 0 }
        let seconds = Double(Int64(tip.header.time) - Int64(start.header.time))
        guard seconds > 0 else { return 0 }
        return (tip.chainWork.doubleValue - start.chainWork.doubleValue) / seconds
    }
}
