import ChainCrypto
import ChainTypes
import Script

/// Input verification through the full interpreter (P2WPKH and taproot key path) against raw
/// libsecp256k1 verifying the same signatures.
struct SignatureBenchmark {
    let ecdsaItems: [RawVerificationBaseline.ECDSAItem]
    let schnorrItems: [RawVerificationBaseline.SchnorrItem]
    let witnessV0Spend: SignedSpend
    let taprootSpend: SignedSpend

    /// A signed transaction and the outputs it spends.
    struct SignedSpend {
        let transaction: Transaction
        let spent: [TxOut]
    }

    init(inputCount: Int) throws {
        let keys = (0..<inputCount).map { _ in PrivateKey.random() }
        let amount = Amount(satoshis: 100_000)
        let funding = TxID(Hashing.sha256d(Array("rusty-bench".utf8)))
        func unsignedSpend() -> Transaction {
            let inputs = (0..<inputCount).map { TxIn(previousOutput: OutPoint(txid: funding, index: UInt32($0)), sequence: 0xffff_fffd) }
            let output = TxOut(value: Amount(satoshis: amount.satoshis * Int64(inputCount) - 10_000), scriptPubKey: [Opcode.op0, 20] + Array(repeating: 1, count: 20))
            return Transaction(version: 2, inputs: inputs, outputs: [output], lockTime: 0)
        }

        // P2WPKH
        var unsigned = unsignedSpend()
        var spent = keys.map { TxOut(value: amount, scriptPubKey: TransactionSigner.payToWitnessPubkeyHash($0.publicKey())) }
        var precomputed = PrecomputedTransactionData(transaction: unsigned, spentOutputs: spent)
        var signedInputs = unsigned.inputs
        var ecdsa: [RawVerificationBaseline.ECDSAItem] = []
        for (index, key) in keys.enumerated() {
            let witness = try TransactionSigner.signPayToWitnessPubkeyHash(
                transaction: unsigned, inputIndex: index, key: key, amount: amount, precomputed: precomputed)
            signedInputs[index].witness = witness
            let scriptCode = [Opcode.dup, Opcode.hash160, 20] + Hashing.hash160(witness[1]) + [Opcode.equalVerify, Opcode.checkSig]
            let sighash = SignatureHash.witnessV0(
                transaction: unsigned, inputIndex: index, scriptCode: scriptCode, amount: amount, hashType: 1, precomputed: precomputed)
            ecdsa.append(.init(publicKey: witness[1], derSignature: Array(witness[0].dropLast()), hash: sighash.bytes))
        }
        witnessV0Spend = SignedSpend(transaction: unsigned.with(inputs: signedInputs), spent: spent)
        ecdsaItems = ecdsa

        // Taproot key path
        unsigned = unsignedSpend()
        spent = try keys.map { TxOut(value: amount, scriptPubKey: try TransactionSigner.payToTaproot(internalKey: $0.xOnlyPublicKey)) }
        precomputed = PrecomputedTransactionData(transaction: unsigned, spentOutputs: spent)
        signedInputs = unsigned.inputs
        var schnorr: [RawVerificationBaseline.SchnorrItem] = []
        for (index, key) in keys.enumerated() {
            let witness = try TransactionSigner.signTaprootKeyPath(transaction: unsigned, inputIndex: index, key: key, precomputed: precomputed)
            signedInputs[index].witness = witness
            var execution = ScriptExecutionData()
            let sighash = SignatureHash.taproot(
                transaction: unsigned, inputIndex: index, hashType: SighashType.default, signatureVersion: .taproot,
                precomputed: precomputed, execution: &execution)
            schnorr.append(.init(xOnlyKey: Array(spent[index].scriptPubKey[2...]), signature: witness[0], message: sighash?.bytes ?? []))
        }
        taprootSpend = SignedSpend(transaction: unsigned.with(inputs: signedInputs), spent: spent)
        schnorrItems = schnorr
    }

