import ByteCodec
import ChainTypes
import Script

/// Decodes hex transactions as Bitcoin Core's `DecodeHexTx` (src/core_read.cpp): tries the
/// extended (segwit) and the legacy serialization, keeps those that consume every byte, and
/// prefers one whose scripts are sane when both succeed.
public enum RawTransactionDecoder {
    /// Which serializations to try.
    public enum Mode: Sendable, Hashable {
        /// Both, choosing by heuristics (the default of `decoderawtransaction`).
        case either
        /// Only the extended serialization (`iswitness` true).
        case witness
        /// Only the legacy serialization (`iswitness` false).
        case legacy

        /// The mode of `decoderawtransaction`'s `iswitness` argument.
        public init(isWitness: Bool?) {
            switch isWitness {
            case nil: self = .either
            case true?: self = .witness
            case false?: self = .legacy
            }
        }
    }

    /// The transaction in `hex`, or nil when no allowed serialization decodes it exactly.
    public static func decode(hex: String, mode: Mode = .either) -> Transaction? {
        guard ParameterParsing.isHex(hex), let bytes = try? Hex.decode(hex) else { return nil }
        return decode(bytes: bytes, mode: mode)
    }

    /// The transaction in `bytes`, or nil when no allowed serialization decodes it exactly.
    public static func decode(bytes: [UInt8], mode: Mode = .either) -> Transaction? {
        var extended: Transaction?
        if mode != .legacy {
            var reader = ByteReader(bytes)
            if let transaction = try? Transaction(from: &reader), reader.isAtEnd { extended = transaction }
        }
        if let extended, hasSaneScripts(extended) { return extended }
        var legacy: Transaction?
        if mode != .witness {
            var reader = ByteReader(bytes)
            if let transaction = try? decodeLegacy(&reader), reader.isAtEnd { legacy = transaction }
        }
        if let legacy, hasSaneScripts(legacy) { return legacy }
        return extended ?? legacy
    }

    /// The serialization without the segwit marker: an empty input list is just that.
    static func decodeLegacy(_ reader: inout ByteReader) throws(DecodingError) -> Transaction {
        let version = try reader.readUInt32LE()
        let inputCount = try reader.readCount(minimumElementSize: 41)
        var inputs: [TxIn] = []
        for _ in 0..<inputCount {
            let outpoint = try OutPoint(from: &reader)
            let scriptSig = try reader.readVarBytes()
            let sequence = try reader.readUInt32LE()
            inputs.append(TxIn(previousOutput: outpoint, scriptSig: scriptSig, sequence: sequence))
        }
        let outputCount = try reader.readCount(minimumElementSize: 9)
        var outputs: [TxOut] = []
        for _ in 0..<outputCount { outputs.append(try TxOut(from: &reader)) }
        let lockTime = try reader.readUInt32LE()
        return Transaction(version: version, inputs: inputs, outputs: outputs, lockTime: lockTime)
    }

    /// Core's `CheckTxScriptsSanity`: scriptSigs (except a coinbase's) and scriptPubKeys have
    /// valid opcodes and fit the script size limit.
    static func hasSaneScripts(_ transaction: Transaction) -> Bool {
        func sane(_ script: [UInt8]) -> Bool {
            ScriptFormatting.hasValidOps(script) && script.count <= Interpreter.maxScriptSize
        }
        if !transaction.isCoinbase, !transaction.inputs.allSatisfy({ sane($0.scriptSig) }) { return false }
        return transaction.outputs.allSatisfy { sane($0.scriptPubKey) }
    }
}
