import ByteCodec
import ChainCrypto
import ChainTypes

/// BIP157 `getcfilters` and `getcfheaders`: filters (or their hashes) for blocks from
/// `startHeight` up to `stopHash`.
public struct FilterRangeRequest: Equatable, Sendable {
    /// Core's `MAX_GETCFILTERS_SIZE` and `MAX_GETCFHEADERS_SIZE`.
    public static let maxFilters = 1_000
    public static let maxFilterHeaders = 2_000

    public var filterType: UInt8
    public var startHeight: UInt32
    public var stopHash: BlockHash

    public init(filterType: UInt8, startHeight: UInt32, stopHash: BlockHash) {
        self.filterType = filterType
        self.startHeight = startHeight
        self.stopHash = stopHash
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        filterType = try reader.readUInt8()
        startHeight = try reader.readUInt32LE()
        stopHash = BlockHash(try reader.readHash256())
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(filterType)
        writer.writeUInt32LE(startHeight)
        writer.write(stopHash.hash.bytes)
    }
}

/// BIP157 `cfilter`: one block's filter.
public struct FilterMessage: Equatable, Sendable {
    public var filterType: UInt8
    public var blockHash: BlockHash
    public var filter: [UInt8]

    public init(filterType: UInt8, blockHash: BlockHash, filter: [UInt8]) {
        self.filterType = filterType
        self.blockHash = blockHash
        self.filter = filter
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        filterType = try reader.readUInt8()
        blockHash = BlockHash(try reader.readHash256())
        filter = try reader.readVarBytes(maxLength: MessageHeader.maxPayloadLength)
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(filterType)
        writer.write(blockHash.hash.bytes)
        writer.writeVarBytes(filter)
    }
}

/// BIP157 `cfheaders`: the filter hashes of a range and the filter header before it, from
/// which the receiver chains the headers; and `cfcheckpt`: filter headers every 1,000 blocks.
public struct FilterHeadersMessage: Equatable, Sendable {
    public var filterType: UInt8
    public var stopHash: BlockHash
    /// `cfheaders` only: the filter header of the block before the range.
    public var previousHeader: Hash256?
    /// Filter hashes (`cfheaders`) or filter headers (`cfcheckpt`).
    public var hashes: [Hash256]

    public init(filterType: UInt8, stopHash: BlockHash, previousHeader: Hash256?, hashes: [Hash256]) {
        self.filterType = filterType
        self.stopHash = stopHash
        self.previousHeader = previousHeader
        self.hashes = hashes
    }

    init(from reader: inout ByteReader, hasPreviousHeader: Bool, limit: Int) throws(DecodingError) {
        filterType = try reader.readUInt8()
        stopHash = BlockHash(try reader.readHash256())
        previousHeader = hasPreviousHeader ? try reader.readHash256() : nil
        let count = try reader.readCount(minimumElementSize: 32, limit: limit)
        hashes = []
        hashes.reserveCapacity(count)
        for _ in 0..<count { hashes.append(try reader.readHash256()) }
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(filterType)
        writer.write(stopHash.hash.bytes)
        if let previousHeader { writer.write(previousHeader.bytes) }
        writer.writeCompactSize(hashes.count)
        for hash in hashes { writer.write(hash.bytes) }
    }
}
