import ChainTypes

/// Why a transaction's inputs failed script verification.
public enum InputVerificationError: Error, Equatable, Sendable {
    /// The spent outputs given do not match the inputs one to one.
    case spentOutputsMismatch(inputs: Int, spentOutputs: Int)
    /// Input `index` failed with `error`.
    case script(index: Int, error: ScriptError)
}

extension ScriptVerifier {
    /// Verifies every input of `transaction` against the outputs it spends (in input order),
    /// sharing one `PrecomputedTransactionData`, as Core's `CheckInputScripts`. Signatures found
    /// in `cache` are not verified again. With `storeInCache` (pool acceptance, block proposals)
    /// new valid ones are added; without (connecting blocks) entries found are used up instead,
    /// as Core: a block's signatures will not be checked again.
    public static func verifyInputs(
        of transaction: Transaction, spentOutputs: [TxOut], flags: ScriptVerifyFlags, cache: SignatureCache? = nil,
        storeInCache: Bool = true
    ) throws(InputVerificationError) {
        guard spentOutputs.count == transaction.inputs.count else {
            throw .spentOutputsMismatch(inputs: transaction.inputs.count, spentOutputs: spentOutputs.count)
        }
        let shared = TransactionSignatureChecker.Shared(
            transaction: transaction, precomputed: PrecomputedTransactionData(verifying: transaction, spentOutputs: spentOutputs),
            cache: cache, storesInCache: storeInCache)
        for (index, input) in transaction.inputs.enumerated() {
            let checker = TransactionSignatureChecker(shared: shared, inputIndex: index, amount: spentOutputs[index].value)
            do {
                try verify(scriptSig: input.scriptSig, scriptPubKey: spentOutputs[index].scriptPubKey, witness: input.witness,
                           flags: flags, checker: checker)
            } catch {
                throw .script(index: index, error: error)
            }
        }
    }
}
