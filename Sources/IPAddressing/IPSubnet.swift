#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 network (`-rpcallowip`): a single address, `address/prefix` or
/// `address/netmask`. IPv4 peers reached through an IPv6 socket (`::ffff:a.b.c.d`) match
/// IPv4 subnets.
public struct IPSubnet: Sendable, Hashable, CustomStringConvertible {
    /// The network address bytes (4 or 16).
    public let network: [UInt8]
    /// The mask bytes (same length as ``network``).
    public let mask: [UInt8]

    /// Parses `1.2.3.4`, `1.2.3.0/24`, `1.2.3.0/255.255.255.0`, `::1`, `fd00::/8`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = Self.parseAddress(String(parts[0])) else { return nil }
        var mask = [UInt8](repeating: 0xff, count: address.count)
        if parts.count == 2 {
            let suffix = String(parts[1])
            if let prefix = Int(suffix), suffix.allSatisfy(\.isASCII), prefix >= 0, prefix <= address.count * 8 {
                mask = Self.mask(prefixLength: prefix, byteCount: address.count)
            } else if let netmask = Self.parseAddress(suffix), netmask.count == address.count {
                mask = netmask
            } else {
                return nil
            }
        }
        self.mask = mask
        self.network = zip(address, mask).map { $0 & $1 }
    }

    /// The loopback networks `127.0.0.0/8` and `::1`, which Core always allows.
    public static let loopback: [IPSubnet] = [IPSubnet("127.0.0.0/8"), IPSubnet("::1")].compactMap { $0 }

    /// Whether the address `ip` (text form) lies in this network.
    public func contains(_ ip: String) -> Bool {
        guard let address = Self.parseAddress(ip) else { return false }
        return contains(bytes: address)
    }

    /// Whether the address of 4 or 16 bytes (IPv4 may come mapped into IPv6) lies in this network.
    public func contains(bytes: [UInt8]) -> Bool {
        var address = bytes
        if address.count == 16, network.count == 4, address.prefix(12).elementsEqual(Self.v4MappedPrefix) {
            address = Array(address.suffix(4))
        }
        guard address.count == network.count else { return false }
        return zip(zip(address, mask), network).allSatisfy { $0.0 & $0.1 == $1 }
    }

    public var description: String {
        let prefix = mask.reduce(0) { $0 + $1.nonzeroBitCount }
        return "\(Self.format(network))/\(prefix)"
    }

    private static let v4MappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]

    private static func mask(prefixLength: Int, byteCount: Int) -> [UInt8] {
        (0..<byteCount).map { index in
            let bits = max(0, min(8, prefixLength - index * 8))
            return bits == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - bits))
        }
    }

    /// The 4 or 16 bytes of a numeric IPv4 or IPv6 address (an IPv6 zone is ignored).
    public static func parseAddress(_ text: String) -> [UInt8]? {
        let host = String(text.split(separator: "%", maxSplits: 1).first ?? "")
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// The text of an address of 4 or 16 bytes; IPv4-mapped IPv6 addresses as IPv4.
    public static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 16, bytes.prefix(12).elementsEqual(v4MappedPrefix) { return format(Array(bytes.suffix(4))) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
