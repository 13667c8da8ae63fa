import Addresses
import ByteCodec
import ChainParams
import ChainTypes
import JSONRPC
import Script

extension RawTransactionRPC {
    /// Core's `MAX_BIP125_RBF_SEQUENCE`: inputs with a lower sequence signal replaceability.
    public static let maxReplaceableSequence: UInt32 = 0xffff_fffd

    /// `createrawtransaction [inputs] [outputs] ( locktime replaceable version )`: an unsigned
    /// transaction, hex-encoded, with Core's checks, messages and default sequences
    /// (`0xfffffffd` when replaceable, the default; else `0xfffffffe` with a locktime, else final).
    public static func createRawTransaction(chainParams: ChainParams) -> RPCMethod {
        let prefixes = chainParams.addressPrefixes
        return RPCMethod(
            "createrawtransaction", category: category,
            description: """
                Create a transaction spending the given inputs and creating new outputs.
                Outputs can be addresses or data.
                Returns hex-encoded raw transaction.
                Note that the transaction's inputs are not signed, and
                it is not stored in the wallet or transmitted to the network.

                """,
            arguments: [
                .required("inputs", .array, "The inputs: [{\"txid\":\"hex\",\"vout\":n,\"sequence\":n},...]"),
                .required(
                    "outputs", .any,
                    "The outputs specified as key-value pairs: [{\"address\":amount,...},{\"data\":\"hex\"},...]"),
                .optional("locktime", .number, default: "0", "Raw locktime. Non-0 value also locktime-activates inputs"),
                .optional(
                    "replaceable", .bool, default: "true",
                    "Marks this transaction as BIP125-replaceable.\nAllows this transaction to be replaced by a transaction with higher fees. If provided, it is an error if explicit sequence numbers are incompatible."),
                .optional("version", .number, default: "2", "Transaction version"),
            ],
            result: "\"hex\"    (string) hex string of the transaction\n",
            examples: """
                > rusty-cli createrawtransaction "[{\\"txid\\":\\"myid\\",\\"vout\\":0}]" "[{\\"address\\":0.01}]"
                > rusty-cli createrawtransaction "[{\\"txid\\":\\"myid\\",\\"vout\\":0}]" "[{\\"data\\":\\"00010203\\"}]"

                """
        ) { arguments throws(RPCError) in
            let transaction = try constructTransaction(
                inputs: arguments[0], outputs: arguments[1], lockTime: arguments[2],
                replaceable: try arguments.optionalBool(3), version: arguments[4], prefixes: prefixes)
            return .string(Hex.encode(transaction.serialized))
        }
    }

    /// Core's `ConstructTransaction` (src/rpc/rawtransaction_util.cpp).
    public static func constructTransaction(
        inputs: JSONValue, outputs: JSONValue, lockTime: JSONValue, replaceable: Bool?, version: JSONValue = .null,
        prefixes: AddressPrefixes
    ) throws(RPCError) -> Transaction {
        var lockTimeValue: UInt32 = 0
        if !lockTime.isNull {
            let value = try ParameterParsing.integer(lockTime)
            guard let fitting = UInt32(exactly: value) else {
                throw RPCError.invalidParameter("Invalid parameter, locktime out of range")
            }
            lockTimeValue = fitting
        }
        var versionValue: UInt32 = 2
        if !version.isNull {
            let value = try ParameterParsing.integer(version)
            guard (1...3).contains(value) else {
                throw RPCError.invalidParameter("Invalid parameter, version out of range(1~3)")
            }
            versionValue = UInt32(value)
        }
        let txIns = try parseInputs(inputs, lockTime: lockTimeValue, replaceable: replaceable)
        let txOuts = try parseOutputs(outputs, prefixes: prefixes)
        if replaceable == true, !txIns.isEmpty, !txIns.contains(where: { $0.sequence <= maxReplaceableSequence }) {
            throw RPCError.invalidParameter("Invalid parameter combination: Sequence number(s) contradict replaceable option")
        }
        return Transaction(version: versionValue, inputs: txIns, outputs: txOuts, lockTime: lockTimeValue)
    }

    private static func parseInputs(_ value: JSONValue, lockTime: UInt32, replaceable: Bool?) throws(RPCError) -> [TxIn] {
        let inputs = value.isNull ? [] : try ParameterParsing.array(value)
        var result: [TxIn] = []
        for input in inputs {
            let object = try ParameterParsing.object(input)
            let txid = try ParameterParsing.hash(object["txid"] ?? .null, name: "txid")
            guard let voutValue = object["vout"], voutValue.isNumber else {
                throw RPCError.invalidParameter("Invalid parameter, missing vout key")
            }
            let vout = try ParameterParsing.integer(voutValue)
            guard vout >= 0 else { throw RPCError.invalidParameter("Invalid parameter, vout cannot be negative") }
            guard let index = UInt32(exactly: vout), vout <= Int64(Int32.max) else {
                throw RPCError(.miscError, "JSON integer out of range")
            }
            var sequence: UInt32
            if replaceable ?? true {
                sequence = maxReplaceableSequence
            } else if lockTime != 0 {
                sequence = TxIn.finalSequence - 1
            } else {
                sequence = TxIn.finalSequence
            }
            if let sequenceValue = object["sequence"], sequenceValue.isNumber {
                let number = try ParameterParsing.integer(sequenceValue)
                guard let fitting = UInt32(exactly: number) else {
                    throw RPCError.invalidParameter("Invalid parameter, sequence number is out of range")
                }
                sequence = fitting
            }
            result.append(TxIn(previousOutput: OutPoint(txid: txid, index: index), sequence: sequence))
        }
        return result
    }

    /// Core's `NormalizeOutputs`, `ParseOutputs` and `AddOutputs`.
    private static func parseOutputs(_ value: JSONValue, prefixes: AddressPrefixes) throws(RPCError) -> [TxOut] {
        if value.isNull { throw RPCError.invalidParameter("Invalid parameter, output argument must be non-null") }
        var pairs = JSONObject()
        if let object = value.objectValue {
            pairs = object
        } else {
            for element in try ParameterParsing.array(value) {
                guard let object = element.objectValue else {
                    throw RPCError.invalidParameter("Invalid parameter, key-value pair not an object as expected")
                }
                guard object.count == 1 else {
                    throw RPCError.invalidParameter("Invalid parameter, key-value pair must contain exactly one key")
                }
                for member in object { pairs.append(member.key, member.value) }
            }
        }
        var outputs: [TxOut] = []
        var seen: Set<Address> = []
        var hasData = false
        for member in pairs {
            if member.key == "data" {
                if hasData { throw RPCError.invalidParameter("Invalid parameter, duplicate key: data") }
                hasData = true
                let data = try ParameterParsing.hexBytes(pairs["data"] ?? .null, name: "Data")
                var builder = ScriptBuilder()
                builder.add(opcode: Opcode.return)
                builder.add(data: data)
                outputs.append(TxOut(value: .zero, scriptPubKey: builder.bytes))
            } else {
                let amount = try ParameterParsing.amount(pairs[member.key] ?? .null)
                guard let address = Address(member.key, prefixes: prefixes) else {
                    throw RPCError(.invalidAddressOrKey, "Invalid Rusty Coin address: " + member.key)
                }
                guard seen.insert(address).inserted else {
                    throw RPCError.invalidParameter("Invalid parameter, duplicated address: " + member.key)
                }
                outputs.append(TxOut(value: amount, scriptPubKey: address.scriptPubKey))
            }
        }
        return outputs
    }
}
