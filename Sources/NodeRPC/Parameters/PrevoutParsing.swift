import Addresses
import ChainCrypto
import ChainTypes
import JSONRPC
import Script

/// Reads the `prevtxs` argument of `signrawtransactionwithkey` as Core's `ParsePrevouts`
/// (src/rpc/rawtransaction_util.cpp): coins to sign for, and the redeem and witness scripts of
/// P2SH and P2WSH outputs.
public enum PrevoutParsing {
    /// Adds the coins of `value` (an array or null) to `coins` and their scripts to `provider`.
    public static func parse(_ value: JSONValue, into coins: inout [OutPoint: TxOut], provider: inout SigningProvider)
        throws(RPCError)
    {
        guard !value.isNull else { return }
        for element in try ParameterParsing.array(value) {
            guard let object = element.objectValue else {
                throw RPCError(.deserializationError, "expected object with {\"txid'\",\"vout\",\"scriptPubKey\"}")
            }
            try checkTypes(object, [("scriptPubKey", "string"), ("txid", "string"), ("vout", "number")], allowNull: false)
            let txid = try ParameterParsing.hash(object["txid"] ?? .null, name: "txid")
            let vout = try ParameterParsing.integer(object["vout"] ?? .null)
            guard vout >= 0 else { throw RPCError(.deserializationError, "vout cannot be negative") }
            guard vout <= Int64(Int32.max) else { throw RPCError(.miscError, "JSON integer out of range") }
            let outpoint = OutPoint(txid: txid, index: UInt32(vout))
            let scriptPubKey = try ParameterParsing.hexBytes(object["scriptPubKey"] ?? .null, name: "scriptPubKey")
            if let known = coins[outpoint], known.scriptPubKey != scriptPubKey {
                throw RPCError(
                    .deserializationError,
                    "Previous output scriptPubKey mismatch:\n" + ScriptFormatting.assembly(known.scriptPubKey) + "\nvs:\n"
                        + ScriptFormatting.assembly(scriptPubKey))
            }
            var amount = RawTransactionSigner.unknownAmount
            if let amountValue = object["amount"] { amount = try ParameterParsing.amount(amountValue) }
            coins[outpoint] = TxOut(value: amount, scriptPubKey: scriptPubKey)
            try addScripts(object, scriptPubKey: scriptPubKey, provider: &provider)
        }
    }

    private static func addScripts(_ object: JSONObject, scriptPubKey: [UInt8], provider: inout SigningProvider) throws(RPCError) {
        let isP2SH = ScriptPattern.isPayToScriptHash(scriptPubKey)
        let isP2WSH = ScriptSolution(script: scriptPubKey).type == .witnessV0ScriptHash
        guard isP2SH || isP2WSH else { return }
        try checkTypes(object, [("redeemScript", "string"), ("witnessScript", "string")], allowNull: true)
        let redeem = object["redeemScript"] ?? .null
        let witness = object["witnessScript"] ?? .null
        if redeem.isNull && witness.isNull {
            throw RPCError.invalidParameter("Missing redeemScript/witnessScript")
        }
        let script = witness.isNull
            ? try ParameterParsing.hexBytes(redeem, name: "redeemScript")
            : try ParameterParsing.hexBytes(witness, name: "witnessScript")
        provider.add(script: script)
        let witnessOutput = Address.witness(version: 0, program: Hashing.sha256(script).bytes).scriptPubKey
        provider.add(script: witnessOutput)
        if !witness.isNull, !redeem.isNull, witness.stringValue != redeem.stringValue {
            let redeemScript = try ParameterParsing.hexBytes(redeem, name: "redeemScript")
            if redeemScript != witnessOutput {
                throw RPCError.invalidParameter("redeemScript does not correspond to witnessScript")
            }
        }
        let matches: Bool
        if isP2SH {
            matches = scriptPubKey == Address.payToScriptHash(Hashing.hash160(script)).scriptPubKey
                || scriptPubKey == Address.payToScriptHash(Hashing.hash160(witnessOutput)).scriptPubKey
        } else {
            matches = scriptPubKey == witnessOutput
        }
        if !matches { throw RPCError.invalidParameter("redeemScript/witnessScript does not match scriptPubKey") }
    }

    /// Core's `RPCTypeCheckObj` for the listed keys, in Core's (alphabetical) order.
    private static func checkTypes(_ object: JSONObject, _ expected: [(String, String)], allowNull: Bool) throws(RPCError) {
        for (key, type) in expected {
            let value = object[key] ?? .null
            if !allowNull && value.isNull { throw RPCError(.typeError, "Missing \(key)") }
            if value.typeName != type && !(allowNull && value.isNull) {
                throw RPCError(.typeError, "JSON value of type \(value.typeName) for field \(key) is not of expected type \(type)")
            }
        }
    }
}
