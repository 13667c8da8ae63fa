import CRocksDB
#if canImport(Glibc)
import Glibc
#endif
import Storage
import Synchronization

/// The node's `KeyValueStore`: one RocksDB database with a column family per key space.
///
/// RocksDB documents its `DB` object as safe for concurrent use from many threads; the handles
/// kept here are created in `init` and destroyed only in `deinit`, so sharing an instance is
/// sound, which is what `@unchecked Sendable` asserts.
public final class RocksDBStore: KeyValueStore, @unchecked Sendable {
    private let database: OpaquePointer
    /// Set once `close()` ran; every later operation fails instead of touching freed handles.
    private let closed = Mutex(false)
    private let options: OpaquePointer
    private let handles: [ColumnFamily: OpaquePointer]
    private let readOptions: OpaquePointer
    private let writeOptions: OpaquePointer
    private let durableWriteOptions: OpaquePointer
    public let path: String

    /// Opens (creating if needed) the database at `path` with `families`, using at most
    /// `cacheBytes` of block cache.
    public init(path: String, families: [ColumnFamily] = ColumnFamily.chainFamilies, cacheBytes: Int = 64 << 20) throws(StorageError) {
        self.path = path
        guard let options = rocksdb_options_create() else { throw .open("rocksdb_options_create failed") }
        rocksdb_options_set_create_if_missing(options, 1)
        rocksdb_options_set_create_missing_column_families(options, 1)
        rocksdb_options_set_max_open_files(options, 256)
        // As Bitcoin Core's chainstate and block files: stored data is hashes, keys and
        // signatures, which barely compress, so compressing costs CPU on every flush for little.
        rocksdb_options_set_compression(options, Int32(rocksdb_no_compression))
        // A Bloom filter over the memtable's whole keys answers most lookups of absent keys
        // (the BIP30 check of every new output) without searching the memtable.
        rocksdb_options_set_memtable_prefix_bloom_size_ratio(options, 0.02)
        rocksdb_options_set_memtable_whole_key_filtering(options, 1)
        let tableOptions = rocksdb_block_based_options_create()
        let cache = rocksdb_cache_create_lru(max(cacheBytes, 8 << 20))
        rocksdb_block_based_options_set_block_cache(tableOptions, cache)
        // Bloom filters make lookups of absent keys (BIP30 checks, new outputs) cheap.
        rocksdb_block_based_options_set_filter_policy(tableOptions, rocksdb_filterpolicy_create_bloom(10))
        rocksdb_options_set_block_based_table_factory(options, tableOptions)
        rocksdb_block_based_options_destroy(tableOptions)
        rocksdb_cache_destroy(cache)

        let names = ["default"] + families.map(\.name)
        var cNames = names.map { strdup($0) }
        defer { cNames.forEach { free($0) } }
        var familyOptions = [OpaquePointer?](repeating: options, count: names.count)
        var familyHandles = [OpaquePointer?](repeating: nil, count: names.count)
        var error: UnsafeMutablePointer<CChar>?
        let opened = cNames.withUnsafeMutableBufferPointer { namesBuffer in
            namesBuffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { constNames in
                rocksdb_open_column_families(
                    options, path, Int32(names.count), constNames.baseAddress, &familyOptions, &familyHandles, &error)
            }
        }
        if let message = Self.take(error) {
            rocksdb_options_destroy(options)
            throw .open(message)
        }
        guard let opened else {
            rocksdb_options_destroy(options)
            throw .open("rocksdb_open_column_families returned no database")
        }
        database = opened
        self.options = options
        var map: [ColumnFamily: OpaquePointer] = [:]
        for (index, family) in families.enumerated() {
            if let handle = familyHandles[index + 1] { map[family] = handle }
        }
        if let defaultHandle = familyHandles[0] { rocksdb_column_family_handle_destroy(defaultHandle) }
        handles = map
        readOptions = rocksdb_readoptions_create()
        writeOptions = rocksdb_writeoptions_create()
        durableWriteOptions = rocksdb_writeoptions_create()
        rocksdb_writeoptions_set_sync(durableWriteOptions, 1)
    }

    deinit { close() }

    /// Stops RocksDB's background work and closes the database. The process must not exit with
    /// the database open: RocksDB's background threads would then abort it. Idempotent; later
    /// operations throw.
    public func close() {
        let alreadyClosed = closed.withLock { state in
            defer { state = true }
            return state
        }
        guard !alreadyClosed else { return }
        rocksdb_cancel_all_background_work(database, 1)
        for handle in handles.values { rocksdb_column_family_handle_destroy(handle) }
        rocksdb_readoptions_destroy(readOptions)
        rocksdb_writeoptions_destroy(writeOptions)
        rocksdb_writeoptions_destroy(durableWriteOptions)
        rocksdb_close(database)
        rocksdb_options_destroy(options)
    }

    private func ensureOpen() throws(StorageError) {
        if isClosed { throw .other("database closed") }
    }

    /// Converts and frees a RocksDB error string.
    static func take(_ error: UnsafeMutablePointer<CChar>?) -> String? {
        guard let error else { return nil }
        defer { rocksdb_free(error) }
        return String(cString: error)
    }

    /// Classifies a RocksDB status message.
    static func classify(_ message: String) -> StorageError {
        if message.hasPrefix("IO error") { return .io(message) }
        if message.hasPrefix("Corruption") { return .corruption(message) }
        return .other(message)
    }

    private func handle(_ family: ColumnFamily) throws(StorageError) -> OpaquePointer {
        try ensureOpen()
        return try openHandle(family)
    }

