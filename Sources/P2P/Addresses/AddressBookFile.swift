import ByteCodec
import ChainCrypto
import P2PWire

/// The address manager saved across restarts, in our own format (Core's `peers.dat` is not
/// read):
///
///     magic "rADB" · version 1 · key (32) · lastGood (i64)
///     · CompactSize entry count, then per entry in the manager's random order:
///       ip (16) · port (u16 BE) · services (u64) · time, lastTry, lastCountAttempt,
///       lastSuccess (i64 each) · attempts (u32) · source group (CompactSize length, bytes)
///       · CompactSize n, then n new-table buckets (u16 each); n = 0 means in the tried table
///     · SHA-256 of everything before (32)
///
/// Integers are little-endian unless marked. Slots are not stored: they are derived again from
/// the key, so loading puts every entry back exactly where it was.
enum AddressBookFile {
    static let magic: [UInt8] = Array("rADB".utf8)
    static let version: UInt8 = 1
    /// Times outside 0...2^40 seconds are refused as corrupt (they would overflow arithmetic).
    static let maxTime: Int64 = 1 << 40
    /// The smallest entry: 16 + 2 + 8 + 4 × 8 + 4 + 2 + 1 bytes.
    static let minimumEntrySize = 65
    static let checksumSize = 32

    /// One entry as stored.
    private struct Record {
        var entry: AddressEntry
        var newBuckets: [Int]
    }

