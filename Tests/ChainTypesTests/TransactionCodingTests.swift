import ByteCodec
import ChainCrypto
import ChainParams
import ChainTypes
import Testing

@Suite struct TransactionCodingTests {
    static func sampleTransaction(witness: Bool) -> Transaction {
        let input = TxIn(
            previousOutput: OutPoint(txid: TxID(Hashing.sha256d([1])), index: 3), scriptSig: witness ? [] : [0x51],
            sequence: 0xffff_fffd, witness: witness ? [[0x30, 0x01], [0x02] + Array(repeating: 7, count: 32)] : [])
        let outputs = [
            TxOut(value: Amount(satoshis: 12_345), scriptPubKey: [0x00, 0x14] + Array(repeating: 9, count: 20)),
            TxOut(value: Amount(satoshis: 0), scriptPubKey: [0x6a]),
        ]
        return Transaction(version: 2, inputs: [input], outputs: outputs, lockTime: 500)
    }

    @Test func roundTripsWithAndWithoutWitness() throws {
        for witness in [false, true] {
            let transaction = Self.sampleTransaction(witness: witness)
            let decoded = try Transaction(serialized: transaction.serialized)
            #expect(decoded == transaction)
            #expect(decoded.serialized == transaction.serialized)
            #expect(decoded.txid == TxID(Hashing.sha256d(transaction.serializedWithoutWitness)))
            #expect((decoded.wtxid.hash == decoded.txid.hash) == !witness)
            #expect(decoded.weight == transaction.baseSize * 3 + transaction.totalSize)
        }
    }

    @Test func witnessFlagWithoutWitnessIsRejected() throws {
        // Marker and flag set, but every witness stack empty: Core's "Superfluous witness record".
        var bytes = Self.sampleTransaction(witness: true).serialized
        let withoutWitness = Self.sampleTransaction(witness: false)
        var writer = ByteWriter()
        writer.writeUInt32LE(2)
        writer.write([0x00, 0x01])
        let body = withoutWitness.serializedWithoutWitness
        writer.write(body[4..<(body.count - 4)])
        writer.write(0)  // empty witness for the one input
        writer.writeUInt32LE(withoutWitness.lockTime)
        #expect(throws: DecodingError.invalid("Superfluous witness record")) { try Transaction(serialized: writer.bytes) }
        // Unknown flag bits are rejected too.
        bytes[5] = 0x03
        #expect(throws: DecodingError.self) { try Transaction(serialized: bytes) }
    }

    @Test func truncationsAndTrailingBytesNeverTrap() {
        let bytes = Self.sampleTransaction(witness: true).serialized
        for length in 0..<bytes.count {
            #expect(throws: DecodingError.self) { try Transaction(serialized: Array(bytes.prefix(length))) }
        }
        #expect(throws: DecodingError.trailingBytes(count: 1)) { try Transaction(serialized: bytes + [0]) }
    }

    @Test func randomBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0..<300, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if let transaction = try? Transaction(serialized: bytes) {
                #expect(transaction.serialized == bytes, "a decoded transaction re-encodes to the same bytes")
            }
            _ = try? Block(serialized: bytes)
        }
    }

    @Test func hugeCountsFailWithoutAllocating() {
        // version, then an input count of 2^32-1 with no data behind it.
        let bytes: [UInt8] = [1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]
        #expect(throws: DecodingError.self) { try Transaction(serialized: bytes) }
    }
}
