import ChainCrypto
import ChainTypes
import Testing
@testable import Script

/// Verification precomputes only the hashes the witnesses need (Core's
/// `PrecomputedTransactionData::Init`), and those equal the ones signing computed.
@Suite struct PrecomputedTransactionDataTests {
    /// A transaction spending a P2WPKH output (input 0) and a taproot output (input 1), signed.
    static func mixedSpend() throws -> (Transaction, [TxOut]) {
        let key = PrivateKey.random()
        let amount = Amount(satoshis: 50_000)
        let spent = [
            TxOut(value: amount, scriptPubKey: TransactionSigner.payToWitnessPubkeyHash(key.publicKey())),
            TxOut(value: amount, scriptPubKey: try TransactionSigner.payToTaproot(internalKey: key.xOnlyPublicKey)),
        ]
        let funding = TxID(Hashing.sha256d(Array("precomputed".utf8)))
        let unsigned = Transaction(
            version: 2,
            inputs: (0..<2).map { TxIn(previousOutput: OutPoint(txid: funding, index: UInt32($0)), sequence: 0xffff_fffd) },
            outputs: [TxOut(value: Amount(satoshis: 90_000), scriptPubKey: spent[0].scriptPubKey)], lockTime: 0)
        let forSigning = PrecomputedTransactionData(transaction: unsigned, spentOutputs: spent)
        var inputs = unsigned.inputs
        inputs[0].witness = try TransactionSigner.signPayToWitnessPubkeyHash(
            transaction: unsigned, inputIndex: 0, key: key, amount: amount, precomputed: forSigning)
        inputs[1].witness = try TransactionSigner.signTaprootKeyPath(transaction: unsigned, inputIndex: 1, key: key, precomputed: forSigning)
        return (unsigned.with(inputs: inputs), spent)
    }

    @Test func verificationComputesWhatTheWitnessesNeed() throws {
        let (signed, spent) = try Self.mixedSpend()
        let forced = PrecomputedTransactionData(transaction: signed, spentOutputs: spent)
        let both = PrecomputedTransactionData(verifying: signed, spentOutputs: spent)
        #expect(both.witnessV0 != nil && both.witnessV0 == forced.witnessV0)
        #expect(both.taproot != nil && both.taproot == forced.taproot)
        try ScriptVerifier.verifyInputs(of: signed, spentOutputs: spent, flags: .standard)

        func withoutWitness(_ index: Int) -> Transaction {
            var inputs = signed.inputs
            inputs[index].witness = []
            return signed.with(inputs: inputs)
        }
        // Only the P2WPKH input has a witness: BIP143 hashes only.
        let v0Only = PrecomputedTransactionData(verifying: withoutWitness(1), spentOutputs: spent)
        #expect(v0Only.witnessV0 != nil && v0Only.taproot == nil)
        // Only the taproot input has a witness: BIP341 hashes only.
        let taprootOnly = PrecomputedTransactionData(verifying: withoutWitness(0), spentOutputs: spent)
        #expect(taprootOnly.witnessV0 == nil && taprootOnly.taproot != nil)
        // Spent outputs unknown: a witness counts as segwit v0 (taproot cannot be verified).
        let unknown = PrecomputedTransactionData(verifying: signed, spentOutputs: nil)
        #expect(unknown.witnessV0 != nil && unknown.taproot == nil)
        // A BIP143 sighash without precomputed hashes computes the same ones itself.
        let scriptCode = [Opcode.dup, Opcode.hash160, 20] + Hashing.hash160(signed.inputs[0].witness[1]) + [Opcode.equalVerify, Opcode.checkSig]
        let sighash = { (data: PrecomputedTransactionData) in
            SignatureHash.witnessV0(
                transaction: signed, inputIndex: 0, scriptCode: scriptCode, amount: spent[0].value, hashType: 1, precomputed: data)
        }
        #expect(sighash(taprootOnly) == sighash(forced))
    }
}
