import ChainCrypto
import ChainTypes
import Testing
@testable import Script

/// `ScriptVerifier.verify` takes shortcuts for native witness spends (no interpreter run over
/// the program) and P2WPKH (no interpreter run over `DUP HASH160 … CHECKSIG`). Every spend below,
/// valid or broken in one way, under several flag sets, must end exactly as the interpreter
/// path ends: the same success or the same error.
@Suite struct WitnessShortcutTests {
    static let flagSets: [ScriptVerifyFlags] = [
        [.p2sh, .witness], .consensus, .standard, [.witness, .nullFail], [.witness, .derSignatures, .strictEncoding],
        [.witness, .lowS], [.witness, .witnessPubkeyType, .cleanStack], [.witness, .discourageUpgradableWitnessProgram],
        [.witness, .taproot, .discourageUpgradableWitnessProgram],
    ]

    struct Spend {
        let name: String
        let scriptPubKey: [UInt8]
        let witness: [[UInt8]]
    }

    /// One signed P2WPKH input of `transaction`, with the amount it spends.
    static func signed(_ key: PrivateKey, amount: Amount) throws -> (Transaction, [UInt8], [[UInt8]]) {
        let scriptPubKey = TransactionSigner.payToWitnessPubkeyHash(key.publicKey())
        let unsigned = SigningAndCacheTests.spend(of: [TxOut(value: amount, scriptPubKey: scriptPubKey)])
        let precomputed = PrecomputedTransactionData(transaction: unsigned, spentOutputs: [TxOut(value: amount, scriptPubKey: scriptPubKey)])
        let witness = try TransactionSigner.signPayToWitnessPubkeyHash(
            transaction: unsigned, inputIndex: 0, key: key, amount: amount, precomputed: precomputed)
        return (unsigned, scriptPubKey, witness)
    }

    static func spends(scriptPubKey: [UInt8], witness: [[UInt8]], key: PrivateKey) -> [Spend] {
        let signature = witness[0], publicKey = witness[1]
        let program = Array(scriptPubKey[2...])
        var flipped = signature
        flipped[10] ^= 1
        var badHashType = signature
        badHashType[badHashType.count - 1] = 0x05
        var badDER = signature
        badDER[0] = 0x31
        let uncompressed = key.publicKey().serialized(compressed: false)
        let other = PrivateKey.random().publicKey().bytes
        return [
            Spend(name: "valid", scriptPubKey: scriptPubKey, witness: witness),
            Spend(name: "no witness", scriptPubKey: scriptPubKey, witness: []),
            Spend(name: "one item", scriptPubKey: scriptPubKey, witness: [signature]),
            Spend(name: "three items", scriptPubKey: scriptPubKey, witness: [signature, publicKey, []]),
            Spend(name: "wrong signature", scriptPubKey: scriptPubKey, witness: [flipped, publicKey]),
            Spend(name: "empty signature", scriptPubKey: scriptPubKey, witness: [[], publicKey]),
            Spend(name: "bad hash type", scriptPubKey: scriptPubKey, witness: [badHashType, publicKey]),
            Spend(name: "not DER", scriptPubKey: scriptPubKey, witness: [badDER, publicKey]),
            Spend(name: "oversized signature", scriptPubKey: scriptPubKey, witness: [signature + [UInt8](repeating: 1, count: 520), publicKey]),
            Spend(name: "oversized key", scriptPubKey: scriptPubKey, witness: [signature, [UInt8](repeating: 2, count: 521)]),
            Spend(name: "other key", scriptPubKey: scriptPubKey, witness: [signature, other]),
            Spend(name: "uncompressed key", scriptPubKey: [Opcode.op0, 20] + Hashing.hash160(uncompressed), witness: [signature, uncompressed]),
            Spend(name: "zero program", scriptPubKey: [Opcode.op0, 20] + [UInt8](repeating: 0, count: 20), witness: witness),
            Spend(name: "negative zero program", scriptPubKey: [Opcode.op0, 20] + [UInt8](repeating: 0, count: 19) + [0x80], witness: witness),
            Spend(name: "P2WSH size program", scriptPubKey: [Opcode.op0, 32] + program + [UInt8](repeating: 0, count: 12), witness: witness),
            Spend(name: "future version", scriptPubKey: [Opcode.op1 + 1, 20] + program, witness: witness),
            Spend(name: "taproot size, no key", scriptPubKey: [Opcode.op1, 32] + program + [UInt8](repeating: 7, count: 12), witness: witness),
        ]
    }

    static func outcome(_ body: () throws(ScriptError) -> Void) -> ScriptError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    @Test func shortcutsEndAsTheInterpreterEnds() throws {
        let key = PrivateKey.random()
        let amount = Amount(satoshis: 50_000)
        let (transaction, scriptPubKey, witness) = try Self.signed(key, amount: amount)
        var outcomes: Set<String> = []
        for spend in Self.spends(scriptPubKey: scriptPubKey, witness: witness, key: key) {
            let input = transaction.inputs[0]
            let spending = transaction.with(inputs: [TxIn(previousOutput: input.previousOutput, scriptSig: [], sequence: input.sequence, witness: spend.witness)])
            let spent = [TxOut(value: amount, scriptPubKey: spend.scriptPubKey)]
            let checker = TransactionSignatureChecker(
                transaction: spending, inputIndex: 0, amount: amount, precomputed: PrecomputedTransactionData(transaction: spending, spentOutputs: spent))
            for flags in Self.flagSets {
                let shortcut = Self.outcome { () throws(ScriptError) in
                    try ScriptVerifier.verify(scriptSig: [], scriptPubKey: spend.scriptPubKey, witness: spend.witness, flags: flags, checker: checker)
                }
                let interpreted = Self.outcome { () throws(ScriptError) in
                    try ScriptVerifier.verifyInterpreted(
                        scriptSig: [], scriptPubKey: spend.scriptPubKey, witness: spend.witness, flags: flags, checker: checker)
                }
                #expect(shortcut == interpreted, "\(spend.name) with flags \(flags.rawValue)")
                outcomes.insert(shortcut.map { "\($0)" } ?? "valid")

                // The P2WPKH step alone (also reached through P2SH) against the interpreter running its script.
                guard spend.witness.count == 2, spend.scriptPubKey.count == 22, spend.scriptPubKey[0] == Opcode.op0 else { continue }
                let program = spend.scriptPubKey[2...]
                let direct = Self.outcome { () throws(ScriptError) in
                    try ScriptVerifier.verifyPayToWitnessPubkeyHash(
                        signature: spend.witness[0], publicKey: spend.witness[1], program: program, flags: flags, checker: checker)
                }
                var execution = ScriptExecutionData()
                let run = Self.outcome { () throws(ScriptError) in
                    try ScriptVerifier.executeWitnessScript(
                        stack: spend.witness, script: ScriptVerifier.payToWitnessPubkeyHashScript(program), flags: flags, version: .witnessV0,
                        checker: checker, execution: &execution)
                }
                #expect(direct == run, "P2WPKH step: \(spend.name) with flags \(flags.rawValue)")
            }
        }
        // The spends reach many different ends, so the comparison covers more than success.
        #expect(outcomes.contains("valid") && outcomes.count >= 8, "\(outcomes.sorted())")
    }
}
