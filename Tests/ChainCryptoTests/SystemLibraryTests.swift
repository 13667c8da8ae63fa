import CRocksDB
import Foundation
import Testing

/// The RocksDB system library target links and works (the storage layer builds on it).
@Suite struct SystemLibraryTests {
    @Test func rocksDBOpensWritesAndReads() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rustyd-rocksdb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let options = rocksdb_options_create()
        defer { rocksdb_options_destroy(options) }
        rocksdb_options_set_create_if_missing(options, 1)
        var error: UnsafeMutablePointer<CChar>?
        let database = rocksdb_open(options, directory.path, &error)
        #expect(error == nil)
        let db = try #require(database)
        defer { rocksdb_close(db) }
        let writeOptions = rocksdb_writeoptions_create(), readOptions = rocksdb_readoptions_create()
        defer { rocksdb_writeoptions_destroy(writeOptions); rocksdb_readoptions_destroy(readOptions) }
        rocksdb_put(db, writeOptions, "key", 3, "value", 5, &error)
        #expect(error == nil)
        var length = 0
        let value = rocksdb_get(db, readOptions, "key", 3, &length, &error)
        defer { rocksdb_free(value) }
        #expect(error == nil)
        let bytes = try #require(value)
        #expect(String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self) == "value")
    }
}
