import ByteCodec
import ChainCrypto
import ChainTypes
import Testing
@testable import Mempool

/// `mempool.dat` (Core's version 1 layout) round-trips, and a damaged or hostile file is refused
/// with an error, never a trap or a huge allocation.
@Suite struct MempoolFileTests {
    static func entry(_ tag: UInt8, time: Int64) -> MempoolEntry {
        let transaction = Transaction(
            version: 2,
            inputs: [TxIn(previousOutput: OutPoint(txid: TxID(Hashing.sha256d([tag])), index: 1), sequence: 7, witness: [[tag, tag]])],
            outputs: [TxOut(value: Amount(satoshis: 5_000), scriptPubKey: [0, 20] + [UInt8](repeating: tag, count: 20))])
        return MempoolEntry(transaction: transaction, fee: Amount(satoshis: 300), virtualSize: transaction.virtualSize, sigopCost: 1, time: time, height: 5)
    }

    @Test func roundTripsInCoreLayout() throws {
        let entries = [Self.entry(1, time: 1_700_000_000), Self.entry(2, time: 1_700_000_100)]
        let bytes = MempoolFile.encode(entries)
        // version 1, count 2, first transaction right after.
        #expect(Array(bytes[0..<16]) == [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[16..<(16 + entries[0].transaction.totalSize)]) == entries[0].transaction.serialized)
        let (records, others) = try MempoolFile.decode(bytes)
        #expect(others.isEmpty)
        #expect(records.map(\.transaction) == entries.map(\.transaction))
        #expect(records.map(\.time) == [1_700_000_000, 1_700_000_100] && records.allSatisfy { $0.feeDelta == 0 })
        #expect(try MempoolFile.decode(MempoolFile.encode([])).records.isEmpty)
        // Fee deltas: per transaction in the pool, in the map for the others.
        let outside = TxID(Hashing.sha256d([9]))
        let withDeltas = try MempoolFile.decode(MempoolFile.encode(entries, feeDeltas: [entries[1].transaction.txid: -50, outside: 700]))
        #expect(withDeltas.records.map(\.feeDelta) == [0, -50] && withDeltas.feeDeltas == [outside: 700])
    }

    @Test func damagedFilesAreRefused() {
        let bytes = MempoolFile.encode([Self.entry(1, time: 1)])
        var otherVersion = bytes
        otherVersion[0] = 2
        #expect(throws: DecodingError.self) { try MempoolFile.decode(otherVersion) }
        #expect(throws: DecodingError.self) { try MempoolFile.decode(Array(bytes.dropLast(40))) }
        // A count no file of this size could hold is refused before anything is reserved.
        var hostile = bytes
        hostile.replaceSubrange(8..<16, with: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])
        #expect(throws: DecodingError.self) { try MempoolFile.decode(hostile) }
        #expect(throws: DecodingError.self) { try MempoolFile.decode([]) }
    }
}
