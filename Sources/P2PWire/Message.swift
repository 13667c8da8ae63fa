import ByteCodec
import ChainTypes

/// A P2P message of Bitcoin's protocol (plus unknown commands, kept for the caller to ignore or
/// route), with Bitcoin Core's bounds applied while decoding.
public enum Message: Equatable, Sendable {
    case version(VersionMessage)
    case verack
    /// BIP339: announce and fetch transactions by wtxid.
    case wtxidRelay
    /// BIP155: send `addrv2` instead of `addr`.
    case sendAddrV2
    /// BIP130: announce blocks with `headers`.
    case sendHeaders
    /// BIP152: `announce` (high-bandwidth mode) and the compact-block version.
    case sendCompact(announce: Bool, version: UInt64)
    /// BIP133: the lowest fee rate (sat/kvB) worth announcing to the sender.
    case feeFilter(Int64)
    case ping(nonce: UInt64)
    case pong(nonce: UInt64)
    case getAddresses
    case addresses([TimestampedAddress])
    case addressesV2([AddressV2])
    case inventory([InventoryItem])
    case getData([InventoryItem])
    case notFound([InventoryItem])
    case transaction(Transaction)
    case block(Block)
    /// A block as stored, sent as `block` without decoding and encoding it again (serving
    /// peers); decoding a `block` gives `.block`.
    case serializedBlock([UInt8])
    case getHeaders(LocatorRequest)
    case getBlocks(LocatorRequest)
    case headers([BlockHeader])
    case mempool
    /// BIP152 compact blocks.
    case compactBlock(CompactBlock)
    case getBlockTransactions(BlockTransactionsRequest)
    case blockTransactions(BlockTransactions)
    /// BIP157 compact filters.
    case getFilters(FilterRangeRequest)
    case filter(FilterMessage)
    case getFilterHeaders(FilterRangeRequest)
    case filterHeaders(FilterHeadersMessage)
    case getFilterCheckpoint(filterType: UInt8, stopHash: BlockHash)
    case filterCheckpoint(FilterHeadersMessage)
    case unknown(command: String, payload: [UInt8])

    /// Core's `MAX_ADDR_TO_SEND`.
    public static let maxAddresses = 1_000
    /// Core's `MAX_INV_SZ`.
    public static let maxInventory = 50_000
    /// Core's `MAX_HEADERS_RESULTS`.
    public static let maxHeaders = 2_000

    /// The command name on the wire.
    public var command: String {
        switch self {
        case .version: "version"
        case .verack: "verack"
        case .wtxidRelay: "wtxidrelay"
        case .sendAddrV2: "sendaddrv2"
        case .sendHeaders: "sendheaders"
        case .sendCompact: "sendcmpct"
        case .feeFilter: "feefilter"
        case .ping: "ping"
        case .pong: "pong"
        case .getAddresses: "getaddr"
        case .addresses: "addr"
        case .addressesV2: "addrv2"
        case .inventory: "inv"
        case .getData: "getdata"
        case .notFound: "notfound"
        case .transaction: "tx"
        case .block, .serializedBlock: "block"
        case .getHeaders: "getheaders"
        case .getBlocks: "getblocks"
        case .headers: "headers"
        case .mempool: "mempool"
        case .compactBlock: "cmpctblock"
        case .getBlockTransactions: "getblocktxn"
        case .blockTransactions: "blocktxn"
        case .getFilters: "getcfilters"
        case .filter: "cfilter"
        case .getFilterHeaders: "getcfheaders"
        case .filterHeaders: "cfheaders"
        case .getFilterCheckpoint: "getcfcheckpt"
        case .filterCheckpoint: "cfcheckpt"
        case let .unknown(command, _): command
        }
    }

    /// The payload bytes.
    public var payload: [UInt8] {
        var writer = ByteWriter()
        switch self {
        case let .version(version): version.encode(to: &writer)
        case .verack, .wtxidRelay, .sendAddrV2, .sendHeaders, .getAddresses, .mempool: break
        case let .sendCompact(announce, version):
            writer.write(announce ? 1 : 0)
            writer.writeUInt64LE(version)
        case let .feeFilter(rate): writer.writeInt64LE(rate)
        case let .ping(nonce), let .pong(nonce): writer.writeUInt64LE(nonce)
        case let .addresses(entries):
            writer.writeCompactSize(entries.count)
            for entry in entries {
                writer.writeUInt32LE(entry.time)
                entry.address.encode(to: &writer)
            }
        case let .addressesV2(entries):
            writer.writeCompactSize(entries.count)
            for entry in entries { entry.encode(to: &writer) }
        case let .inventory(items), let .getData(items), let .notFound(items):
            writer.writeCompactSize(items.count)
            for item in items { item.encode(to: &writer) }
        case let .transaction(transaction): transaction.encode(to: &writer)
        case let .block(block): block.encode(to: &writer)
        case let .serializedBlock(bytes): writer.write(bytes)
        case let .getHeaders(request), let .getBlocks(request): request.encode(to: &writer)
        case let .headers(headers):
            writer.writeCompactSize(headers.count)
            for header in headers {
                header.encode(to: &writer)
                writer.writeCompactSize(0)
            }
        case let .compactBlock(block): block.encode(to: &writer)
        case let .getBlockTransactions(request): request.encode(to: &writer)
        case let .blockTransactions(transactions): transactions.encode(to: &writer)
        case let .getFilters(request), let .getFilterHeaders(request): request.encode(to: &writer)
        case let .filter(filter): filter.encode(to: &writer)
        case let .filterHeaders(headers), let .filterCheckpoint(headers): headers.encode(to: &writer)
        case let .getFilterCheckpoint(filterType, stopHash):
            writer.write(filterType)
            writer.write(stopHash.hash.bytes)
        case let .unknown(_, payload): writer.write(payload)
        }
        return writer.bytes
    }

