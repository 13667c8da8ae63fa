import Synchronization

/// A `KeyValueStore` in memory, for tests and tools. Batches apply atomically under one lock.
public final class InMemoryStore: KeyValueStore {
    private struct Key: Hashable, Comparable {
        let bytes: [UInt8]
        static func < (lhs: Key, rhs: Key) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
    }

    private let families: Mutex<[ColumnFamily: [Key: [UInt8]]]>
    /// When set, the next write fails with this error (to test failure handling).
    private let injectedFailure = Mutex<StorageError?>(nil)

    public init(families: [ColumnFamily] = ColumnFamily.chainFamilies) {
        self.families = Mutex(Dictionary(uniqueKeysWithValues: families.map { ($0, [:]) }))
    }

    private init(contents: [ColumnFamily: [Key: [UInt8]]]) {
        families = Mutex(contents)
    }

    /// Makes the next `write` throw `error` without applying anything.
    public func failNextWrite(with error: StorageError) {
        injectedFailure.withLock { $0 = error }
    }

    public func value(forKey key: [UInt8], in family: ColumnFamily) throws(StorageError) -> [UInt8]? {
        let result: Result<[UInt8]?, StorageError> = families.withLock { all in
            guard let entries = all[family] else { return .failure(.unknownColumnFamily(family.name)) }
            return .success(entries[Key(bytes: key)])
        }
        return try result.get()
    }

    public func forEach(in family: ColumnFamily, from start: [UInt8], _ visit: ([UInt8], [UInt8]) -> Bool) throws(StorageError) {
        let startKey = Key(bytes: start)
        let entries: [(Key, [UInt8])]? = families.withLock { all in
            all[family].map { $0.filter { $0.key >= startKey }.sorted { $0.key < $1.key } }
        }
        guard let entries else { throw .unknownColumnFamily(family.name) }
        for (key, value) in entries where !visit(key.bytes, value) { break }
    }

    public func write(_ batch: WriteBatch, durable _: Bool) throws(StorageError) {
        if let failure = injectedFailure.withLock({ error -> StorageError? in
            defer { error = nil }
            return error
        }) {
            throw failure
        }
        let operations = batch.operations
        let result: Result<Void, StorageError> = families.withLock { all in
            if let unknown = batch.families.first(where: { all[$0] == nil }) { return .failure(.unknownColumnFamily(unknown.name)) }
            for operation in operations {
                switch operation {
                case let .put(family, key, value): all[family]?[Key(bytes: key)] = value
                case let .delete(family, key): all[family]?[Key(bytes: key)] = nil
                }
            }
            return .success(())
        }
        try result.get()
    }

    public func snapshot() -> any KeyValueReader {
        InMemoryStore(contents: families.withLock { $0 })
    }
}
