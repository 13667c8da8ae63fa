import ChainTypes

/// Bitcoin Core's `Consensus::CheckTxInputs`: coinbase maturity, input value ranges, and the fee.
public enum InputsCheck {
    /// The fee of `transaction` spending `coins` (in input order) in a block at `spendHeight`;
    /// throws Core's reason for an immature coinbase, an out-of-range value or a negative fee.
    public static func fee(
        of transaction: Transaction, spending coins: [Coin], spendHeight: Int, coinbaseMaturity: Int
    ) throws(BlockRuleError) -> Amount {
        var valueIn = Amount.zero
        for coin in coins {
            if coin.isCoinbase && spendHeight - coin.height < coinbaseMaturity { throw .prematureCoinbaseSpend }
            guard coin.output.value.isInMoneyRange, let sum = valueIn.adding(coin.output.value) else { throw .inputValuesOutOfRange }
            valueIn = sum
        }
        guard let valueOut = transaction.totalOutputValue else { throw .transaction(.outputTotalTooLarge) }
        if valueIn < valueOut { throw .inputsBelowOutputs }
        let fee = Amount(satoshis: valueIn.satoshis - valueOut.satoshis)
        guard fee.isInMoneyRange else { throw .feeOutOfRange }
        return fee
    }
}
