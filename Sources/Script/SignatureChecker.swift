import ChainCrypto
import ChainTypes

/// What the interpreter asks of the transaction being verified: signature, lock-time and
/// sequence checks. Scripts verified outside a transaction use a checker that fails them all.
public protocol SignatureChecker {
    /// Verifies an ECDSA signature (DER + sighash byte) by `publicKey` over the script code.
    func checkECDSASignature(_ signature: [UInt8], publicKey: [UInt8], scriptCode: [UInt8], version: SignatureVersion) -> Bool
    /// Verifies a BIP340 signature (64 or 65 bytes) by a 32-byte key; throws the Core error on failure.
    func checkSchnorrSignature(
        _ signature: [UInt8], publicKey: [UInt8], version: SignatureVersion, execution: inout ScriptExecutionData
    ) throws(ScriptError)
    /// OP_CHECKLOCKTIMEVERIFY's comparison with the transaction's lock time.
    func checkLockTime(_ lockTime: Int64) -> Bool
    /// OP_CHECKSEQUENCEVERIFY's comparison with the input's sequence.
    func checkSequence(_ sequence: Int64) -> Bool
}

/// Checks signatures against input `inputIndex` of a transaction.
public struct TransactionSignatureChecker: SignatureChecker, Sendable {
    public static let lockTimeThreshold: Int64 = 500_000_000

    /// What the checkers of one transaction's inputs share: one allocation per transaction, so
    /// a checker per input copies one reference instead of the transaction and its hashes.
    final class Shared: Sendable {
        let transaction: Transaction
        let precomputed: PrecomputedTransactionData
        let cache: SignatureCache?
        /// Whether signatures verified here are added to `cache`; when not, entries found there
        /// are removed (Core's `erase = !store`).
        let storesInCache: Bool

        init(transaction: Transaction, precomputed: PrecomputedTransactionData, cache: SignatureCache?, storesInCache: Bool = true) {
            self.transaction = transaction
            self.precomputed = precomputed
            self.cache = cache
            self.storesInCache = storesInCache
        }
    }

    let shared: Shared
    public let inputIndex: Int
    /// The value of the output being spent (needed by segwit signature hashes).
    public let amount: Amount

    public var transaction: Transaction { shared.transaction }
    public var precomputed: PrecomputedTransactionData { shared.precomputed }
    /// Where verified signatures are remembered, if anywhere.
    public var cache: SignatureCache? { shared.cache }

    public init(
        transaction: Transaction, inputIndex: Int, amount: Amount, precomputed: PrecomputedTransactionData,
        cache: SignatureCache? = nil
    ) {
        self.init(shared: Shared(transaction: transaction, precomputed: precomputed, cache: cache), inputIndex: inputIndex, amount: amount)
    }

    /// The checker of input `inputIndex` of the transaction `shared` describes.
    init(shared: Shared, inputIndex: Int, amount: Amount) {
        self.shared = shared
        self.inputIndex = inputIndex
        self.amount = amount
    }

    public func checkECDSASignature(_ signature: [UInt8], publicKey: [UInt8], scriptCode: [UInt8], version: SignatureVersion) -> Bool {
        guard let hashType = signature.last, Self.hasValidKeyLength(publicKey) else { return false }
        let der = signature.dropLast()
        let sighash = SignatureHash.ecdsa(
            transaction: transaction, inputIndex: inputIndex, scriptCode: scriptCode, amount: amount, hashType: Int32(hashType),
            version: version, precomputed: precomputed)
        if let cache, cache.contains(sighash: sighash, publicKey: publicKey, signature: der, erasing: !shared.storesInCache) { return true }
        guard let key = try? PublicKey(bytes: publicKey), let parsed = try? ECDSASignature(laxDER: der),
            key.verify(signature: parsed, messageHash: sighash)
        else {
            return false
        }
        if shared.storesInCache { cache?.insert(sighash: sighash, publicKey: publicKey, signature: der) }
        return true
    }

    /// Core's `CPubKey::IsValid`: the length the first byte announces (33 or 65).
    static func hasValidKeyLength(_ key: [UInt8]) -> Bool {
        switch key.first {
        case 0x02, 0x03: key.count == 33
        case 0x04, 0x06, 0x07: key.count == 65
        default: false
        }
    }

    public func checkSchnorrSignature(
        _ signature: [UInt8], publicKey: [UInt8], version: SignatureVersion, execution: inout ScriptExecutionData
    ) throws(ScriptError) {
        guard signature.count == 64 || signature.count == 65 else { throw .schnorrSigSize }
        var hashType = SighashType.default
        if signature.count == 65 {
            hashType = signature[64]
            if hashType == SighashType.default { throw .schnorrSigHashtype }
        }
        guard precomputed.spentOutputs != nil else { throw .unknownError }  // Core: missing data
        guard let sighash = SignatureHash.taproot(
            transaction: transaction, inputIndex: inputIndex, hashType: hashType, signatureVersion: version,
            precomputed: precomputed, execution: &execution)
        else { throw .schnorrSigHashtype }
        let signatureBody = signature.prefix(64)
        if let cache, cache.contains(sighash: sighash, publicKey: publicKey, signature: signatureBody, erasing: !shared.storesInCache) { return }
        guard let key = try? XOnlyPublicKey(bytes: publicKey) else { throw .schnorrSig }
        let valid = signatureBody.withUnsafeBytes { key.verify(schnorrSignature: $0, hash: sighash) }
        guard valid else { throw .schnorrSig }
        if shared.storesInCache { cache?.insert(sighash: sighash, publicKey: publicKey, signature: signatureBody) }
    }

    public func checkLockTime(_ lockTime: Int64) -> Bool {
        let txLockTime = Int64(transaction.lockTime)
        let threshold = Self.lockTimeThreshold
        guard (txLockTime < threshold && lockTime < threshold) || (txLockTime >= threshold && lockTime >= threshold) else {
            return false
        }
        guard lockTime <= txLockTime else { return false }
        return transaction.inputs[inputIndex].sequence != TxIn.finalSequence
    }

    public func checkSequence(_ sequence: Int64) -> Bool {
        let txSequence = Int64(transaction.inputs[inputIndex].sequence)
        guard transaction.version >= 2 else { return false }
        guard txSequence & Int64(TxIn.sequenceLockTimeDisableFlag) == 0 else { return false }
        let mask = Int64(TxIn.sequenceLockTimeTypeFlag | TxIn.sequenceLockTimeMask)
        let txMasked = txSequence & mask
        let masked = sequence & mask
        let typeFlag = Int64(TxIn.sequenceLockTimeTypeFlag)
        guard (txMasked < typeFlag && masked < typeFlag) || (txMasked >= typeFlag && masked >= typeFlag) else {
            return false
        }
        return masked <= txMasked
    }
}

/// A checker with no transaction: every signature and lock check fails.
public struct NoTransactionChecker: SignatureChecker, Sendable {
    public init() {}
    public func checkECDSASignature(_: [UInt8], publicKey _: [UInt8], scriptCode _: [UInt8], version _: SignatureVersion) -> Bool { false }
    public func checkSchnorrSignature(_: [UInt8], publicKey _: [UInt8], version _: SignatureVersion, execution _: inout ScriptExecutionData) throws(ScriptError) {
        throw .schnorrSig
    }
    public func checkLockTime(_: Int64) -> Bool { false }
    public func checkSequence(_: Int64) -> Bool { false }
}
