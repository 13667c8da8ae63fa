import ByteCodec
import ChainTypes

/// The mempool saved across restarts, in Bitcoin Core's `mempool.dat` version 1 layout: version,
/// count, then per transaction its serialization (with witness), entry time and fee delta, then
/// the fee deltas map and the unbroadcast set (both written empty, read and ignored).
public enum MempoolFile {
    public static let version: UInt64 = 1

    /// One saved transaction.
    public struct Record: Sendable, Equatable {
        public let transaction: Transaction
        public let time: Int64
        public let feeDelta: Int64
    }

    /// The file's bytes for `entries` (in the order given: parents first).
    public static func encode(_ entries: [MempoolEntry]) -> [UInt8] {
        var writer = ByteWriter(capacity: entries.reduce(32) { $0 + $1.transaction.totalSize + 16 })
        writer.writeUInt64LE(version)
        writer.writeUInt64LE(UInt64(entries.count))
        for entry in entries {
            entry.transaction.encode(to: &writer)
            writer.writeInt64LE(entry.time)
            writer.writeInt64LE(0)
        }
        writer.writeCompactSize(0)  // fee deltas
        writer.writeCompactSize(0)  // unbroadcast txids
        return writer.bytes
    }

    /// The records of a saved file; throws on any other version or damaged data (a count is
    /// believed only as far as the bytes left can hold it).
    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> [Record] {
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
        return records
    }
}
