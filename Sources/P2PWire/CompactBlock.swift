import ByteCodec
import ChainCrypto
import ChainTypes

/// BIP152 `cmpctblock`: a header, a nonce, 6-byte short ids of the block's transactions, and
/// the transactions sent whole (at least the coinbase), with differentially coded indexes.
public struct CompactBlock: Equatable, Sendable {
    /// A transaction sent whole and its index in the block.
    public struct Prefilled: Equatable, Sendable {
        public var index: Int
        public var transaction: Transaction
        public init(index: Int, transaction: Transaction) {
            self.index = index
            self.transaction = transaction
        }
    }

    /// A transaction has at least this weight when serialized (Core's `MIN_SERIALIZABLE_TRANSACTION_WEIGHT`).
    static let minimumTransactionWeight = 40

    public var header: BlockHeader
    public var nonce: UInt64
    /// Short ids (48 bits each) of the transactions not prefilled, in block order.
    public var shortIDs: [UInt64]
    public var prefilled: [Prefilled]

    public init(header: BlockHeader, nonce: UInt64, shortIDs: [UInt64], prefilled: [Prefilled]) {
        self.header = header
        self.nonce = nonce
        self.shortIDs = shortIDs
        self.prefilled = prefilled
    }

    /// The compact form of `block` (BIP152 version 2: wtxid short ids), sending the coinbase whole.
    public init(block: Block, nonce: UInt64) {
        header = block.header
        self.nonce = nonce
        let key = Self.shortIDKey(header: block.header, nonce: nonce)
        prefilled = block.transactions.prefix(1).map { Prefilled(index: 0, transaction: $0) }
        shortIDs = block.transactions.dropFirst().map { Self.shortID($0.wtxid.hash, key: key) }
    }

    /// The SipHash key: the first 16 bytes of SHA-256(header ‖ nonce) as two little-endian words.
    public static func shortIDKey(header: BlockHeader, nonce: UInt64) -> (k0: UInt64, k1: UInt64) {
        var writer = ByteWriter(capacity: 88)
        header.encode(to: &writer)
        writer.writeUInt64LE(nonce)
        return SipHash.key(from: Hashing.sha256(writer.bytes).bytes)
    }

    /// A transaction's short id: SipHash-2-4 of its wtxid, low 48 bits.
    public static func shortID(_ wtxid: Hash256, key: (k0: UInt64, k1: UInt64)) -> UInt64 {
        var hasher = SipHash(k0: key.k0, k1: key.k1)
        hasher.update(wtxid.bytes)
        return hasher.finalize() & 0xffff_ffff_ffff
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        header = try BlockHeader(from: &reader)
        nonce = try reader.readUInt64LE()
        let limit = 4_000_000 / Self.minimumTransactionWeight
        let shortCount = try reader.readCount(minimumElementSize: 6, limit: limit)
        shortIDs = []
        shortIDs.reserveCapacity(shortCount)
        for _ in 0..<shortCount {
            let low = UInt64(try reader.readUInt32LE())
            let high = UInt64(try reader.readUInt16LE())
            shortIDs.append(high << 32 | low)
        }
        let prefilledCount = try reader.readCount(minimumElementSize: 11, limit: limit)
        guard shortCount + prefilledCount <= limit else { throw .invalid("too many transactions in compact block") }
        prefilled = []
        var last = -1
        for _ in 0..<prefilledCount {
            last = try DifferentialIndex.read(after: last, from: &reader)
            prefilled.append(Prefilled(index: last, transaction: try Transaction(from: &reader)))
        }
    }

    public func encode(to writer: inout ByteWriter) {
        header.encode(to: &writer)
        writer.writeUInt64LE(nonce)
        writer.writeCompactSize(shortIDs.count)
        for id in shortIDs {
            writer.writeUInt32LE(UInt32(truncatingIfNeeded: id))
            writer.writeUInt16LE(UInt16(truncatingIfNeeded: id >> 32))
        }
        writer.writeCompactSize(prefilled.count)
        var last = -1
        for entry in prefilled {
            DifferentialIndex.write(entry.index, after: last, to: &writer)
            entry.transaction.encode(to: &writer)
            last = entry.index
        }
    }
}

/// BIP152 `getblocktxn`: which transactions of a block (by index) a peer needs.
public struct BlockTransactionsRequest: Equatable, Sendable {
    public var blockHash: BlockHash
    public var indexes: [Int]

    public init(blockHash: BlockHash, indexes: [Int]) {
        self.blockHash = blockHash
        self.indexes = indexes
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        blockHash = BlockHash(try reader.readHash256())
        let count = try reader.readCount(minimumElementSize: 1, limit: Int(UInt16.max) + 1)
        indexes = []
        indexes.reserveCapacity(count)
        var last = -1
        for _ in 0..<count {
            last = try DifferentialIndex.read(after: last, from: &reader)
            indexes.append(last)
        }
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(blockHash.hash.bytes)
        writer.writeCompactSize(indexes.count)
        var last = -1
        for index in indexes {
            DifferentialIndex.write(index, after: last, to: &writer)
            last = index
        }
    }
}

/// BIP152 `blocktxn`: the transactions asked for, in the order asked.
public struct BlockTransactions: Equatable, Sendable {
    public var blockHash: BlockHash
    public var transactions: [Transaction]

    public init(blockHash: BlockHash, transactions: [Transaction]) {
        self.blockHash = blockHash
        self.transactions = transactions
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        blockHash = BlockHash(try reader.readHash256())
        let count = try reader.readCount(minimumElementSize: 10, limit: Int(UInt16.max) + 1)
        transactions = []
        transactions.reserveCapacity(count)
        for _ in 0..<count { transactions.append(try Transaction(from: &reader)) }
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(blockHash.hash.bytes)
        writer.writeCompactSize(transactions.count)
        for transaction in transactions { transaction.encode(to: &writer) }
    }
}

/// BIP152's differential index coding: each index as its distance from the previous one, minus
/// one (the first from -1); indexes past 65,535 are refused (Core: "indexes overflowed 16 bits").
enum DifferentialIndex {
    static func read(after last: Int, from reader: inout ByteReader) throws(DecodingError) -> Int {
        let index = last + 1 + (try reader.readCompactSize(limit: Int(UInt16.max)))
        guard index <= Int(UInt16.max) else { throw .invalid("indexes overflowed 16 bits") }
        return index
    }

    static func write(_ index: Int, after last: Int, to writer: inout ByteWriter) {
        writer.writeCompactSize(index - last - 1)
    }
}
