/// libFuzzer harness `block_decode`.
///
/// Feeds the fuzzer's bytes to `Block(serialized:)`. Decoding arbitrary bytes must never trap:
/// malformed input has to come back as a thrown `DecodingError`. When decoding succeeds the harness
/// checks invariants that hold for every well-formed block and traps deliberately (`fatalError`)
/// when one breaks, so that the fuzzer records the input as a crash:
///
/// - re-serializing gives back exactly the input bytes;
/// - the header re-serializes to the first 80 input bytes, and each transaction re-serializes to
///   bytes that decode back to the same transaction.
///
/// It also computes what block validation derives from a decoded block (hash, both merkle roots,
/// the witness commitment position, weight), none of which may trap.
///
/// Built and run by `Scripts/fuzz block_decode` (see that script for the build recipe).
import ByteCodec
import ChainTypes

@_cdecl("LLVMFuzzerTestOneInput")
public func blockDecodeFuzzTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes: [UInt8] = if let data, size > 0 { Array(UnsafeBufferPointer(start: data, count: size)) } else { [] }
    let block: Block
    do {
        block = try Block(serialized: bytes)
    } catch {
        return 0  // Rejecting malformed input is the expected outcome for most inputs.
    }

    let reserialized = block.serialized
    if reserialized != bytes {
        fatalError("block round trip mismatch: input \(bytes.hexString) re-serialized as \(reserialized.hexString)")
    }
    let header = block.header.serialized
    if header.count != BlockHeader.size || header[...] != bytes.prefix(BlockHeader.size) {
        fatalError("header re-serialization \(header.hexString) differs from the input's first 80 bytes")
    }
    for transaction in block.transactions {
        let encoded = transaction.serialized
        guard let decoded = try? Transaction(serialized: encoded), decoded == transaction else {
            fatalError("transaction \(encoded.hexString) inside a decoded block does not round-trip")
        }
    }

    _ = block.hash
    _ = block.computeMerkleRoot()
    _ = block.computeWitnessMerkleRoot()
    _ = block.witnessCommitmentIndex
    _ = block.weight
    return 0
}
