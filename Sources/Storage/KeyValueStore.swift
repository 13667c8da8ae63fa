/// Read access to ordered key spaces, either live or frozen at a snapshot.
public protocol KeyValueReader: Sendable {
    /// The value stored under `key`, or nil.
    func value(forKey key: [UInt8], in family: ColumnFamily) throws(StorageError) -> [UInt8]?
    /// Visits entries with key ≥ `start` in ascending key order while `visit` returns true.
    func forEach(in family: ColumnFamily, from start: [UInt8], _ visit: ([UInt8], [UInt8]) -> Bool) throws(StorageError)
}

/// An ordered key-value store with column families and atomic batches (RocksDB in the node,
/// memory in tests). Implementations are safe to use from several threads.
public protocol KeyValueStore: KeyValueReader {
    /// Applies `batch` atomically. With `durable`, returns only after it reached stable storage
    /// (fsync); without, it survives a process crash but maybe not a power loss.
    func write(_ batch: WriteBatch, durable: Bool) throws(StorageError)
    /// A consistent read-only view of the store as it is now.
    func snapshot() -> any KeyValueReader
}
