import ByteCodec
import ChainCrypto

/// A Bitcoin-format transaction. Immutable: its txid and wtxid are computed once at creation.
public struct Transaction: Hashable, Sendable {
    public let version: UInt32
    public let inputs: [TxIn]
    public let outputs: [TxOut]
    public let lockTime: UInt32
    public let txid: TxID
    public let wtxid: WTxID
    /// Size in bytes without witness data.
    public let baseSize: Int
    /// Size in bytes of the full serialization.
    public let totalSize: Int

    /// Assembles a transaction and computes its ids.
    public init(version: UInt32 = 2, inputs: [TxIn], outputs: [TxOut], lockTime: UInt32 = 0) {
        self.version = version
        self.inputs = inputs
        self.outputs = outputs
        self.lockTime = lockTime
        let hasWitness = inputs.contains { !$0.witness.isEmpty }
        var writer = ByteWriter(capacity: 256)
        Self.write(version: version, inputs: inputs, outputs: outputs, lockTime: lockTime, witness: false, to: &writer)
        txid = TxID(Hashing.sha256d(writer.bytes))
        baseSize = writer.bytes.count
        if hasWitness {
            var full = ByteWriter(capacity: writer.bytes.count * 2)
            Self.write(version: version, inputs: inputs, outputs: outputs, lockTime: lockTime, witness: true, to: &full)
            wtxid = WTxID(Hashing.sha256d(full.bytes))
            totalSize = full.bytes.count
        } else {
            wtxid = WTxID(txid.hash)
            totalSize = baseSize
        }
    }

    /// True when any input carries witness data.
    public var hasWitness: Bool { inputs.contains { !$0.witness.isEmpty } }

    /// A coinbase has exactly one input, spending the null outpoint.
    public var isCoinbase: Bool { inputs.count == 1 && inputs[0].previousOutput.isNull }

    /// Serialization without witness data (what the txid commits to).
    public var serializedWithoutWitness: [UInt8] {
        var writer = ByteWriter(capacity: 256)
        Self.write(version: version, inputs: inputs, outputs: outputs, lockTime: lockTime, witness: false, to: &writer)
        return writer.bytes
    }

    /// BIP141 weight: base size × 3 + total size.
    public var weight: Int { baseSize * 3 + totalSize }
    /// Virtual size: weight / 4, rounded up.
    public var virtualSize: Int { (weight + 3) / 4 }

    /// The sum of output values, or nil if any value or the running sum leaves the money range.
    public var totalOutputValue: Amount? {
        var total = Amount.zero
        for output in outputs {
            guard output.value.isInMoneyRange, let sum = total.adding(output.value) else { return nil }
            total = sum
        }
        return total
    }

    static func write(version: UInt32, inputs: [TxIn], outputs: [TxOut], lockTime: UInt32, witness: Bool, to writer: inout ByteWriter) {
        let withWitness = witness && inputs.contains { !$0.witness.isEmpty }
        writer.writeUInt32LE(version)
        if withWitness {
            writer.write(0)  // marker: an empty input vector
            writer.write(1)  // flag
        }
        writer.writeCompactSize(inputs.count)
        for input in inputs {
            input.previousOutput.encode(to: &writer)
            writer.writeVarBytes(input.scriptSig)
            writer.writeUInt32LE(input.sequence)
        }
        writer.writeCompactSize(outputs.count)
        for output in outputs { output.encode(to: &writer) }
        if withWitness {
            for input in inputs {
                writer.writeCompactSize(input.witness.count)
                for item in input.witness { writer.writeVarBytes(item) }
            }
        }
        writer.writeUInt32LE(lockTime)
    }
}

extension Transaction: BinaryCodable {
    /// Smallest possible input encoding: outpoint 36 + script length 1 + sequence 4.
    static let minimumInputSize = 41
    /// Smallest possible output encoding: value 8 + script length 1.
    static let minimumOutputSize = 9

    /// Decodes as Bitcoin Core's `UnserializeTransaction` with witness allowed: an empty input
    /// vector followed by flag 1 introduces witness data, which must not be entirely empty.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let version = try reader.readUInt32LE()
        var inputs = try Self.readInputs(&reader)
        var outputs: [TxOut] = []
        var flags: UInt8 = 0
        if inputs.isEmpty {
            flags = try reader.readUInt8()
            if flags != 0 {
                inputs = try Self.readInputs(&reader)
                outputs = try Self.readOutputs(&reader)
            }
        } else {
            outputs = try Self.readOutputs(&reader)
        }
        if flags & 1 != 0 {
            flags ^= 1
            for index in inputs.indices {
                let count = try reader.readCount(minimumElementSize: 1)
                var stack: [[UInt8]] = []
                stack.reserveCapacity(count)
                for _ in 0..<count { stack.append(try reader.readVarBytes()) }
                inputs[index].witness = stack
            }
            if !inputs.contains(where: { !$0.witness.isEmpty }) { throw .invalid("Superfluous witness record") }
        }
        if flags != 0 { throw .invalid("Unknown transaction optional data") }
        let lockTime = try reader.readUInt32LE()
        self.init(version: version, inputs: inputs, outputs: outputs, lockTime: lockTime)
    }

    private static func readInputs(_ reader: inout ByteReader) throws(DecodingError) -> [TxIn] {
        let count = try reader.readCount(minimumElementSize: minimumInputSize)
        var inputs: [TxIn] = []
        inputs.reserveCapacity(count)
        for _ in 0..<count {
            let outpoint = try OutPoint(from: &reader)
            let scriptSig = try reader.readVarBytes()
            let sequence = try reader.readUInt32LE()
            inputs.append(TxIn(previousOutput: outpoint, scriptSig: scriptSig, sequence: sequence))
        }
        return inputs
    }

    private static func readOutputs(_ reader: inout ByteReader) throws(DecodingError) -> [TxOut] {
        let count = try reader.readCount(minimumElementSize: minimumOutputSize)
        var outputs: [TxOut] = []
        outputs.reserveCapacity(count)
        for _ in 0..<count { outputs.append(try TxOut(from: &reader)) }
        return outputs
    }

    public func encode(to writer: inout ByteWriter) {
        Self.write(version: version, inputs: inputs, outputs: outputs, lockTime: lockTime, witness: true, to: &writer)
    }
}

extension Transaction {
    /// A copy with some parts replaced (ids are recomputed).
    public func with(version: UInt32? = nil, inputs: [TxIn]? = nil, outputs: [TxOut]? = nil, lockTime: UInt32? = nil) -> Transaction {
        Transaction(version: version ?? self.version, inputs: inputs ?? self.inputs, outputs: outputs ?? self.outputs,
                    lockTime: lockTime ?? self.lockTime)
    }
}