    /// The handle of `family`; the caller has checked that the database is open.
    private func openHandle(_ family: ColumnFamily) throws(StorageError) -> OpaquePointer {
        guard let handle = handles[family] else { throw .unknownColumnFamily(family.name) }
        return handle
    }

    public func value(forKey key: [UInt8], in family: ColumnFamily) throws(StorageError) -> [UInt8]? {
        try read(key: key, family: family, options: readOptions)
    }

    func read(key: [UInt8], family: ColumnFamily, options: OpaquePointer) throws(StorageError) -> [UInt8]? {
        let familyHandle = try handle(family)
        var length = 0
        var error: UnsafeMutablePointer<CChar>?
        let value = key.withUnsafeBufferPointer { keyBuffer in
            keyBuffer.withMemoryRebound(to: CChar.self) { keyChars in
                rocksdb_get_cf(database, options, familyHandle, keyChars.baseAddress, keyChars.count, &length, &error)
            }
        }
        if let message = Self.take(error) { throw Self.classify(message) }
        guard let value else { return nil }
        defer { rocksdb_free(value) }
        return Array(UnsafeRawBufferPointer(start: value, count: length))
    }

    public func forEach(in family: ColumnFamily, from start: [UInt8], _ visit: ([UInt8], [UInt8]) -> Bool) throws(StorageError) {
        try iterate(family: family, from: start, options: readOptions, visit)
    }

    func iterate(family: ColumnFamily, from start: [UInt8], options: OpaquePointer, _ visit: ([UInt8], [UInt8]) -> Bool) throws(StorageError) {
        let familyHandle = try handle(family)
        guard let iterator = rocksdb_create_iterator_cf(database, options, familyHandle) else {
            throw .other("cannot create iterator")
        }
        defer { rocksdb_iter_destroy(iterator) }
        start.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { rocksdb_iter_seek(iterator, $0.baseAddress, $0.count) }
        }
        while rocksdb_iter_valid(iterator) != 0 {
            var keyLength = 0, valueLength = 0
            guard let keyPointer = rocksdb_iter_key(iterator, &keyLength),
                let valuePointer = rocksdb_iter_value(iterator, &valueLength)
            else { break }
            let key = Array(UnsafeRawBufferPointer(start: keyPointer, count: keyLength))
            let value = Array(UnsafeRawBufferPointer(start: valuePointer, count: valueLength))
            if !visit(key, value) { break }
            rocksdb_iter_next(iterator)
        }
        var error: UnsafeMutablePointer<CChar>?
        rocksdb_iter_get_error(iterator, &error)
        if let message = Self.take(error) { throw Self.classify(message) }
    }

    public func write(_ batch: WriteBatch, durable: Bool) throws(StorageError) {
        try ensureOpen()
        let rocksBatch = rocksdb_writebatch_create()
        defer { rocksdb_writebatch_destroy(rocksBatch) }
        var familyHandles: [OpaquePointer] = []
        for family in batch.families { familyHandles.append(try openHandle(family)) }
        batch.forEachChange { family, key, value in
            let keyBytes = key.baseAddress?.assumingMemoryBound(to: CChar.self)
            if let value {
                let valueBytes = value.baseAddress?.assumingMemoryBound(to: CChar.self)
                rocksdb_writebatch_put_cf(rocksBatch, familyHandles[family], keyBytes, key.count, valueBytes, value.count)
            } else {
                rocksdb_writebatch_delete_cf(rocksBatch, familyHandles[family], keyBytes, key.count)
            }
        }
        var error: UnsafeMutablePointer<CChar>?
        rocksdb_write(database, durable ? durableWriteOptions : writeOptions, rocksBatch, &error)
        if let message = Self.take(error) { throw Self.classify(message) }
    }

    public func snapshot() -> any KeyValueReader {
        RocksDBSnapshot(store: self)
    }

    var isClosed: Bool { closed.withLock { $0 } }

    fileprivate func createSnapshot() -> (snapshot: OpaquePointer?, options: OpaquePointer?) {
        guard !isClosed else { return (nil, nil) }
        let snapshot = rocksdb_create_snapshot(database)
        let options = rocksdb_readoptions_create()
        rocksdb_readoptions_set_snapshot(options, snapshot)
        return (snapshot, options)
    }

    fileprivate func releaseSnapshot(_ snapshot: OpaquePointer?, options: OpaquePointer?) {
        rocksdb_readoptions_destroy(options)
        if !isClosed { rocksdb_release_snapshot(database, snapshot) }
    }
}

/// A consistent view of a `RocksDBStore`; released when the last reference goes.
final class RocksDBSnapshot: KeyValueReader, @unchecked Sendable {
    private let store: RocksDBStore
    private let snapshot: OpaquePointer?
    private let options: OpaquePointer?

    init(store: RocksDBStore) {
        self.store = store
        (snapshot, options) = store.createSnapshot()
    }

    deinit { store.releaseSnapshot(snapshot, options: options) }

    func value(forKey key: [UInt8], in family: ColumnFamily) throws(StorageError) -> [UInt8]? {
        guard let options else { throw .other("snapshot unavailable") }
        return try store.read(key: key, family: family, options: options)
    }

    func forEach(in family: ColumnFamily, from start: [UInt8], _ visit: ([UInt8], [UInt8]) -> Bool) throws(StorageError) {
        guard let options else { throw .other("snapshot unavailable") }
        try store.iterate(family: family, from: start, options: options, visit)
    }
}
