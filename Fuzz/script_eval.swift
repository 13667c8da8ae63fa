/// libFuzzer harness `script_eval`.
///
/// Runs `ScriptVerifier.verify` on a scriptSig, scriptPubKey and witness taken from the fuzzer's
/// bytes, the way Bitcoin Core's script tests do: a crediting transaction (version 1, one input
/// spending the null outpoint with scriptSig `OP_0 OP_0`, one output holding the amount and the
/// scriptPubKey) and a spending transaction (version 1, one input spending output 0 of the crediting
/// transaction with the scriptSig and witness, one output of the same amount with an empty script),
/// checked by a `TransactionSignatureChecker` for input 0. Any script may fail (`verify` throws);
/// none may trap.
///
/// Input layout (all integers little-endian; a missing or short field reads as zeros / as the bytes
/// that remain):
///
///     flags      4 bytes  ScriptVerifyFlags bits (unknown bits are ignored)
///     amount     8 bytes  value of the output being spent, in satoshis (Int64)
///     scriptSig  2-byte length, then that many bytes
///     scriptPubKey  2-byte length, then that many bytes
///     witness    zero or more items, each a 2-byte length then that many bytes, until the input ends
///
/// Flags are adjusted to the combinations Core considers valid: CLEANSTACK brings WITNESS and P2SH
/// along, and WITNESS brings P2SH.
///
/// Built and run by `Scripts/fuzz script_eval` (see that script for the build recipe and seeds).
import ChainTypes
import Script

@_cdecl("LLVMFuzzerTestOneInput")
public func scriptEvalFuzzTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)
    var input = FuzzInput(buffer)

    var flags = ScriptVerifyFlags(rawValue: UInt32(truncatingIfNeeded: input.readLittleEndian(bytes: 4)) & knownFlags.rawValue)
    if flags.contains(.cleanStack) { flags.formUnion([.witness, .p2sh]) }
    if flags.contains(.witness) { flags.insert(.p2sh) }
    let amount = Amount(satoshis: Int64(bitPattern: input.readLittleEndian(bytes: 8)))
    let scriptSig = input.readChunk()
    let scriptPubKey = input.readChunk()
    var witness: [[UInt8]] = []
    while !input.isAtEnd { witness.append(input.readChunk()) }

    let credit = Transaction(
        version: 1,
        inputs: [TxIn(previousOutput: .null, scriptSig: [Opcode.op0, Opcode.op0], sequence: TxIn.finalSequence)],
        outputs: [TxOut(value: amount, scriptPubKey: scriptPubKey)], lockTime: 0)
    let spend = Transaction(
        version: 1,
        inputs: [TxIn(previousOutput: OutPoint(txid: credit.txid, index: 0), scriptSig: scriptSig,
                      sequence: TxIn.finalSequence, witness: witness)],
        outputs: [TxOut(value: amount, scriptPubKey: [])], lockTime: 0)
    let checker = TransactionSignatureChecker(
        transaction: spend, inputIndex: 0, amount: amount,
        precomputed: PrecomputedTransactionData(transaction: spend, spentOutputs: [credit.outputs[0]]))
    do {
        try ScriptVerifier.verify(
            scriptSig: scriptSig, scriptPubKey: scriptPubKey, witness: witness, flags: flags, checker: checker)
    } catch {
        // A failing script is an ordinary outcome; only traps are bugs.
    }
    return 0
}

/// Every flag the verifier knows (bits 0 through 20).
private let knownFlags = ScriptVerifyFlags(ScriptVerifyFlags.byName.values)

/// Reads the harness's length-prefixed layout from the fuzzer's bytes without ever failing.
private struct FuzzInput {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }

    /// Up to `count` bytes as a little-endian integer; missing bytes read as zero.
    mutating func readLittleEndian(bytes count: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<count where position < bytes.count {
            value |= UInt64(bytes[position]) << (8 * UInt64(index))
            position += 1
        }
        return value
    }

    /// A 2-byte length, then that many bytes (or as many as remain).
    mutating func readChunk() -> [UInt8] {
        let length = Int(readLittleEndian(bytes: 2))
        let end = min(position + length, bytes.count)
        defer { position = end }
        return position < end ? Array(bytes[position..<end]) : []
    }
}
