import P2PWire

/// Which 16-byte addresses could name a host and which are reachable on the public internet,
/// as Bitcoin Core's `CNetAddr::IsValid`, `IsRoutable` and `IsLocal` decide for `addr` entries
/// (IPv4 mapped into IPv6). An `ip` of any length other than 16 is neither.
extension NetworkAddress {
    /// Core's `IsValid`: not the unspecified address (`::`, `0.0.0.0`), not `255.255.255.255`,
    /// not an IPv6 documentation address (2001:db8::/32, 3fff::/20), not one of Core's
    /// internal or legacy Tor v2 (OnionCat) encodings.
    public var isValid: Bool {
        guard ip.count == 16 else { return false }
        if let v4 = ipv4 {
            return v4 != [0, 0, 0, 0] && v4 != [255, 255, 255, 255]
        }
        return !ip.allSatisfy { $0 == 0 }
            && !ip.starts(with: Self.onionCatPrefix) && !ip.starts(with: Self.internalPrefix)
            && !ip.starts(with: [0x20, 0x01, 0x0d, 0xb8])
            && !(ip[0] == 0x3f && ip[1] == 0xff && ip[2] & 0xf0 == 0)
    }

    /// Core's `IsLocal`: IPv4 127.0.0.0/8 and 0.0.0.0/8, IPv6 `::1`.
    public var isLocal: Bool {
        guard ip.count == 16 else { return false }
        if let v4 = ipv4 { return v4[0] == 127 || v4[0] == 0 }
        return ip.prefix(15).allSatisfy { $0 == 0 } && ip[15] == 1
    }

    /// Core's `IsRoutable`: valid, not local, and in none of the private, shared, link-local,
    /// benchmarking, documentation, reserved (240.0.0.0/4), unique-local or ORCHID ranges.
    public var isRoutable: Bool {
        guard isValid, !isLocal else { return false }
        if let v4 = ipv4 {
            let (a, b, c) = (v4[0], v4[1], v4[2])
            return !(a >= 240  // reserved
                || a == 10 || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168)  // RFC 1918
                || (a == 198 && (b == 18 || b == 19))  // RFC 2544
                || (a == 169 && b == 254)  // RFC 3927
                || (a == 100 && (64...127).contains(b))  // RFC 6598
                || (a == 192 && b == 0 && c == 2) || (a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113))  // RFC 5737
        }
        return !(ip.starts(with: [0xfe, 0x80, 0, 0, 0, 0, 0, 0])  // RFC 4862
            || ip[0] & 0xfe == 0xfc  // RFC 4193
            || (ip.starts(with: [0x20, 0x01, 0x00]) && (ip[3] & 0xf0 == 0x10 || ip[3] & 0xf0 == 0x20)))  // RFC 4843, RFC 7343
    }

    /// Core's `IsInternal` for the legacy encoding: fd6b:88c0:8724::/48.
    var isInternal: Bool { ip.count == 16 && ip.starts(with: Self.internalPrefix) }

    /// The IPv4 address a routable address stands for (Core's `GetLinkedIPv4`; Core asks only of
    /// routable addresses): the address itself, or the one embedded by SIIT (::ffff:0:0/96),
    /// NAT64 (64:ff9b::/96), 6to4 (2002::/16) or Teredo (2001::/32, bits inverted).
    var linkedIPv4: [UInt8]? {
        guard ip.count == 16 else { return nil }
        if let v4 = ipv4 { return v4 }
        if ip.starts(with: [UInt8](repeating: 0, count: 8) + [0xff, 0xff, 0, 0]) || ip.starts(with: [0, 0x64, 0xff, 0x9b] + [UInt8](repeating: 0, count: 8)) {
            return Array(ip[12..<16])
        }
        if ip.starts(with: [0x20, 0x02]) { return Array(ip[2..<6]) }
        if ip.starts(with: [0x20, 0x01, 0, 0]) { return ip[12..<16].map { ~$0 } }
        return nil
    }

    /// Tor v2 addresses as old nodes sent them in `addr` (fd87:d87e:eb43::/48); Core reads them as `::`.
    private static let onionCatPrefix: [UInt8] = [0xfd, 0x87, 0xd8, 0x7e, 0xeb, 0x43]
    private static let internalPrefix: [UInt8] = [0xfd, 0x6b, 0x88, 0xc0, 0x87, 0x24]
}
