import Addresses
import ByteCodec
import ChainCrypto
import ChainParams
import ChainTypes
import JSONRPC
import Script

extension RawTransactionRPC {
    /// `signrawtransactionwithkey "hexstring" ["privatekey",...] ( [{"txid":…,"vout":…,"scriptPubKey":…,…},...] "sighashtype" )`:
    /// signs with the given WIF keys only, returning `{hex, complete, errors?}` as Core. Coins
    /// come from `coinLookup` (the node's UTXO set and mempool) and from `prevtxs`, which
    /// overrides them (with Core's mismatch check) and supplies redeem and witness scripts.
    public static func signRawTransactionWithKey(chainParams: ChainParams, coinLookup: CoinLookup?) -> RPCMethod {
        let prefixes = chainParams.addressPrefixes
        return RPCMethod(
            "signrawtransactionwithkey", category: category,
            description: """
                Sign inputs for raw transaction (serialized, hex-encoded).
                The second argument is an array of base58-encoded private
                keys that will be the only keys used to sign the transaction.
                The third optional argument (may be null) is an array of previous transaction outputs that
                this transaction depends on but may not yet be in the block chain.

                """,
            arguments: [
                .required("hexstring", .hex, "The transaction hex string"),
                .required("privkeys", .array, "The base58-encoded private keys for signing"),
                .optional(
                    "prevtxs", .array,
                    "The previous dependent transaction outputs: [{\"txid\":\"hex\",\"vout\":n,\"scriptPubKey\":\"hex\",\"redeemScript\":\"hex\",\"witnessScript\":\"hex\",\"amount\":amount},...]"),
                .optional(
                    "sighashtype", .string, default: "DEFAULT",
                    "The signature hash type. Must be one of:\n\"DEFAULT\"\n\"ALL\"\n\"NONE\"\n\"SINGLE\"\n\"ALL|ANYONECANPAY\"\n\"NONE|ANYONECANPAY\"\n\"SINGLE|ANYONECANPAY\""),
            ],
            result: """
                {                             (json object)
                  "hex" : "hex",              (string) The hex-encoded raw transaction with signature(s)
                  "complete" : true|false,    (boolean) If the transaction has a complete set of signatures
                  "errors" : [                (json array, optional) Script verification errors (if there are any)
                    {                         (json object)
                      "txid" : "hex",         (string) The hash of the referenced, previous transaction
                      "vout" : n,             (numeric) The index of the output to spent and used as input
                      "witness" : [ "hex" ],  (json array)
                      "scriptSig" : "hex",    (string) The hex-encoded signature script
                      "sequence" : n,         (numeric) Script sequence number
                      "error" : "str"         (string) Verification or signing error related to the input
                    }
                  ]
                }
                """,
            examples: "> rusty-cli signrawtransactionwithkey \"myhex\" \"[\\\"key1\\\",\\\"key2\\\"]\"\n"
        ) { arguments throws(RPCError) in
            guard let transaction = RawTransactionDecoder.decode(hex: try arguments.string(0)) else {
                throw RPCError(.deserializationError, "TX decode failed. Make sure the tx has at least one input.")
            }
            var provider = SigningProvider()
            for value in try arguments.array(1) {
                guard let wif = WIF(try ParameterParsing.string(value), prefixes: prefixes) else {
                    throw RPCError(.invalidAddressOrKey, "Invalid private key")
                }
                provider.add(wif.key, compressed: wif.compressed)
            }
            var coins: [OutPoint: TxOut] = [:]
            if let coinLookup {
                for input in transaction.inputs where coins[input.previousOutput] == nil {
                    if let coin = await coinLookup(input.previousOutput) { coins[input.previousOutput] = coin }
                }
            }
            try PrevoutParsing.parse(arguments[2], into: &coins, provider: &provider)
            let hashType = try arguments.optionalString(3).map { name throws(RPCError) in try SighashName.parse(name) }
            let result = RawTransactionSigner(provider: provider, hashType: hashType ?? SighashType.default)
                .sign(transaction, coins: coins)
            return .object(try signingResultJSON(result, coins: coins))
        }
    }

    /// Core's `SignTransactionResultToJSON`: `hex`, `complete`, and `errors` when there are any.
    /// A segwit input whose amount was not given makes the call fail with RPC_TYPE_ERROR.
    static func signingResultJSON(_ result: RawTransactionSigner.Result, coins: [OutPoint: TxOut]) throws(RPCError) -> JSONObject {
        let transaction = result.transaction
        var errors: [JSONValue] = []
        for error in result.errors {
            let input = transaction.inputs[error.index]
            if error.message == RawTransactionSigner.missingAmountMessage {
                let coin = coins[input.previousOutput] ?? TxOut(value: .zero, scriptPubKey: [])
                let script = String(Hex.encode(coin.scriptPubKey).prefix(30))
                throw RPCError(.typeError, "Missing amount for CTxOut(nValue=\(coin.value), scriptPubKey=\(script))")
            }
            errors.append([
                "txid": .string(input.previousOutput.txid.description),
                "vout": .int(Int64(input.previousOutput.index)),
                "witness": .array(input.witness.map { .string(Hex.encode($0)) }),
                "scriptSig": .string(Hex.encode(input.scriptSig)),
                "sequence": .int(Int64(input.sequence)),
                "error": .string(error.message),
            ])
        }
        var object = JSONObject()
        object.append("hex", .string(Hex.encode(transaction.serialized)))
        object.append("complete", .bool(result.isComplete))
        if !errors.isEmpty { object.append("errors", .array(errors)) }
        return object
    }
}
