import ChainTypes
import Script

/// Signature-operation counting (Bitcoin Core's sigop cost): legacy counts scale by 4, witness
/// sigops count 1 each.
public enum SignatureOperations {
    public static let witnessScaleFactor = 4

    /// `CScript::GetSigOpCount`: CHECKSIG counts 1; CHECKMULTISIG counts 20, or (accurate) the
    /// preceding OP_1…OP_16.
    public static func count(in script: [UInt8], accurate: Bool) -> Int {
        var parser = ScriptParser(script)
        var count = 0
        var lastOpcode = Opcode.invalidOpcode
        while !parser.isAtEnd {
            guard let opcode = parser.nextOpcode() else { break }
            if opcode == Opcode.checkSig || opcode == Opcode.checkSigVerify {
                count += 1
            } else if opcode == Opcode.checkMultiSig || opcode == Opcode.checkMultiSigVerify {
                if accurate && (Opcode.op1...Opcode.op16).contains(lastOpcode) {
                    count += Int(lastOpcode - Opcode.op1) + 1
                } else {
                    count += Interpreter.maxPubkeysPerMultisig
                }
            }
            lastOpcode = opcode
        }
        return count
    }

    /// Legacy sigops of a transaction (scriptSigs and scriptPubKeys, inaccurate counting).
    public static func legacyCount(_ transaction: Transaction) -> Int {
        transaction.inputs.reduce(0) { $0 + count(in: $1.scriptSig, accurate: false) }
            + transaction.outputs.reduce(0) { $0 + count(in: $1.scriptPubKey, accurate: false) }
    }

    /// Sigops of P2SH redeem scripts (accurate counting).
    public static func payToScriptHashCount(_ transaction: Transaction, spent: [TxOut]) -> Int {
        guard !transaction.isCoinbase else { return 0 }
        var total = 0
        for (input, output) in zip(transaction.inputs, spent) where ScriptPattern.isPayToScriptHash(output.scriptPubKey) {
            if let redeemScript = ScriptPattern.lastPush(of: input.scriptSig) { total += count(in: redeemScript, accurate: true) }
        }
        return total
    }

    /// Witness sigops of one input (Core's `CountWitnessSigOps`).
    public static func witnessCount(scriptSig: [UInt8], scriptPubKey: [UInt8], witness: [[UInt8]], flags: ScriptVerifyFlags) -> Int {
        guard flags.contains(.witness) else { return 0 }
        func programCount(_ version: Int, _ length: Int) -> Int {
            guard version == 0 else { return 0 }
            if length == 20 { return 1 }
            if length == 32, let script = witness.last { return count(in: script, accurate: true) }
            return 0
        }
        if let (version, length) = ScriptPattern.witnessProgramShape(scriptPubKey) { return programCount(version, length) }
        if ScriptPattern.isPayToScriptHash(scriptPubKey), let redeemScript = ScriptPattern.lastPush(of: scriptSig),
            let (version, length) = ScriptPattern.witnessProgramShape(redeemScript) {
            return programCount(version, length)
        }
        return 0
    }

    /// Total sigop cost of a transaction given the outputs it spends (Core's `GetTransactionSigOpCost`).
    public static func cost(of transaction: Transaction, spent: [TxOut], flags: ScriptVerifyFlags) -> Int {
        var cost = legacyCount(transaction) * witnessScaleFactor
        guard !transaction.isCoinbase else { return cost }
        if flags.contains(.p2sh) { cost += payToScriptHashCount(transaction, spent: spent) * witnessScaleFactor }
        for (input, output) in zip(transaction.inputs, spent) {
            cost += witnessCount(scriptSig: input.scriptSig, scriptPubKey: output.scriptPubKey, witness: input.witness, flags: flags)
        }
        return cost
    }
}
