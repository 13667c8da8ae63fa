import ByteCodec
import ChainCrypto
import ChainTypes

/// Per-transaction hashes shared by all inputs' signature checks (BIP143 and BIP341), and the
/// outputs the inputs spend.
public struct PrecomputedTransactionData: Sendable {
    /// The outputs spent by each input, in input order, when known (required for taproot).
    public let spentOutputs: [TxOut]?

    // BIP341 single-SHA256 hashes.
    let prevoutsSHA256: Hash256
    let sequencesSHA256: Hash256
    let outputsSHA256: Hash256
    let spentAmountsSHA256: Hash256
    let spentScriptsSHA256: Hash256
    // BIP143 double-SHA256 hashes (the SHA256 of the single ones).
    let hashPrevouts: Hash256
    let hashSequence: Hash256
    let hashOutputs: Hash256

    /// Precomputes for `transaction`. `spentOutputs`, if given, must have one entry per input.
    public init(transaction: Transaction, spentOutputs: [TxOut]? = nil) {
        let known = spentOutputs.flatMap { $0.count == transaction.inputs.count ? $0 : nil }
        self.spentOutputs = known
        var prevouts = ByteWriter(capacity: transaction.inputs.count * 36)
        var sequences = ByteWriter(capacity: transaction.inputs.count * 4)
        for input in transaction.inputs {
            input.previousOutput.encode(to: &prevouts)
            sequences.writeUInt32LE(input.sequence)
        }
        var outputs = ByteWriter(capacity: transaction.outputs.count * 34)
        for output in transaction.outputs { output.encode(to: &outputs) }
        prevoutsSHA256 = Hashing.sha256(prevouts.bytes)
        sequencesSHA256 = Hashing.sha256(sequences.bytes)
        outputsSHA256 = Hashing.sha256(outputs.bytes)
        hashPrevouts = prevoutsSHA256.withUnsafeBytes { Hashing.sha256($0) }
        hashSequence = sequencesSHA256.withUnsafeBytes { Hashing.sha256($0) }
        hashOutputs = outputsSHA256.withUnsafeBytes { Hashing.sha256($0) }
        var amounts = ByteWriter(), scripts = ByteWriter()
        for output in known ?? [] {
            amounts.writeInt64LE(output.value.satoshis)
            scripts.writeVarBytes(output.scriptPubKey)
        }
        spentAmountsSHA256 = Hashing.sha256(amounts.bytes)
        spentScriptsSHA256 = Hashing.sha256(scripts.bytes)
    }
}
