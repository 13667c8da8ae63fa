import ByteCodec

/// An `addrv2` entry (BIP155): when last seen, services, and an address of one of several
/// networks.
public struct AddressV2: Equatable, Hashable, Sendable {
    /// BIP155 network ids and their address lengths.
    public enum Network: UInt8, Sendable {
        case ipv4 = 1, ipv6 = 2, torV2 = 3, torV3 = 4, i2p = 5, cjdns = 6

        /// The length BIP155 fixes for the network.
        public var addressLength: Int {
            switch self {
            case .ipv4: 4
            case .ipv6, .cjdns: 16
            case .torV2: 10
            case .torV3, .i2p: 32
            }
        }
    }

    /// Core's `MAX_ADDRV2_SIZE`.
    public static let maxAddressLength = 512

    public var time: UInt32
    public var services: ServiceFlags
    /// The raw network id (unknown ids are kept, for the receiver to ignore, as Core does).
    public var networkID: UInt8
    public var address: [UInt8]
    public var port: UInt16

    public init(time: UInt32, services: ServiceFlags, networkID: UInt8, address: [UInt8], port: UInt16) {
        self.time = time
        self.services = services
        self.networkID = networkID
        self.address = address
        self.port = port
    }

    public var network: Network? { Network(rawValue: networkID) }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        time = try reader.readUInt32LE()
        services = ServiceFlags(rawValue: UInt64(try reader.readCompactSize(limit: Int.max)))
        networkID = try reader.readUInt8()
        address = try reader.readVarBytes(maxLength: Self.maxAddressLength)
        if let network = Network(rawValue: networkID), address.count != network.addressLength {
            throw .invalid("BIP155 \(network) address with length \(address.count) (should be \(network.addressLength))")
        }
        port = try reader.readUInt16BE()
    }

    public func encode(to writer: inout ByteWriter) {
        writer.writeUInt32LE(time)
        writer.writeCompactSize(services.rawValue)
        writer.write(networkID)
        writer.writeVarBytes(address)
        writer.writeUInt16BE(port)
    }
}
