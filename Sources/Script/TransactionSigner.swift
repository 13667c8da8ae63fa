import ChainCrypto
import ChainTypes

/// Produces witnesses for the standard single-key output types. Used by tools, benchmarks and
/// tests; wallet-grade signing (PSBT, descriptors) belongs to later layers.
public enum TransactionSigner {
    /// `OP_0 <20-byte key hash>`.
    public static func payToWitnessPubkeyHash(_ key: PublicKey) -> [UInt8] {
        [Opcode.op0, 20] + Hashing.hash160(key.bytes)
    }

    /// `OP_1 <32-byte output key>` for a key-path-only taproot output of `internalKey`.
    public static func payToTaproot(internalKey: XOnlyPublicKey) throws(CryptoError) -> [UInt8] {
        [Opcode.op1, 32] + (try internalKey.tapTweaked(merkleRoot: nil)).key.bytes
    }

    /// The witness `[signature ‖ hash type, public key]` spending a P2WPKH output.
    public static func signPayToWitnessPubkeyHash(
        transaction: Transaction, inputIndex: Int, key: PrivateKey, amount: Amount,
        precomputed: PrecomputedTransactionData, hashType: UInt8 = SighashType.all
    ) throws(CryptoError) -> [[UInt8]] {
        let publicKey = key.publicKey()
        let scriptCode = [Opcode.dup, Opcode.hash160, 20] + Hashing.hash160(publicKey.bytes) + [Opcode.equalVerify, Opcode.checkSig]
        let sighash = SignatureHash.witnessV0(
            transaction: transaction, inputIndex: inputIndex, scriptCode: scriptCode, amount: amount,
            hashType: Int32(hashType), precomputed: precomputed)
        return [try key.signECDSA(messageHash: sighash).der + [hashType], publicKey.bytes]
    }

    /// `transaction` with every input signed as a spend of a P2WPKH output of `key` worth
    /// `amounts[i]` (SIGHASH_ALL).
    public static func signingAllPayToWitnessPubkeyHash(
        _ transaction: Transaction, key: PrivateKey, amounts: [Amount]
    ) throws(CryptoError) -> Transaction {
        let script = payToWitnessPubkeyHash(key.publicKey())
        let spent = amounts.map { TxOut(value: $0, scriptPubKey: script) }
        let precomputed = PrecomputedTransactionData(transaction: transaction, spentOutputs: spent)
        var inputs = transaction.inputs
        for index in inputs.indices where index < spent.count {
            inputs[index].witness = try signPayToWitnessPubkeyHash(
                transaction: transaction, inputIndex: index, key: key, amount: spent[index].value, precomputed: precomputed)
        }
        return transaction.with(inputs: inputs)
    }

    /// The witness `[signature]` spending a key-path-only taproot output of `key`'s x-only key.
    /// `precomputed` must carry the spent outputs.
    public static func signTaprootKeyPath(
        transaction: Transaction, inputIndex: Int, key: PrivateKey, precomputed: PrecomputedTransactionData,
        hashType: UInt8 = SighashType.default, auxiliaryRandomness: [UInt8]? = nil
    ) throws(CryptoError) -> [[UInt8]] {
        var execution = ScriptExecutionData()
        guard let sighash = SignatureHash.taproot(
            transaction: transaction, inputIndex: inputIndex, hashType: hashType, signatureVersion: .taproot,
            precomputed: precomputed, execution: &execution)
        else { throw .signingFailed }
        let tweaked = try key.tapTweaked(merkleRoot: nil)
        let signature = try tweaked.signSchnorr(message: sighash.bytes, auxiliaryRandomness: auxiliaryRandomness ?? SystemRandom.bytes(32))
        return [hashType == SighashType.default ? signature : signature + [hashType]]
    }
}
