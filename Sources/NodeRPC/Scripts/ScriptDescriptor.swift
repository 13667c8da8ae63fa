import Addresses
import ByteCodec
import ChainCrypto
import ChainParams
import Script

/// The output descriptor Bitcoin Core's `InferDescriptor` gives a script when it knows no keys
/// (the `desc` of `decodescript`, `decoderawtransaction` and `getrawtransaction`): `pk(…)`,
/// `multi(…)`, `rawtr(…)`, `wsh(multi(…))` for a known witness script, `addr(…)` for any other
/// script with an address, `raw(…)` for the rest.
///
/// Not inferred: miniscript inside `wsh(…)` (Core prints `wsh(<miniscript>)` when a known
/// witness script is sane miniscript; this prints `addr(…)`), and anything that needs private
/// wallet data (key origins, `tr()` trees, `pkh()`/`wpkh()` of known keys).
public struct ScriptDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// The descriptor without checksum.
    public var text: String

    /// The descriptor with its `#checksum`.
    public var withChecksum: String { DescriptorChecksum.appending(to: text) }

    public var description: String { withChecksum }

    /// Where a script sits, which limits the keys allowed (Core's `ParseScriptContext`).
    enum Context {
        case top, p2wsh
    }

    /// Infers the descriptor of an output script. `knownScripts` are scripts whose hash the
    /// caller knows (witness scripts of P2WSH outputs).
    public static func infer(_ script: [UInt8], prefixes: AddressPrefixes, knownScripts: [[UInt8]] = []) -> ScriptDescriptor {
        ScriptDescriptor(text: infer(script, context: .top, prefixes: prefixes, knownScripts: knownScripts) ?? "")
    }

    private static func infer(_ script: [UInt8], context: Context, prefixes: AddressPrefixes, knownScripts: [[UInt8]]) -> String? {
        let solution = ScriptSolution(script: script)
        switch solution.type {
        case .pubkey:
            if let key = keyExpression(solution.solutions[0], context: context) { return "pk(\(key))" }
        case .multisig:
            let keys = solution.solutions.dropFirst().dropLast().map { keyExpression($0, context: context) }
            if keys.allSatisfy({ $0 != nil }) {
                return "multi(\(solution.solutions[0][0]),\(keys.compactMap { $0 }.joined(separator: ",")))"
            }
        case .witnessV0ScriptHash where context == .top:
            let hash = solution.solutions[0]
            if let witnessScript = knownScripts.first(where: { Hashing.sha256($0).bytes == hash }),
                let inner = infer(witnessScript, context: .p2wsh, prefixes: prefixes, knownScripts: knownScripts)
            {
                return "wsh(\(inner))"
            }
        case .witnessV1Taproot where context == .top:
            if (try? XOnlyPublicKey(bytes: solution.solutions[0])) != nil {
                return "rawtr(\(Hex.encode(solution.solutions[0])))"
            }
        default:
            break
        }
        guard context == .top else { return nil }
        if let address = ScriptFormatting.address(of: solution), address.scriptPubKey == script {
            return "addr(\(address.encoded(prefixes: prefixes)))"
        }
        return "raw(\(Hex.encode(script)))"
    }

    /// Core's `InferPubkey`: the key in hex unless it is hybrid, or uncompressed inside P2WSH.
    private static func keyExpression(_ key: [UInt8], context: Context) -> String? {
        guard let header = key.first, [2, 3, 4].contains(header) else { return nil }
        if context == .p2wsh && header == 4 { return nil }
        return Hex.encode(key)
    }
}