    /// The message framed for a network with `magic`: header then payload.
    public func framed(magic: [UInt8]) -> [UInt8] {
        let payload = payload
        var writer = ByteWriter(capacity: MessageHeader.size + payload.count)
        MessageHeader(magic: magic, command: command, payload: payload).encode(to: &writer)
        writer.write(payload)
        return writer.bytes
    }

    /// Decodes the payload of `command`. Bytes after what the message defines are ignored, as
    /// Core does (room for extensions); counts over Core's limits are errors.
    public init(command: String, payload: [UInt8]) throws(DecodingError) {
        var reader = ByteReader(payload)
        switch command {
        case "version": self = .version(try VersionMessage(from: &reader))
        case "verack": self = .verack
        case "wtxidrelay": self = .wtxidRelay
        case "sendaddrv2": self = .sendAddrV2
        case "sendheaders": self = .sendHeaders
        case "sendcmpct": self = .sendCompact(announce: try reader.readUInt8() != 0, version: try reader.readUInt64LE())
        case "feefilter": self = .feeFilter(try reader.readInt64LE())
        case "ping": self = .ping(nonce: try reader.readUInt64LE())
        case "pong": self = .pong(nonce: try reader.readUInt64LE())
        case "getaddr": self = .getAddresses
        case "mempool": self = .mempool
        case "addr":
            let count = try reader.readCount(minimumElementSize: 30, limit: Self.maxAddresses)
            var entries: [TimestampedAddress] = []
            entries.reserveCapacity(count)
            for _ in 0..<count {
                entries.append(TimestampedAddress(time: try reader.readUInt32LE(), address: try NetworkAddress(from: &reader)))
            }
            self = .addresses(entries)
        case "addrv2":
            let count = try reader.readCount(minimumElementSize: 9, limit: Self.maxAddresses)
            var entries: [AddressV2] = []
            entries.reserveCapacity(count)
            for _ in 0..<count { entries.append(try AddressV2(from: &reader)) }
            self = .addressesV2(entries)
        case "inv": self = .inventory(try Self.readInventory(&reader))
        case "getdata": self = .getData(try Self.readInventory(&reader))
        case "notfound": self = .notFound(try Self.readInventory(&reader))
        case "tx": self = .transaction(try Transaction(from: &reader))
        case "block": self = .block(try Block(from: &reader))
        case "getheaders": self = .getHeaders(try LocatorRequest(from: &reader))
        case "getblocks": self = .getBlocks(try LocatorRequest(from: &reader))
        case "headers":
            let count = try reader.readCount(minimumElementSize: 81, limit: Self.maxHeaders)
            var headers: [BlockHeader] = []
            headers.reserveCapacity(count)
            for _ in 0..<count {
                headers.append(try BlockHeader(from: &reader))
                // The transaction count, always 0 here; Core reads and ignores it.
                _ = try reader.readCompactSize()
            }
            self = .headers(headers)
        case "cmpctblock": self = .compactBlock(try CompactBlock(from: &reader))
        case "getblocktxn": self = .getBlockTransactions(try BlockTransactionsRequest(from: &reader))
        case "blocktxn": self = .blockTransactions(try BlockTransactions(from: &reader))
        case "getcfilters": self = .getFilters(try FilterRangeRequest(from: &reader))
        case "cfilter": self = .filter(try FilterMessage(from: &reader))
        case "getcfheaders": self = .getFilterHeaders(try FilterRangeRequest(from: &reader))
        case "cfheaders":
            self = .filterHeaders(try FilterHeadersMessage(from: &reader, hasPreviousHeader: true, limit: FilterRangeRequest.maxFilterHeaders))
        case "getcfcheckpt": self = .getFilterCheckpoint(filterType: try reader.readUInt8(), stopHash: BlockHash(try reader.readHash256()))
        case "cfcheckpt":
            self = .filterCheckpoint(try FilterHeadersMessage(from: &reader, hasPreviousHeader: false, limit: MessageHeader.maxPayloadLength / 32))
        default: self = .unknown(command: command, payload: payload)
        }
    }

    private static func readInventory(_ reader: inout ByteReader) throws(DecodingError) -> [InventoryItem] {
        let count = try reader.readCount(minimumElementSize: InventoryItem.size, limit: maxInventory)
        var items: [InventoryItem] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try InventoryItem(from: &reader)) }
        return items
    }
}
