import ByteCodec
import ChainCrypto
import ChainTypes

/// `version`: what a peer is and offers, sent first on every connection.
public struct VersionMessage: Equatable, Sendable {
    /// Core's `MAX_SUBVERSION_LENGTH`.
    public static let maxUserAgentLength = 256

    public var version: Int32
    public var services: ServiceFlags
    public var time: Int64
    public var receiver: NetworkAddress
    public var sender: NetworkAddress
    public var nonce: UInt64
    public var userAgent: String
    public var startHeight: Int32
    /// Whether the peer wants transaction announcements (BIP37; absent means true).
    public var relay: Bool

    public init(
        version: Int32, services: ServiceFlags, time: Int64, receiver: NetworkAddress, sender: NetworkAddress, nonce: UInt64,
        userAgent: String, startHeight: Int32, relay: Bool
    ) {
        self.version = version
        self.services = services
        self.time = time
        self.receiver = receiver
        self.sender = sender
        self.nonce = nonce
        self.userAgent = userAgent
        self.startHeight = startHeight
        self.relay = relay
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        version = try reader.readInt32LE()
        services = ServiceFlags(rawValue: try reader.readUInt64LE())
        time = try reader.readInt64LE()
        receiver = try NetworkAddress(from: &reader)
        // Old peers may stop here; Core reads the rest only when present.
        sender = reader.isAtEnd ? .unspecified : try NetworkAddress(from: &reader)
        nonce = reader.isAtEnd ? 0 : try reader.readUInt64LE()
        userAgent = reader.isAtEnd ? "" : String(decoding: try reader.readVarBytes(maxLength: Self.maxUserAgentLength), as: UTF8.self)
        startHeight = reader.isAtEnd ? 0 : try reader.readInt32LE()
        relay = reader.isAtEnd ? true : try reader.readUInt8() != 0
    }

    public func encode(to writer: inout ByteWriter) {
        writer.writeInt32LE(version)
        writer.writeUInt64LE(services.rawValue)
        writer.writeInt64LE(time)
        receiver.encode(to: &writer)
        sender.encode(to: &writer)
        writer.writeUInt64LE(nonce)
        writer.writeVarBytes(Array(userAgent.utf8.prefix(Self.maxUserAgentLength)))
        writer.writeInt32LE(startHeight)
        writer.write(relay ? 1 : 0)
    }
}

/// `getheaders` and `getblocks`: a locator (hashes from the tip back, sparser with depth) and
/// where to stop (zero: as far as allowed).
public struct LocatorRequest: Equatable, Sendable {
    /// Core's `MAX_LOCATOR_SZ`.
    public static let maxLocatorLength = 101

    public var version: UInt32
    public var locator: [BlockHash]
    public var stop: BlockHash

    public init(version: UInt32, locator: [BlockHash], stop: BlockHash) {
        self.version = version
        self.locator = locator
        self.stop = stop
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        version = try reader.readUInt32LE()
        let count = try reader.readCount(minimumElementSize: 32, limit: Self.maxLocatorLength)
        locator = []
        locator.reserveCapacity(count)
        for _ in 0..<count { locator.append(BlockHash(try reader.readHash256())) }
        stop = BlockHash(try reader.readHash256())
    }

    public func encode(to writer: inout ByteWriter) {
        writer.writeUInt32LE(version)
        writer.writeCompactSize(locator.count)
        for hash in locator { writer.write(hash.hash.bytes) }
        writer.write(stop.hash.bytes)
    }
}
