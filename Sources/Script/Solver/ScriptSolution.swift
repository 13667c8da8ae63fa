/// Recognises the standard output templates as Bitcoin Core's `Solver` (src/script/solver.cpp):
/// the template and the data it carries (a key, a hash, a witness program, multisig keys).
public struct ScriptSolution: Sendable, Hashable {
    /// The template.
    public var type: OutputScriptType
    /// The data of the template, as Core's `vSolutions`: the public key (`pubkey`); the hash
    /// (`pubkeyhash`, `scripthash`, `witness_v0_*`); the program (`witness_v1_taproot`);
    /// `[version], program` (`witness_unknown`); `[m], keys…, [n]` (`multisig`); nothing otherwise.
    public var solutions: [[UInt8]]

    /// Solves `script`.
    public init(script: [UInt8]) {
        (type, solutions) = Self.solve(script)
    }

    private static func solve(_ script: [UInt8]) -> (OutputScriptType, [[UInt8]]) {
        if ScriptPattern.isPayToScriptHash(script) {
            return (.scripthash, [Array(script[2..<22])])
        }
        if let (version, program) = ScriptPattern.witnessProgram(script) {
            switch (version, program.count) {
            case (0, 20): return (.witnessV0KeyHash, [program])
            case (0, 32): return (.witnessV0ScriptHash, [program])
            case (1, 32): return (.witnessV1Taproot, [program])
            case (0, _): return (.nonstandard, [])
            default:
                if ScriptPattern.isPayToAnchor(version: version, program: program) { return (.anchor, []) }
                return (.witnessUnknown, [[UInt8(version)], program])
            }
        }
        if script.first == Opcode.return, ScriptPattern.isPushOnly(script, from: 1) {
            return (.nulldata, [])
        }
        if let key = matchPayToPubkey(script) { return (.pubkey, [key]) }
        if script.count == 25, script[0] == Opcode.dup, script[1] == Opcode.hash160, script[2] == 20,
            script[23] == Opcode.equalVerify, script[24] == Opcode.checkSig
        {
            return (.pubkeyhash, [Array(script[3..<23])])
        }
        if let (required, keys) = matchMultisig(script) {
            return (.multisig, [[UInt8(required)]] + keys + [[UInt8(keys.count)]])
        }
        return (.nonstandard, [])
    }

    /// The length a SEC public key starting with `header` has (Core's `CPubKey::GetLen`), 0 for
    /// an invalid header.
    static func publicKeyLength(header: UInt8) -> Int {
        switch header {
        case 2, 3: 33
        case 4, 6, 7: 65
        default: 0
        }
    }

    /// Core's `CPubKey::ValidSize`: the length matches the header byte.
    static func hasValidPublicKeySize(_ bytes: some Collection<UInt8>) -> Bool {
        guard let header = bytes.first else { return false }
        return publicKeyLength(header: header) == bytes.count
    }

    private static func matchPayToPubkey(_ script: [UInt8]) -> [UInt8]? {
        for size in [65, 33] where script.count == size + 2 && Int(script[0]) == size && script.last == Opcode.checkSig {
            let key = Array(script[1...size])
            return hasValidPublicKeySize(key) ? key : nil
        }
        return nil
    }

    private static func matchMultisig(_ script: [UInt8]) -> (Int, [[UInt8]])? {
        guard script.last == Opcode.checkMultiSig else { return nil }
        var parser = ScriptParser(script)
        guard let first = parser.next(), let required = multisigCount(first, in: 1...Interpreter.maxPubkeysPerMultisig) else { return nil }
        var keys: [[UInt8]] = []
        var instruction = parser.next()
        while let current = instruction, hasValidPublicKeySize(current.data) {
            keys.append(Array(current.data))
            instruction = parser.next()
        }
        guard let last = instruction, let count = multisigCount(last, in: required...Interpreter.maxPubkeysPerMultisig),
            keys.count == count, parser.position + 1 == script.count
        else { return nil }
        return (required, keys)
    }

    /// Core's `GetScriptNumber`: `OP_1`…`OP_16`, or a minimal push of a number, within `range`.
    private static func multisigCount(_ instruction: ScriptInstruction, in range: ClosedRange<Int>) -> Int? {
        let opcode = instruction.opcode
        let count: Int
        if (Opcode.op1...Opcode.op16).contains(opcode) {
            count = Int(opcode - Opcode.op1 + 1)
        } else if opcode > Opcode.op0 && opcode <= Opcode.pushData4 {
            let data = Array(instruction.data)
            guard Interpreter.isMinimalPush(instruction.data, opcode: opcode),
                let number = try? ScriptNumber(data, requireMinimal: true)
            else { return nil }
            count = Int(number.value)
        } else {
            return nil
        }
        return range.contains(count) ? count : nil
    }
}
