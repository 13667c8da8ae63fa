import Addresses
import ByteCodec
import ChainParams
import JSONRPC
import Script

/// Scripts as Bitcoin Core shows them in RPC results: assembly text (`ScriptToAsmStr`) and the
/// scriptPubKey object (`ScriptToUniv`).
public enum ScriptFormatting {
    /// Sighash types with names, as Core's `mapSigHashTypes`.
    static let sighashNames: [UInt8: String] = [
        0x01: "ALL", 0x81: "ALL|ANYONECANPAY", 0x02: "NONE", 0x82: "NONE|ANYONECANPAY",
        0x03: "SINGLE", 0x83: "SINGLE|ANYONECANPAY",
    ]

    /// The assembly text of `script`: pushes of up to four bytes as decimal numbers, longer ones
    /// as hex, other opcodes by Core's names (`OP_DUP`, `1`…`16`, `-1`), `[error]` where parsing
    /// stops. With `decodingSighash` (for scriptSigs), a push that is a strictly encoded
    /// signature shows its hash type as a suffix (`…[ALL]`, `…[NONE|ANYONECANPAY]`), except in
    /// unspendable scripts.
    public static func assembly(_ script: [UInt8], decodingSighash: Bool = false) -> String {
        var text = ""
        var parser = ScriptParser(script)
        let decodes = decodingSighash && !ScriptPattern.isUnspendable(script)
        while !parser.isAtEnd {
            if !text.isEmpty { text += " " }
            guard let instruction = parser.next() else {
                text += "[error]"
                return text
            }
            guard instruction.opcode <= Opcode.pushData4 else {
                text += Opcode.name(instruction.opcode)
                continue
            }
            var data = Array(instruction.data)
            if data.count <= 4 {
                text += String((try? ScriptNumber(data, requireMinimal: false))?.value ?? 0)
                continue
            }
            var suffix = ""
            if decodes, (try? SignatureEncoding.checkSignature(data, flags: .strictEncoding)) != nil,
                let hashType = data.last, let name = sighashNames[hashType]
            {
                suffix = "[" + name + "]"
                data.removeLast()
            }
            text += Hex.encode(data) + suffix
        }
        return text
    }

    /// The scriptPubKey object as Core's `ScriptToUniv`: `asm`, `desc` (with `includeAddress`),
    /// `hex` (with `includeHex`), `address` (with `includeAddress`, when the script has one),
    /// `type`. `knownScripts` plays the signing provider's part for descriptor inference.
    public static func scriptPubKeyJSON(
        _ script: [UInt8], prefixes: AddressPrefixes, includeHex: Bool = true, includeAddress: Bool = true,
        knownScripts: [[UInt8]] = []
    ) -> JSONObject {
        let solution = ScriptSolution(script: script)
        var object = JSONObject()
        object.append("asm", .string(assembly(script)))
        if includeAddress {
            let descriptor = ScriptDescriptor.infer(script, prefixes: prefixes, knownScripts: knownScripts)
            object.append("desc", .string(descriptor.withChecksum))
        }
        if includeHex { object.append("hex", .string(Hex.encode(script))) }
        if includeAddress, let address = address(of: solution) {
            object.append("address", .string(address.encoded(prefixes: prefixes)))
        }
        object.append("type", .string(solution.type.name))
        return object
    }

    /// The destination of a solved script, as Core's `ExtractDestination` when it returns true
    /// (bare keys, multisig, data and nonstandard scripts have none).
    public static func address(of solution: ScriptSolution) -> Address? {
        switch solution.type {
        case .pubkeyhash: .payToPubkeyHash(solution.solutions[0])
        case .scripthash: .payToScriptHash(solution.solutions[0])
        case .witnessV0KeyHash, .witnessV0ScriptHash: .witness(version: 0, program: solution.solutions[0])
        case .witnessV1Taproot: .witness(version: 1, program: solution.solutions[0])
        case .anchor: .witness(version: 1, program: [0x4e, 0x73])
        case .witnessUnknown: .witness(version: Int(solution.solutions[0][0]), program: solution.solutions[1])
        case .nonstandard, .pubkey, .multisig, .nulldata: nil
        }
    }

    // MARK: Script predicates (Core's CScript members)

    /// `HasValidOps`: every instruction parses, is a defined opcode (up to `OP_CHECKSIGADD`) and
    /// pushes at most 520 bytes.
    public static func hasValidOps(_ script: [UInt8]) -> Bool {
        var parser = ScriptParser(script)
        while !parser.isAtEnd {
            guard let instruction = parser.next(), instruction.opcode <= Opcode.checkSigAdd,
                instruction.data.count <= Interpreter.maxElementSize
            else { return false }
        }
        return true
    }}
