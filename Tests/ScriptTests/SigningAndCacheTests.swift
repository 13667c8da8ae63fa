import ChainCrypto
import ChainTypes
import Testing
@testable import Script

/// Round trips through `TransactionSigner` and `ScriptVerifier`, and the signature cache.
@Suite struct SigningAndCacheTests {
    static func spend(of outputs: [TxOut]) -> Transaction {
        let funding = TxID(Hashing.sha256d([7]))
        let inputs = outputs.indices.map { TxIn(previousOutput: OutPoint(txid: funding, index: UInt32($0))) }
        return Transaction(version: 2, inputs: inputs, outputs: [TxOut(value: Amount(satoshis: 1_000), scriptPubKey: [Opcode.op1])])
    }

    static func verify(_ transaction: Transaction, spent: [TxOut], index: Int, cache: SignatureCache? = nil) -> ScriptError? {
        let checker = TransactionSignatureChecker(
            transaction: transaction, inputIndex: index, amount: spent[index].value,
            precomputed: PrecomputedTransactionData(transaction: transaction, spentOutputs: spent), cache: cache)
        do {
            let input = transaction.inputs[index]
            try ScriptVerifier.verify(scriptSig: input.scriptSig, scriptPubKey: spent[index].scriptPubKey, witness: input.witness,
                                      flags: .standard, checker: checker)
            return nil
        } catch {
            return error
        }
    }

    /// One P2WPKH input signed by a fresh key: the key, the output it spends, the transaction
    /// unsigned and signed, its precomputed hashes and signed inputs.
    static func signedPayToWitnessPubkeyHash() throws
        -> (PrivateKey, [TxOut], Transaction, PrecomputedTransactionData, [TxIn], Transaction)
    {
        let key = PrivateKey.random()
        let spent = [TxOut(value: Amount(satoshis: 5_000), scriptPubKey: TransactionSigner.payToWitnessPubkeyHash(key.publicKey()))]
        let unsigned = Self.spend(of: spent)
        let precomputed = PrecomputedTransactionData(transaction: unsigned, spentOutputs: spent)
        var inputs = unsigned.inputs
        inputs[0].witness = try TransactionSigner.signPayToWitnessPubkeyHash(
            transaction: unsigned, inputIndex: 0, key: key, amount: spent[0].value, precomputed: precomputed)
        return (key, spent, unsigned, precomputed, inputs, unsigned.with(inputs: inputs))
    }

    /// The BIP143 hash input 0 of `transaction` signs with SIGHASH_ALL when spending `key`'s P2WPKH output.
    static func sighash(_ transaction: Transaction, key: PrivateKey, amount: Amount, precomputed: PrecomputedTransactionData) -> Hash256 {
        let scriptCode = [Opcode.dup, Opcode.hash160, 20] + Hashing.hash160(key.publicKey().bytes) + [Opcode.equalVerify, Opcode.checkSig]
        return SignatureHash.witnessV0(transaction: transaction, inputIndex: 0, scriptCode: scriptCode, amount: amount, hashType: 1,
                                       precomputed: precomputed)
    }

