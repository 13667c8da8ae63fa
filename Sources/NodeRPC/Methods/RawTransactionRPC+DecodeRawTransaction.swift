import ChainParams
import JSONRPC

extension RawTransactionRPC {
    /// `decoderawtransaction "hexstring" ( iswitness )`: the transaction as Core's `TxToUniv`
    /// without `hex`; RPC_DESERIALIZATION_ERROR "TX decode failed" when it does not decode.
    public static func decodeRawTransaction(chainParams: ChainParams) -> RPCMethod {
        let prefixes = chainParams.addressPrefixes
        return RPCMethod(
            "decoderawtransaction", category: category,
            description: "Return a JSON object representing the serialized, hex-encoded transaction.\n",
            arguments: [
                .required("hexstring", .hex, "The transaction hex string"),
                .optional(
                    "iswitness", .bool, default: "depends on heuristic tests",
                    """
                    Whether the transaction hex is a serialized witness transaction.
                    If iswitness is not present, heuristic tests will be used in decoding.
                    If true, only witness deserialization will be tried.
                    If false, only non-witness deserialization will be tried.
                    This boolean should reflect whether the transaction has inputs
                    (e.g. fully valid, or on-chain transactions), if known by the caller.
                    """),
            ],
            result: """
                {                           (json object)
                  "txid" : "hex",           (string) The transaction id
                  "hash" : "hex",           (string) The transaction hash (differs from txid for witness transactions)
                  "size" : n,               (numeric) The serialized transaction size
                  "vsize" : n,              (numeric) The virtual transaction size (differs from size for witness transactions)
                  "weight" : n,             (numeric) The transaction's weight (between vsize*4-3 and vsize*4)
                  "version" : n,            (numeric) The version
                  "locktime" : xxx,         (numeric) The lock time
                  "vin" : [ ... ],          (json array)
                  "vout" : [ ... ]          (json array)
                }
                """,
            examples: "> rusty-cli decoderawtransaction \"hexstring\"\n"
        ) { arguments throws(RPCError) in
            let hex = try arguments.string(0)
            let mode = RawTransactionDecoder.Mode(isWitness: try arguments.optionalBool(1))
            guard let transaction = RawTransactionDecoder.decode(hex: hex, mode: mode) else {
                throw RPCError(.deserializationError, "TX decode failed")
            }
            return .object(TransactionFormatting.json(transaction, prefixes: prefixes))
        }
    }
}
