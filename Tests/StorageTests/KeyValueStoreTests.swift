import Foundation
import Storage
import StorageRocksDB
import Testing

/// The same contract checked against both stores.
@Suite struct KeyValueStoreTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rustyd-store-\(UUID().uuidString)").path
    }

    static func withStores(_ body: (any KeyValueStore) throws -> Void) throws {
        try body(InMemoryStore())
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(try RocksDBStore(path: path))
    }

    @Test func putGetDeleteInBatches() throws {
        try Self.withStores { (store: any KeyValueStore) throws in
            var batch = WriteBatch()
            batch.put([1, 2, 3], forKey: [0xaa], in: .coins)
            batch.put([4], forKey: [0xbb], in: .coins)
            batch.put([9], forKey: [0xaa], in: .blocks)
            try store.write(batch, durable: false)
            #expect(try store.value(forKey: [0xaa], in: .coins) == [1, 2, 3])
            #expect(try store.value(forKey: [0xaa], in: .blocks) == [9])
            #expect(try store.value(forKey: [0xcc], in: .coins) == nil)
            var second = WriteBatch()
            second.delete([0xaa], in: .coins)
            second.put([], forKey: [0xbb], in: .coins)
            try store.write(second, durable: true)
            #expect(try store.value(forKey: [0xaa], in: .coins) == nil)
            #expect(try store.value(forKey: [0xbb], in: .coins) == [])
        }
    }

    @Test func iterationIsOrderedFromTheStartKey() throws {
        try Self.withStores { (store: any KeyValueStore) throws in
            var batch = WriteBatch()
            for key: UInt8 in [5, 1, 9, 3, 7] { batch.put([key], forKey: [0x10, key], in: .coins) }
            batch.put([0], forKey: [0x20], in: .coins)
            try store.write(batch, durable: false)
            var seen: [[UInt8]] = []
            try store.forEach(in: .coins, from: [0x10, 3]) { key, _ in
                seen.append(key)
                return seen.count < 3
            }
            #expect(seen == [[0x10, 3], [0x10, 5], [0x10, 7]])
        }
    }

    @Test func snapshotsDoNotSeeLaterWrites() throws {
        try Self.withStores { (store: any KeyValueStore) throws in
            var batch = WriteBatch()
            batch.put([1], forKey: [1], in: .coins)
            try store.write(batch, durable: false)
            let snapshot = store.snapshot()
            var later = WriteBatch()
            later.put([2], forKey: [1], in: .coins)
            later.put([3], forKey: [2], in: .coins)
            try store.write(later, durable: false)
            #expect(try snapshot.value(forKey: [1], in: .coins) == [1])
            var count = 0
            try snapshot.forEach(in: .coins, from: []) { _, _ in count += 1; return true }
            #expect(count == 1)
            #expect(try store.value(forKey: [1], in: .coins) == [2])
        }
    }

    @Test func unknownFamilyFailsTheWholeBatch() throws {
        try Self.withStores { (store: any KeyValueStore) throws in
            var batch = WriteBatch()
            batch.put([1], forKey: [1], in: .coins)
            batch.put([1], forKey: [1], in: ColumnFamily("nope"))
            #expect(throws: StorageError.unknownColumnFamily("nope")) { try store.write(batch, durable: false) }
            #expect(try store.value(forKey: [1], in: .coins) == nil)
        }
    }

    @Test func rocksDBPersistsAcrossReopen() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let store = try RocksDBStore(path: path)
            var batch = WriteBatch()
            batch.put(Array(repeating: 7, count: 1000), forKey: [42], in: .undo)
            try store.write(batch, durable: true)
        }
        let reopened = try RocksDBStore(path: path)
        #expect(try reopened.value(forKey: [42], in: .undo) == Array(repeating: 7, count: 1000))
        // A second open of the same directory is refused (RocksDB's lock), not corrupted.
        #expect(throws: StorageError.self) { try RocksDBStore(path: path) }
    }

    @Test func injectedFailureSurfacesAndAppliesNothing() throws {
        let store = InMemoryStore()
        store.failNextWrite(with: .io("No space left on device"))
        var batch = WriteBatch()
        batch.put([1], forKey: [1], in: .coins)
        #expect(throws: StorageError.io("No space left on device")) { try store.write(batch, durable: false) }
        #expect(try store.value(forKey: [1], in: .coins) == nil)
        try store.write(batch, durable: false)
        #expect(try store.value(forKey: [1], in: .coins) == [1])
    }
}
