import ByteCodec
import ChainParams
import ChainState
import ChainTypes
import JSONRPC

/// Transactions as Bitcoin Core shows them in RPC results (`TxToUniv` in src/core_write.cpp,
/// and `getrawtransaction`'s verbose additions).
public enum TransactionFormatting {
    /// A coin an input spends, as undo data knows it (for `fee` and `prevout`).
    public typealias SpentCoin = Coin

    /// Where a confirmed transaction sits, for `getrawtransaction`'s verbose fields.
    public struct ChainPosition: Sendable, Hashable {
        /// The block containing the transaction.
        public var blockHash: BlockHash
        /// `1 + tip height − block height`; 0 when the block is not in the active chain.
        public var confirmations: Int
        /// The block's time, or nil when the block is not in the active chain (Core then
        /// shows `confirmations: 0` and no times).
        public var blockTime: Int64?

        /// A block in the active chain.
        public init(blockHash: BlockHash, confirmations: Int, blockTime: Int64) {
            self.blockHash = blockHash
            self.confirmations = confirmations
            self.blockTime = blockTime
        }

        /// A block outside the active chain.
        public init(staleBlock blockHash: BlockHash) {
            self.blockHash = blockHash
            confirmations = 0
            blockTime = nil
        }
    }

    /// Core's `TxToUniv`: `txid`, `hash`, `version`, `size`, `vsize`, `weight`, `locktime`,
    /// `vin`, `vout`, then `fee` (when `spentCoins` has one coin per input of a non-coinbase
    /// transaction), `blockhash` (when given) and `hex` (with `includeHex`). With
    /// `showPrevouts`, each input also shows the coin it spends (`getblock` verbosity 3).
    public static func json(
        _ transaction: Transaction, prefixes: AddressPrefixes, includeHex: Bool = false, blockHash: BlockHash? = nil,
        spentCoins: [SpentCoin]? = nil, showPrevouts: Bool = false
    ) -> JSONObject {
        let coins = spentCoins.flatMap { $0.count == transaction.inputs.count && !transaction.isCoinbase ? $0 : nil }
        var entry = JSONObject()
        entry.append("txid", .string(transaction.txid.description))
        entry.append("hash", .string(transaction.wtxid.description))
        entry.append("version", .int(Int64(transaction.version)))
        entry.append("size", .int(Int64(transaction.totalSize)))
        entry.append("vsize", .int(Int64(transaction.virtualSize)))
        entry.append("weight", .int(Int64(transaction.weight)))
        entry.append("locktime", .int(Int64(transaction.lockTime)))
        var inputs: [JSONValue] = []
        for (index, input) in transaction.inputs.enumerated() {
            let coin = coins?[index]
            inputs.append(.object(inputJSON(input, coinbase: transaction.isCoinbase, coin: showPrevouts ? coin : nil, prefixes: prefixes)))
        }
        entry.append("vin", .array(inputs))
        let outputs = transaction.outputs.enumerated().map { index, output in
            JSONValue.object([
                "value": .amount(output.value.satoshis),
                "n": .int(Int64(index)),
                "scriptPubKey": .object(ScriptFormatting.scriptPubKeyJSON(output.scriptPubKey, prefixes: prefixes)),
            ])
        }
        entry.append("vout", .array(outputs))
        if let coins, let fee = fee(of: transaction, spending: coins.map(\.output)) {
            entry.append("fee", .amount(fee.satoshis))
        }
        if let blockHash { entry.append("blockhash", .string(blockHash.description)) }
        if includeHex { entry.append("hex", .string(Hex.encode(transaction.serialized))) }
        return entry
    }

    /// `getrawtransaction`'s verbose object (Core's `TxToJSON`): ``json(_:prefixes:includeHex:blockHash:spentCoins:showPrevouts:)``
    /// with `hex`, then `blockhash`, `confirmations`, `time` and `blocktime` from `position`.
    /// `inActiveChain` (given when the caller named the block) comes first, as in Core.
    public static func verboseJSON(
        _ transaction: Transaction, prefixes: AddressPrefixes, position: ChainPosition?, inActiveChain: Bool? = nil,
        spentCoins: [SpentCoin]? = nil, showPrevouts: Bool = false
    ) -> JSONObject {
        var entry = JSONObject()
        if let inActiveChain { entry.append("in_active_chain", .bool(inActiveChain)) }
        for member in json(transaction, prefixes: prefixes, includeHex: true, spentCoins: spentCoins, showPrevouts: showPrevouts) {
            entry.append(member.key, member.value)
        }
        if let position {
            entry.append("blockhash", .string(position.blockHash.description))
            entry.append("confirmations", .int(Int64(position.confirmations)))
            if let blockTime = position.blockTime {
                entry.append("time", .int(blockTime))
                entry.append("blocktime", .int(blockTime))
            }
        }
        return entry
    }

    /// Inputs minus outputs, or nil when a value leaves the money range or the fee is negative.
    public static func fee(of transaction: Transaction, spending spentOutputs: [TxOut]) -> Amount? {
        var total = Amount.zero
        for output in spentOutputs {
            guard output.value.isInMoneyRange, let sum = total.adding(output.value) else { return nil }
            total = sum
        }
        guard let out = transaction.totalOutputValue else { return nil }
        let fee = Amount(satoshis: total.satoshis - out.satoshis)
        return fee.isInMoneyRange ? fee : nil
    }

    private static func inputJSON(_ input: TxIn, coinbase: Bool, coin: SpentCoin?, prefixes: AddressPrefixes) -> JSONObject {
        var object = JSONObject()
        if coinbase {
            object.append("coinbase", .string(Hex.encode(input.scriptSig)))
        } else {
            object.append("txid", .string(input.previousOutput.txid.description))
            object.append("vout", .int(Int64(input.previousOutput.index)))
            object.append("scriptSig", [
                "asm": .string(ScriptFormatting.assembly(input.scriptSig, decodingSighash: true)),
                "hex": .string(Hex.encode(input.scriptSig)),
            ])
        }
        if !input.witness.isEmpty {
            object.append("txinwitness", .array(input.witness.map { .string(Hex.encode($0)) }))
        }
        if let coin {
            object.append("prevout", [
                "generated": .bool(coin.isCoinbase),
                "height": .int(Int64(coin.height)),
                "value": .amount(coin.output.value.satoshis),
                "scriptPubKey": .object(ScriptFormatting.scriptPubKeyJSON(coin.output.scriptPubKey, prefixes: prefixes)),
            ])
        }
        object.append("sequence", .int(Int64(input.sequence)))
        return object
    }
}
