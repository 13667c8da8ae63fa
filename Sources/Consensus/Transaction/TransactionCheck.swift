import ChainTypes

/// Context-free transaction rules (Bitcoin Core's `CheckTransaction`).
public enum TransactionCheck {
    /// The stripped size, scaled to weight, may not exceed the block weight limit.
    static func checkSize(_ transaction: Transaction, maxBlockWeight: Int) throws(TransactionRuleError) {
        if transaction.baseSize * SignatureOperations.witnessScaleFactor > maxBlockWeight { throw .oversize }
    }

    /// Throws the first rule `transaction` breaks. `maxBlockWeight` bounds its stripped size
    /// (Bitcoin: 4,000,000 WU).
    public static func check(_ transaction: Transaction, maxBlockWeight: Int = Block.bitcoinMaxWeight) throws(TransactionRuleError) {
        if transaction.inputs.isEmpty { throw .inputsEmpty }
        if transaction.outputs.isEmpty { throw .outputsEmpty }
        try checkSize(transaction, maxBlockWeight: maxBlockWeight)
        var total = Amount.zero
        for output in transaction.outputs {
            if output.value.satoshis < 0 { throw .negativeOutput }
            if output.value > .maxMoney { throw .outputTooLarge }
            guard let sum = total.adding(output.value) else { throw .outputTotalTooLarge }
            total = sum
        }
        if hasDuplicateInputs(transaction.inputs) { throw .duplicateInputs }
        if transaction.isCoinbase {
            if !(2...100).contains(transaction.inputs[0].scriptSig.count) { throw .coinbaseScriptLength }
        } else if transaction.inputs.contains(where: { $0.previousOutput.isNull }) {
            throw .nullPrevout
        }
    }

    /// Whether two inputs spend the same outpoint: pairwise for the few inputs most transactions
    /// have (no allocation), a set beyond that.
    static func hasDuplicateInputs(_ inputs: [TxIn]) -> Bool {
        if inputs.count <= 8 {
            for first in inputs.indices {
                for second in inputs.indices[(first + 1)...] where inputs[first].previousOutput == inputs[second].previousOutput {
                    return true
                }
            }
            return false
        }
        var seen = Set<OutPoint>(minimumCapacity: inputs.count)
        return inputs.contains { !seen.insert($0.previousOutput).inserted }
    }
}
