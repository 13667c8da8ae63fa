/// libFuzzer harness `transaction_decode`.
///
/// Feeds the fuzzer's bytes to `Transaction(serialized:)`. Decoding arbitrary bytes must never trap:
/// malformed input has to come back as a thrown `DecodingError`. When decoding succeeds the harness
/// checks invariants that hold for every well-formed transaction and traps deliberately
/// (`fatalError`) when one breaks, so that the fuzzer records the input as a crash:
///
/// - re-serializing gives back exactly the input bytes (the wire format has one encoding per value,
///   so a decoder that accepts two encodings of the same transaction, or an encoder that drops or
///   reorders data, shows up here);
/// - the witness-stripped serialization decodes again, to a transaction with the same txid;
/// - the wtxid equals the txid exactly when the transaction carries no witness.
///
/// Built and run by `Scripts/fuzz transaction_decode` (see that script for the build recipe).
import ByteCodec
import ChainTypes

@_cdecl("LLVMFuzzerTestOneInput")
public func transactionDecodeFuzzTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes: [UInt8] = if let data, size > 0 { Array(UnsafeBufferPointer(start: data, count: size)) } else { [] }
    let transaction: Transaction
    do {
        transaction = try Transaction(serialized: bytes)
    } catch {
        return 0  // Rejecting malformed input is the expected outcome for most inputs.
    }

    let reserialized = transaction.serialized
    if reserialized != bytes {
        fatalError("transaction round trip mismatch: input \(bytes.hexString) re-serialized as \(reserialized.hexString)")
    }

    let stripped = transaction.serializedWithoutWitness
    do {
        let decoded = try Transaction(serialized: stripped)
        if decoded.txid != transaction.txid || decoded.hasWitness {
            fatalError("witness-stripped serialization \(stripped.hexString) decodes to a different transaction")
        }
    } catch {
        fatalError("witness-stripped serialization \(stripped.hexString) does not decode: \(error)")
    }
    if (transaction.wtxid.hash == transaction.txid.hash) == transaction.hasWitness {
        fatalError("wtxid/txid relation wrong for \(bytes.hexString) (hasWitness \(transaction.hasWitness))")
    }

    // Derived values must be computable for anything the decoder accepts.
    _ = transaction.weight
    _ = transaction.virtualSize
    _ = transaction.totalOutputValue
    _ = transaction.isCoinbase
    return 0
}
