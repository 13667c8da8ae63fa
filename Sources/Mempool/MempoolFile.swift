import ByteCodec
import ChainCrypto
import ChainTypes

/// The mempool saved across restarts, in Bitcoin Core's `mempool.dat` version 1 layout: version,
/// count, then per transaction its serialization (with witness), entry time and fee delta, then
/// the fee deltas of transactions not in the pool, and the unbroadcast set (written empty).
public enum MempoolFile {
    public static let version: UInt64 = 1

    /// One saved transaction.
    public struct Record: Sendable, Equatable {
        public let transaction: Transaction
        public let time: Int64
        public let feeDelta: Int64
    }

    /// The file's bytes for `entries` (in the order given: parents first).
    public static func encode(_ entries: [MempoolEntry], feeDeltas: [TxID: Int64] = [:]) -> [UInt8] {
        var writer = ByteWriter(capacity: entries.reduce(32) { $0 + $1.transaction.totalSize + 16 })
        writer.writeUInt64LE(version)
        writer.writeUInt64LE(UInt64(entries.count))
        for entry in entries {
            entry.transaction.encode(to: &writer)
            writer.writeInt64LE(entry.time)
            writer.writeInt64LE(feeDeltas[entry.transaction.txid] ?? 0)
        }
        let pooled = Set(entries.map(\.transaction.txid))
        let others = feeDeltas.filter { !pooled.contains($0.key) }.sorted { $0.key.hash < $1.key.hash }
        writer.writeCompactSize(others.count)
        for (txid, delta) in others {
            txid.hash.encode(to: &writer)
            writer.writeInt64LE(delta)
        }
        writer.writeCompactSize(0)  // unbroadcast txids
        return writer.bytes
    }

    /// The records of a saved file and the fee deltas of transactions not in it; throws on any
    /// other version or damaged data (a count is believed only as far as the bytes left can hold it).
    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> (records: [Record], feeDeltas: [TxID: Int64]) {
        var reader = ByteReader(bytes)
        let fileVersion = try reader.readUInt64LE()
        guard fileVersion == version else { throw .invalid("mempool file version \(fileVersion), expected \(version)") }
        let count = try reader.readUInt64LE()
        // The smallest transaction is 60 bytes; with time and delta 76.
        guard count <= UInt64(reader.remaining / 76) else { throw .invalid("mempool file claims \(count) transactions") }
        var records: [Record] = []
        records.reserveCapacity(Int(count))
        for _ in 0..<count {
            let transaction = try Transaction(from: &reader)
            records.append(Record(transaction: transaction, time: try reader.readInt64LE(), feeDelta: try reader.readInt64LE()))
        }
        var deltas: [TxID: Int64] = [:]
        let deltaCount = try reader.readCount(minimumElementSize: 40)
        for _ in 0..<deltaCount {
            let txid = TxID(try Hash256(from: &reader))
            deltas[txid] = try reader.readInt64LE()
        }
        return (records, deltas)
    }
}
