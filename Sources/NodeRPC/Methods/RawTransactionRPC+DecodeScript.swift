import Addresses
import ChainCrypto
import ChainParams
import JSONRPC
import Script

extension RawTransactionRPC {
    /// `decodescript "hexstring"`: the script's `asm`, `desc`, `address`, `type`, and for
    /// scripts that may be wrapped, the `p2sh` address and the `segwit` object (P2WPKH for
    /// single-key templates, P2WSH otherwise), as Core.
    public static func decodeScript(chainParams: ChainParams) -> RPCMethod {
        let prefixes = chainParams.addressPrefixes
        return RPCMethod(
            "decodescript", category: category,
            description: "Decode a hex-encoded script.\n",
            arguments: [.required("hexstring", .hex, "the hex-encoded script")],
            result: """
                {                         (json object)
                  "asm" : "str",          (string) Disassembly of the script
                  "desc" : "str",         (string) Inferred descriptor for the script
                  "address" : "str",      (string, optional) The address (only if a well-defined address exists)
                  "type" : "str",         (string) The output type
                  "p2sh" : "str",         (string, optional) address of P2SH script wrapping this redeem script
                  "segwit" : {            (json object, optional) Result of a witness output script wrapping this redeem script
                    "asm" : "str",        (string) Disassembly of the output script
                    "desc" : "str",       (string) Inferred descriptor for the script
                    "hex" : "hex",        (string) The raw output script bytes, hex-encoded
                    "address" : "str",    (string, optional) The address (only if a well-defined address exists)
                    "type" : "str",       (string) The type of the output script
                    "p2sh-segwit" : "str" (string) address of the P2SH script wrapping this witness redeem script
                  }
                }
                """,
            examples: "> rusty-cli decodescript \"hexstring\"\n"
        ) { arguments throws(RPCError) in
            let text = try arguments.string(0)
            let script = text.isEmpty ? [] : try ParameterParsing.hexBytes(arguments[0], name: "argument")
            return .object(decodeScript(script, prefixes: prefixes))
        }
    }

    /// The `decodescript` result for `script`.
    public static func decodeScript(_ script: [UInt8], prefixes: AddressPrefixes) -> JSONObject {
        var result = ScriptFormatting.scriptPubKeyJSON(script, prefixes: prefixes, includeHex: false)
        let solution = ScriptSolution(script: script)
        guard canWrap(script, solution: solution) else { return result }
        result.append("p2sh", .string(Address.payToScriptHash(Hashing.hash160(script)).encoded(prefixes: prefixes)))
        guard canWrapInWitness(solution) else { return result }
        let witnessOutput: [UInt8]
        var knownScripts: [[UInt8]] = []
        switch solution.type {
        case .pubkey:
            witnessOutput = Address.witness(version: 0, program: Hashing.hash160(solution.solutions[0])).scriptPubKey
        case .pubkeyhash:
            witnessOutput = Address.witness(version: 0, program: solution.solutions[0]).scriptPubKey
        default:
            knownScripts = [script]
            witnessOutput = Address.witness(version: 0, program: Hashing.sha256(script).bytes).scriptPubKey
        }
        var segwit = ScriptFormatting.scriptPubKeyJSON(witnessOutput, prefixes: prefixes, knownScripts: knownScripts)
        segwit.append(
            "p2sh-segwit", .string(Address.payToScriptHash(Hashing.hash160(witnessOutput)).encoded(prefixes: prefixes)))
        result.append("segwit", .object(segwit))
        return result
    }

    /// Whether Core offers a P2SH wrapping: not for data, script hashes and witness programs
    /// other than v0, nor for scripts with invalid opcodes, `OP_CHECKSIGADD` or `OP_SUCCESS`x.
    private static func canWrap(_ script: [UInt8], solution: ScriptSolution) -> Bool {
        switch solution.type {
        case .nulldata, .scripthash, .witnessUnknown, .witnessV1Taproot, .anchor: return false
        case .multisig, .nonstandard, .pubkey, .pubkeyhash, .witnessV0KeyHash, .witnessV0ScriptHash: break
        }
        guard ScriptFormatting.hasValidOps(script), !ScriptPattern.isUnspendable(script) else { return false }
        var parser = ScriptParser(script)
        while let instruction = parser.next() {
            if instruction.opcode == Opcode.checkSigAdd || Opcode.isSuccess(instruction.opcode) { return false }
        }
        return true
    }

    /// Whether Core also offers a segwit v0 wrapping: not for witness programs, nor for keys
    /// that are not compressed.
    private static func canWrapInWitness(_ solution: ScriptSolution) -> Bool {
        switch solution.type {
        case .multisig, .pubkey:
            return solution.solutions.allSatisfy { $0.count == 1 || ($0.count == 33 && ($0[0] == 2 || $0[0] == 3)) }
        case .nonstandard, .pubkeyhash:
            return true
        default:
            return false
        }
    }
}
