import ByteCodec

/// An address as `version` and `addr` carry it: services, an IPv6 (or IPv4-mapped) address,
/// and a port in network byte order.
public struct NetworkAddress: Equatable, Hashable, Sendable {
    public var services: ServiceFlags
    /// 16 bytes; IPv4 as `::ffff:a.b.c.d`.
    public var ip: [UInt8]
    public var port: UInt16

    public init(services: ServiceFlags, ip: [UInt8], port: UInt16) {
        self.services = services
        self.ip = ip
        self.port = port
    }

    /// No services, the unspecified address `::`, port 0.
    public static let unspecified = NetworkAddress(services: [], ip: [UInt8](repeating: 0, count: 16), port: 0)

    /// The first 12 bytes of an IPv4 address mapped into IPv6 (`::ffff:a.b.c.d`).
    public static let ipv4MappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]

    /// An IPv4 address, mapped into IPv6.
    public init(services: ServiceFlags, ipv4: (UInt8, UInt8, UInt8, UInt8), port: UInt16) {
        self.init(services: services, addressBytes: [ipv4.0, ipv4.1, ipv4.2, ipv4.3], port: port)
    }

    /// An address of 4 bytes (IPv4, mapped into IPv6) or 16 (IPv6).
    public init(services: ServiceFlags, addressBytes: [UInt8], port: UInt16) {
        self.init(services: services, ip: addressBytes.count == 4 ? Self.ipv4MappedPrefix + addressBytes : addressBytes, port: port)
    }

    /// The IPv4 address when `ip` is IPv4-mapped.
    public var ipv4: [UInt8]? {
        ip.prefix(12).elementsEqual(Self.ipv4MappedPrefix) ? Array(ip.suffix(4)) : nil
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        services = ServiceFlags(rawValue: try reader.readUInt64LE())
        ip = try reader.readBytes(16)
        port = try reader.readUInt16BE()
    }

    public func encode(to writer: inout ByteWriter) {
        writer.writeUInt64LE(services.rawValue)
        writer.write(ip)
        writer.writeUInt16BE(port)
    }
}

/// An `addr` entry: when the address was last seen, and the address.
public struct TimestampedAddress: Equatable, Hashable, Sendable {
    public var time: UInt32
    public var address: NetworkAddress

    public init(time: UInt32, address: NetworkAddress) {
        self.time = time
        self.address = address
    }
}
