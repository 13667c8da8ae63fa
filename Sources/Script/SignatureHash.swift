import ByteCodec
import ChainCrypto
import ChainTypes

/// Signature hashes: legacy (pre-segwit), BIP143 (segwit v0) and BIP341/342 (taproot).
public enum SignatureHash {
    /// The legacy hash `SignatureHash(scriptCode, tx, nIn, nHashType)`, quirks included: every
    /// OP_CODESEPARATOR is removed from the script code, and SIGHASH_SINGLE with no matching
    /// output signs the number 1.
    public static func legacy(transaction: Transaction, inputIndex: Int, scriptCode: [UInt8], hashType: Int32) -> Hash256 {
        let baseType = hashType & 0x1f
        let anyoneCanPay = hashType & Int32(SighashType.anyoneCanPay) != 0
        let single = baseType == Int32(SighashType.single)
        let none = baseType == Int32(SighashType.none)
        if single && inputIndex >= transaction.outputs.count {
            var one = [UInt8](repeating: 0, count: 32)
            one[0] = 1
            return Hash256(bytes: one) ?? .zero
        }
        var writer = ByteWriter(capacity: 256 + scriptCode.count)
        writer.writeUInt32LE(transaction.version)
        let inputIndices = anyoneCanPay ? [inputIndex] : Array(transaction.inputs.indices)
        writer.writeCompactSize(inputIndices.count)
        for index in inputIndices {
            let input = transaction.inputs[index]
            input.previousOutput.encode(to: &writer)
            if index == inputIndex {
                writeScriptCodeWithoutSeparators(scriptCode, to: &writer)
            } else {
                writer.writeCompactSize(0)
            }
            writer.writeUInt32LE(index != inputIndex && (single || none) ? 0 : input.sequence)
        }
        let outputCount = none ? 0 : (single ? inputIndex + 1 : transaction.outputs.count)
        writer.writeCompactSize(outputCount)
        for index in 0..<outputCount {
            if single && index != inputIndex {
                writer.writeInt64LE(-1)
                writer.writeCompactSize(0)
            } else {
                transaction.outputs[index].encode(to: &writer)
            }
        }
        writer.writeUInt32LE(transaction.lockTime)
        writer.writeInt32LE(hashType)
        return Hashing.sha256d(writer.bytes)
    }

    /// Core's `SerializeScriptCode`: the length excludes every OP_CODESEPARATOR; the bytes
    /// written stop where parsing stops (a truncated final push is cut, as in Core).
    static func writeScriptCodeWithoutSeparators(_ script: [UInt8], to writer: inout ByteWriter) {
        var parser = ScriptParser(script)
        var separators = 0
        while let instruction = parser.next() {
            if instruction.opcode == Opcode.codeSeparator { separators += 1 }
        }
        writer.writeCompactSize(script.count - separators)
        parser = ScriptParser(script)
        var segmentStart = 0
        while let instruction = parser.next() {
            if instruction.opcode == Opcode.codeSeparator {
                writer.write(script[segmentStart..<parser.position - 1])
                segmentStart = parser.position
            }
        }
        if segmentStart != script.count {
            writer.write(script[segmentStart..<max(segmentStart, parser.position)])
        }
    }

    /// The hash an ECDSA signature of `version` (legacy or segwit v0) commits to.
    public static func ecdsa(
        transaction: Transaction, inputIndex: Int, scriptCode: [UInt8], amount: Amount, hashType: Int32, version: SignatureVersion,
        precomputed: PrecomputedTransactionData
    ) -> Hash256 {
        version == .witnessV0
            ? witnessV0(
                transaction: transaction, inputIndex: inputIndex, scriptCode: scriptCode, amount: amount, hashType: hashType,
                precomputed: precomputed)
            : legacy(transaction: transaction, inputIndex: inputIndex, scriptCode: scriptCode, hashType: hashType)
    }