    static func encode(_ manager: AddressManager) -> [UInt8] {
        var bucketsOf: [Int: [UInt16]] = [:]
        for (index, id) in manager.newTable.enumerated() where id >= 0 {
            bucketsOf[id, default: []].append(UInt16(index / AddressBucketing.bucketSize))
        }
        let stored = manager.randomOrder.compactMap { id in manager.entries[id].map { (id, $0) } }
        var writer = ByteWriter(capacity: 64 + stored.count * (minimumEntrySize + 8))
        writer.write(magic)
        writer.write(version)
        manager.key.encode(to: &writer)
        writer.writeInt64LE(manager.lastGood)
        writer.writeCompactSize(stored.count)
        for (id, entry) in stored {
            writer.write(entry.key.ip)
            writer.writeUInt16BE(entry.key.port)
            writer.writeUInt64LE(entry.services.rawValue)
            for time in [entry.time, entry.lastTry, entry.lastCountAttempt, entry.lastSuccess] {
                writer.writeInt64LE(time)
            }
            writer.writeUInt32LE(UInt32(clamping: entry.attempts))
            writer.writeVarBytes(entry.sourceGroup.bytes)
            let buckets = entry.isInTried ? [] : bucketsOf[id, default: []]
            writer.writeCompactSize(buckets.count)
            buckets.forEach { writer.writeUInt16LE($0) }
        }
        writer.write(Hashing.sha256(writer.bytes).bytes)
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8], allowsNonRoutable: Bool) throws(AddressBookError) -> AddressManager {
        guard bytes.starts(with: magic) else { throw .notAnAddressBook }
        guard bytes.count > magic.count else { throw .malformed(.truncated(needed: 1, available: 0)) }
        guard bytes[magic.count] == version else { throw .unsupportedVersion(bytes[magic.count]) }
        guard bytes.count >= magic.count + 1 + checksumSize else {
            throw .malformed(.truncated(needed: magic.count + 1 + checksumSize, available: bytes.count))
        }
        let body = Array(bytes.dropLast(checksumSize))
        guard Hashing.sha256(body).bytes.elementsEqual(bytes.suffix(checksumSize)) else { throw .checksumMismatch }

        var reader = ByteReader(body)
        let key: Hash256
        let lastGood: Int64
        var records: [Record] = []
        do throws(DecodingError) {
            try reader.skip(magic.count + 1)
            key = try Hash256(from: &reader)
            lastGood = try readTime(&reader)
            let count = try reader.readCount(minimumElementSize: minimumEntrySize, limit: AddressManager.capacity)
            records.reserveCapacity(count)
            for _ in 0..<count {
                records.append(try readRecord(&reader))
            }
            try reader.expectEnd()
        } catch {
            throw .malformed(error)
        }

        var manager = AddressManager(key: key, allowsNonRoutable: allowsNonRoutable)
        manager.lastGood = lastGood
        for record in records {
            try restore(record, into: &manager)
        }
        return manager
    }

    private static func readTime(_ reader: inout ByteReader) throws(DecodingError) -> Int64 {
        let time = try reader.readInt64LE()
        guard (0...maxTime).contains(time) else { throw .invalid("time \(time) out of range") }
        return time
    }

    private static func readRecord(_ reader: inout ByteReader) throws(DecodingError) -> Record {
        let ip = try reader.readBytes(16)
        let port = try reader.readUInt16BE()
        let services = ServiceFlags(rawValue: try reader.readUInt64LE())
        guard let key = AddressKey(NetworkAddress(services: services, ip: ip, port: port)) else { throw .invalid("bad address") }
        let time = try readTime(&reader)
        var entry = AddressEntry(key: key, services: services, time: time, sourceGroup: AddressGroup(bytes: []))
        entry.lastTry = try readTime(&reader)
        entry.lastCountAttempt = try readTime(&reader)
        entry.lastSuccess = try readTime(&reader)
        entry.attempts = Int(try reader.readUInt32LE())
        let group = try reader.readVarBytes(maxLength: AddressGroup.maxLength)
        guard !group.isEmpty else { throw .invalid("empty source group") }
        entry.sourceGroup = AddressGroup(bytes: group)
        let bucketCount = try reader.readCompactSize(limit: AddressManager.newBucketsPerAddress)
        var buckets: [Int] = []
        for _ in 0..<bucketCount {
            let bucket = Int(try reader.readUInt16LE())
            guard bucket < AddressBucketing.newBucketCount, !buckets.contains(bucket) else { throw .invalid("bad new bucket \(bucket)") }
            buckets.append(bucket)
        }
        return Record(entry: entry, newBuckets: buckets)
    }

    /// Puts a stored entry back into its slots. Entries the manager does not accept (non-routable
    /// ones saved with `allowsNonRoutable`, loaded without) are dropped.
    private static func restore(_ record: Record, into manager: inout AddressManager) throws(AddressBookError) {
        var entry = record.entry
        guard manager.accepts(entry.address) else { return }
        guard manager.ids[entry.key] == nil else { throw .inconsistent("an address is stored twice") }
        if record.newBuckets.isEmpty {
            let index = manager.triedIndex(of: entry)
            guard manager.triedTable[index] < 0 else { throw .inconsistent("two addresses in tried slot \(index)") }
            entry.isInTried = true
            manager.triedTable[index] = manager.insert(entry)
            manager.triedCount += 1
        } else {
            let indices = record.newBuckets.map { manager.newIndex(of: entry.key, bucket: $0) }
            if let taken = indices.first(where: { manager.newTable[$0] >= 0 }) {
                throw .inconsistent("two addresses in new slot \(taken)")
            }
            entry.referenceCount = indices.count
            let id = manager.insert(entry)
            indices.forEach { manager.newTable[$0] = id }
            manager.newCount += 1
        }
    }
}

extension AddressManager {
    /// The manager's state (key, entries, their new buckets) in the versioned, checksummed
    /// format of `AddressBookFile`.
    public func serialized() -> [UInt8] {
        AddressBookFile.encode(self)
    }

    /// A manager loaded from `serialized()` bytes, every entry back in the slots it had. Throws on
    /// bytes that are not such a file, or damaged or inconsistent ones; never traps. Entries not
    /// accepted under `allowsNonRoutable` are dropped.
    public init(serialized bytes: [UInt8], allowsNonRoutable: Bool = false) throws(AddressBookError) {
        self = try AddressBookFile.decode(bytes, allowsNonRoutable: allowsNonRoutable)
    }
}