    @Test func signedSpendsVerifyAndTamperingFails() throws {
        let keyA = PrivateKey.random(), keyB = PrivateKey.random()
        let spent = [
            TxOut(value: Amount(satoshis: 5_000), scriptPubKey: TransactionSigner.payToWitnessPubkeyHash(keyA.publicKey())),
            TxOut(value: Amount(satoshis: 7_000), scriptPubKey: try TransactionSigner.payToTaproot(internalKey: keyB.xOnlyPublicKey)),
        ]
        let unsigned = Self.spend(of: spent)
        let precomputed = PrecomputedTransactionData(transaction: unsigned, spentOutputs: spent)
        var inputs = unsigned.inputs
        inputs[0].witness = try TransactionSigner.signPayToWitnessPubkeyHash(
            transaction: unsigned, inputIndex: 0, key: keyA, amount: spent[0].value, precomputed: precomputed)
        inputs[1].witness = try TransactionSigner.signTaprootKeyPath(transaction: unsigned, inputIndex: 1, key: keyB, precomputed: precomputed)
        let signed = unsigned.with(inputs: inputs)
        #expect(Self.verify(signed, spent: spent, index: 0) == nil)
        #expect(Self.verify(signed, spent: spent, index: 1) == nil)

        // A different spent amount changes both signature hashes.
        var wrongAmounts = spent
        wrongAmounts[0].value = Amount(satoshis: 5_001)
        wrongAmounts[1].value = Amount(satoshis: 7_001)
        #expect(Self.verify(signed, spent: wrongAmounts, index: 0) == .sigNullFail)  // policy: a failed non-empty signature
        #expect(Self.verify(signed, spent: wrongAmounts, index: 1) == .schnorrSig)
        // Changing an output after signing invalidates SIGHASH_ALL / DEFAULT signatures.
        let changed = signed.with(outputs: [TxOut(value: Amount(satoshis: 999), scriptPubKey: [Opcode.op1])])
        #expect(Self.verify(changed, spent: spent, index: 0) == .sigNullFail)
        #expect(Self.verify(changed, spent: spent, index: 1) == .schnorrSig)

        // Whole-transaction verification names the first failing input.
        #expect(throws: Never.self) { try ScriptVerifier.verifyInputs(of: signed, spentOutputs: spent, flags: .standard) }
        #expect(throws: InputVerificationError.script(index: 0, error: .sigNullFail)) {
            try ScriptVerifier.verifyInputs(of: changed, spentOutputs: spent, flags: .standard)
        }
        #expect(throws: InputVerificationError.spentOutputsMismatch(inputs: 2, spentOutputs: 1)) {
            try ScriptVerifier.verifyInputs(of: signed, spentOutputs: [spent[0]], flags: .standard)
        }
    }

    @Test func cacheRemembersValidSignaturesOnly() throws {
        let (key, spent, unsigned, precomputed, inputs, signed) = try Self.signedPayToWitnessPubkeyHash()

        let cache = SignatureCache(capacity: 4)
        #expect(Self.verify(signed, spent: spent, index: 0, cache: cache) == nil)
        #expect(cache.count == 1)
        #expect(Self.verify(signed, spent: spent, index: 0, cache: cache) == nil)
        #expect(cache.count == 1)  // a hit adds nothing

        // An invalid signature is not cached.
        var bad = inputs
        bad[0].witness[0][10] ^= 1
        #expect(Self.verify(unsigned.with(inputs: bad), spent: spent, index: 0, cache: cache) != nil)
        #expect(cache.count == 1)

        // The checker trusts the cache: an entry planted for a forged signature makes it pass,
        // which shows lookups come before verification (and why entries are salted and private).
        let forged = bad[0].witness[0]
        let sighash = Self.sighash(unsigned, key: key, amount: spent[0].value, precomputed: precomputed)
        cache.insert(sighash: sighash, publicKey: key.publicKey().bytes, signature: forged.dropLast())
        #expect(Self.verify(unsigned.with(inputs: bad), spent: spent, index: 0, cache: cache) == nil)

        // Capacity is a hard bound.
        for index in 0..<10 { cache.insert(sighash: Hashing.sha256d([UInt8(index)]), publicKey: [1], signature: [2]) }
        #expect(cache.count == 4)
    }

    @Test func blockStyleVerificationUsesUpCacheEntriesWithoutAddingAny() throws {
        let (key, spent, unsigned, precomputed, inputs, signed) = try Self.signedPayToWitnessPubkeyHash()

        let cache = SignatureCache()
        try ScriptVerifier.verifyInputs(of: signed, spentOutputs: spent, flags: .consensus, cache: cache, storeInCache: false)
        #expect(cache.count == 0, "a block's signatures are not kept")
        try ScriptVerifier.verifyInputs(of: signed, spentOutputs: spent, flags: .consensus, cache: cache)
        #expect(cache.count == 1, "a pool's are")
        try ScriptVerifier.verifyInputs(of: signed, spentOutputs: spent, flags: .consensus, cache: cache)
        #expect(cache.count == 1, "found again, kept")
        try ScriptVerifier.verifyInputs(of: signed, spentOutputs: spent, flags: .consensus, cache: cache, storeInCache: false)
        #expect(cache.count == 0, "the block used the entry up")

        // Entries are consulted: one planted for a forged signature lets it through (once).
        var forgedInputs = inputs
        forgedInputs[0].witness[0][10] ^= 1
        let forged = unsigned.with(inputs: forgedInputs)
        #expect(throws: InputVerificationError.self) {
            try ScriptVerifier.verifyInputs(of: forged, spentOutputs: spent, flags: .consensus, cache: cache, storeInCache: false)
        }
        let sighash = Self.sighash(unsigned, key: key, amount: spent[0].value, precomputed: precomputed)
        cache.insert(sighash: sighash, publicKey: key.publicKey().bytes, signature: forgedInputs[0].witness[0].dropLast())
        try ScriptVerifier.verifyInputs(of: forged, spentOutputs: spent, flags: .consensus, cache: cache, storeInCache: false)
        #expect(throws: InputVerificationError.self) {
            try ScriptVerifier.verifyInputs(of: forged, spentOutputs: spent, flags: .consensus, cache: cache, storeInCache: false)
        }
    }
}