    /// The BIP143 segwit v0 hash.
    public static func witnessV0(
        transaction: Transaction, inputIndex: Int, scriptCode: [UInt8], amount: Amount, hashType: Int32,
        precomputed: PrecomputedTransactionData
    ) -> Hash256 {
        let baseType = hashType & 0x1f
        let anyoneCanPay = hashType & Int32(SighashType.anyoneCanPay) != 0
        let single = baseType == Int32(SighashType.single)
        let none = baseType == Int32(SighashType.none)
        let hashes = precomputed.witnessV0 ?? PrecomputedTransactionData.witnessV0Hashes(of: transaction)
        let hashPrevouts = anyoneCanPay ? Hash256.zero : hashes.prevouts
        let hashSequence = anyoneCanPay || single || none ? Hash256.zero : hashes.sequences
        let hashOutputs: Hash256
        if !single && !none {
            hashOutputs = hashes.outputs
        } else if single && inputIndex < transaction.outputs.count {
            hashOutputs = Hashing.sha256d(transaction.outputs[inputIndex].serialized)
        } else {
            hashOutputs = .zero
        }
        // The preimage is streamed into the hasher: nothing is allocated per signature.
        let input = transaction.inputs[inputIndex]
        var hasher = SHA256Hasher()
        hasher.update(littleEndian: transaction.version)
        hasher.update(hashPrevouts)
        hasher.update(hashSequence)
        hasher.update(input.previousOutput.txid.hash)
        hasher.update(littleEndian: input.previousOutput.index)
        hasher.update(compactSize: scriptCode.count)
        hasher.update(scriptCode)
        hasher.update(littleEndian: amount.satoshis)
        hasher.update(littleEndian: input.sequence)
        hasher.update(hashOutputs)
        hasher.update(littleEndian: transaction.lockTime)
        hasher.update(littleEndian: hashType)
        return Hashing.sha256(hash: hasher.finalize())
    }

    /// The BIP341 hash (`SigMsg` under the TapSighash tag) for a key-path (`.taproot`) or
    /// script-path (`.tapscript`) signature. Returns nil for an undefined hash type, SIGHASH_SINGLE
    /// without a matching output, or when the spent outputs are unknown.
    public static func taproot(
        transaction: Transaction, inputIndex: Int, hashType: UInt8, signatureVersion: SignatureVersion,
        precomputed: PrecomputedTransactionData, execution: inout ScriptExecutionData
    ) -> Hash256? {
        guard let spentOutputs = precomputed.spentOutputs, let hashes = precomputed.taproot else { return nil }
        guard hashType <= 0x03 || (0x81...0x83).contains(hashType) else { return nil }
        let outputType = hashType == SighashType.default ? SighashType.all : hashType & 0x03
        let anyoneCanPay = hashType & SighashType.anyoneCanPay != 0
        var writer = ByteWriter(capacity: 256)
        writer.write(0)  // epoch
        writer.write(hashType)
        writer.writeUInt32LE(transaction.version)
        writer.writeUInt32LE(transaction.lockTime)
        if !anyoneCanPay {
            hashes.prevouts.encode(to: &writer)
            hashes.spentAmounts.encode(to: &writer)
            hashes.spentScripts.encode(to: &writer)
            hashes.sequences.encode(to: &writer)
        }
        if outputType == SighashType.all {
            hashes.outputs.encode(to: &writer)
        }
        let extensionFlag: UInt8 = signatureVersion == .tapscript ? 1 : 0
        writer.write(extensionFlag << 1 | (execution.annexHash == nil ? 0 : 1))
        if anyoneCanPay {
            let input = transaction.inputs[inputIndex]
            input.previousOutput.encode(to: &writer)
            spentOutputs[inputIndex].encode(to: &writer)
            writer.writeUInt32LE(input.sequence)
        } else {
            writer.writeUInt32LE(UInt32(inputIndex))
        }
        if let annexHash = execution.annexHash { annexHash.encode(to: &writer) }
        if outputType == SighashType.single {
            guard inputIndex < transaction.outputs.count else { return nil }
            if execution.singleOutputHash == nil {
                execution.singleOutputHash = Hashing.sha256(transaction.outputs[inputIndex].serialized)
            }
            execution.singleOutputHash?.encode(to: &writer)
        }
        if signatureVersion == .tapscript {
            execution.tapleafHash.encode(to: &writer)
            writer.write(0)  // key version
            writer.writeUInt32LE(execution.codeSeparatorPosition)
        }
        return TaggedHash.tapSighash.hash(writer.bytes)
    }
}
