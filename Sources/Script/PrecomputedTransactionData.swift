import ByteCodec
import ChainCrypto
import ChainTypes

/// Per-transaction hashes shared by all inputs' signature checks (BIP143 and BIP341), and the
/// outputs the inputs spend.
public struct PrecomputedTransactionData: Sendable {
    /// BIP143's double-SHA256 hashes.
    struct WitnessV0Hashes: Equatable {
        let prevouts: Hash256
        let sequences: Hash256
        let outputs: Hash256
    }

    /// BIP341's single-SHA256 hashes.
    struct TaprootHashes: Equatable {
        let prevouts: Hash256
        let spentAmounts: Hash256
        let spentScripts: Hash256
        let sequences: Hash256
        let outputs: Hash256
    }

    /// The outputs spent by each input, in input order, when known (required for taproot).
    public let spentOutputs: [TxOut]?
    /// nil when no input needs them (a BIP143 sighash then computes them itself).
    let witnessV0: WitnessV0Hashes?
    /// nil when no input spends a taproot output, or the spent outputs are unknown.
    let taproot: TaprootHashes?

    /// Precomputes every hash `transaction` could need (for signing, where witnesses are still
    /// empty). `spentOutputs`, if given, must have one entry per input.
    public init(transaction: Transaction, spentOutputs: [TxOut]? = nil) {
        self.init(transaction: transaction, spentOutputs: spentOutputs, force: true)
    }

    /// Precomputes only what verifying `transaction`'s witnesses needs, as Core's
    /// `PrecomputedTransactionData::Init`: BIP341 hashes if a witness spends a 34-byte `OP_1`
    /// output, BIP143 hashes if a witness spends anything else.
    public init(verifying transaction: Transaction, spentOutputs: [TxOut]?) {
        self.init(transaction: transaction, spentOutputs: spentOutputs, force: false)
    }

    private init(transaction: Transaction, spentOutputs: [TxOut]?, force: Bool) {
        let known = spentOutputs.flatMap { $0.count == transaction.inputs.count ? $0 : nil }
        self.spentOutputs = known
        var usesWitnessV0 = force, usesTaproot = force
        for (index, input) in transaction.inputs.enumerated() where !input.witness.isEmpty {
            if usesWitnessV0 && usesTaproot { break }
            if let script = known?[index].scriptPubKey, script.count == 34, script[0] == Opcode.op1 {
                usesTaproot = true
            } else {
                usesWitnessV0 = true
            }
        }
        guard usesWitnessV0 || usesTaproot else {
            witnessV0 = nil
            taproot = nil
            return
        }
        let prevouts = Self.prevoutsHash(transaction), sequences = Self.sequencesHash(transaction)
        let outputs = Self.outputsHash(transaction)
        witnessV0 = usesWitnessV0
            ? WitnessV0Hashes(
                prevouts: Hashing.sha256(hash: prevouts), sequences: Hashing.sha256(hash: sequences),
                outputs: Hashing.sha256(hash: outputs))
            : nil
        if usesTaproot, let known {
            var amounts = SHA256Hasher(), scripts = ByteWriter()
            for output in known {
                amounts.update(littleEndian: output.value.satoshis)
                scripts.writeVarBytes(output.scriptPubKey)
            }
            taproot = TaprootHashes(
                prevouts: prevouts, spentAmounts: amounts.finalize(), spentScripts: Hashing.sha256(scripts.bytes),
                sequences: sequences, outputs: outputs)
        } else {
            taproot = nil
        }
    }

    /// The BIP143 hashes of `transaction`, computed on the spot.
    static func witnessV0Hashes(of transaction: Transaction) -> WitnessV0Hashes {
        WitnessV0Hashes(
            prevouts: Hashing.sha256(hash: prevoutsHash(transaction)), sequences: Hashing.sha256(hash: sequencesHash(transaction)),
            outputs: Hashing.sha256(hash: outputsHash(transaction)))
    }

    private static func prevoutsHash(_ transaction: Transaction) -> Hash256 {
        var hasher = SHA256Hasher()
        for input in transaction.inputs {
            hasher.update(input.previousOutput.txid.hash)
            hasher.update(littleEndian: input.previousOutput.index)
        }
        return hasher.finalize()
    }

    private static func sequencesHash(_ transaction: Transaction) -> Hash256 {
        var hasher = SHA256Hasher()
        for input in transaction.inputs { hasher.update(littleEndian: input.sequence) }
        return hasher.finalize()
    }

    private static func outputsHash(_ transaction: Transaction) -> Hash256 {
        var hasher = SHA256Hasher()
        for output in transaction.outputs {
            hasher.update(littleEndian: output.value.satoshis)
            hasher.update(compactSize: output.scriptPubKey.count)
            hasher.update(output.scriptPubKey)
        }
        return hasher.finalize()
    }
}