    /// Verifies every input of `spend` through `ScriptVerifier` with consensus + policy flags,
    /// as mempool acceptance would; returns the number of valid inputs.
    static func verifyInputs(_ spend: SignedSpend) -> Int {
        do {
            try ScriptVerifier.verifyInputs(of: spend.transaction, spentOutputs: spend.spent, flags: .standard)
            return spend.transaction.inputs.count
        } catch {
            return 0
        }
    }

    /// Every fixture must verify on both sides, or the timings would compare different work.
    func checkFixtures() throws {
        let expected = ecdsaItems.count
        guard RawVerificationBaseline.verify(ecdsaItems) == expected, RawVerificationBaseline.verify(schnorrItems) == expected,
            Self.verifyInputs(witnessV0Spend) == expected, Self.verifyInputs(taprootSpend) == expected
        else { throw BenchmarkError.fixturesDoNotVerify }
    }

    func run(rounds: Int) -> BenchmarkReport {
        var best: [String: Duration] = [:]
        let clock = ContinuousClock()
        func time(_ name: String, _ body: () -> Int) {
            let elapsed = clock.measure { _ = body() }
            best[name] = min(best[name] ?? elapsed, elapsed)
        }
        // Interleave the sides so frequency scaling and noise hit both alike.
        for _ in 0..<rounds {
            time("raw ECDSA") { RawVerificationBaseline.verify(ecdsaItems) }
            time("P2WPKH") { Self.verifyInputs(witnessV0Spend) }
            time("raw Schnorr") { RawVerificationBaseline.verify(schnorrItems) }
            time("taproot") { Self.verifyInputs(taprootSpend) }
        }
        let count = Double(ecdsaItems.count)
        func rate(_ name: String) -> Double {
            let seconds = Double((best[name] ?? .zero).components.attoseconds) / 1e18 + Double((best[name] ?? .zero).components.seconds)
            return seconds > 0 ? count / seconds : 0
        }
        return BenchmarkReport(
            rawECDSA: rate("raw ECDSA"), witnessV0: rate("P2WPKH"), rawSchnorr: rate("raw Schnorr"), taproot: rate("taproot"),
            inputs: ecdsaItems.count, rounds: rounds)
    }
}

enum BenchmarkError: Error {
    case fixturesDoNotVerify
    /// Something the benchmark needs is missing or failed (a binary, a node, a port).
    case missing(String)
}

/// Rates in verifications per second and the ratios against the raw baselines.
struct BenchmarkReport {
    let rawECDSA: Double
    let witnessV0: Double
    let rawSchnorr: Double
    let taproot: Double
    let inputs: Int
    let rounds: Int

    var witnessV0Ratio: Double { witnessV0 / rawECDSA }
    var taprootRatio: Double { taproot / rawSchnorr }

    var text: String {
        func format(_ value: Double, _ decimals: Int) -> String {
            guard decimals > 0 else { return String(Int(value.rounded())) }
            let scale = (0..<decimals).reduce(1.0) { value, _ in value * 10 }
            return String(describing: (value * scale).rounded() / scale)
        }
        return """
            signature verification, \(inputs) inputs per transaction, best of \(rounds) rounds (single thread)
              raw libsecp256k1 ECDSA verify (parse key + DER + verify)   \(format(rawECDSA, 0)) /s
              rustyd P2WPKH input through the interpreter               \(format(witnessV0, 0)) /s
              raw libsecp256k1 Schnorr verify (parse key + verify)      \(format(rawSchnorr, 0)) /s
              rustyd taproot key-path input through the interpreter     \(format(taproot, 0)) /s
              ratio P2WPKH / raw ECDSA:   \(format(witnessV0Ratio, 3))
              ratio taproot / raw Schnorr: \(format(taprootRatio, 3))
            ratio (worst of the two, goal >= 0.9): \(format(min(witnessV0Ratio, taprootRatio), 3))
            """
    }
}
