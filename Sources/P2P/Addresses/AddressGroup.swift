import P2PWire

/// The network group of an address, as Bitcoin Core's `NetGroupManager::GetGroup` computes it
/// without an asmap: a network class byte, then the part of the address one operator is
/// likely to control. Routable IPv4 addresses (and IPv6 addresses embedding one) group by /16,
/// other IPv6 by /32 (Hurricane Electric's 2001:470::/32 by /36); all local and unroutable
/// addresses share one group. The address manager spreads entries over buckets by group so that
/// one operator cannot fill its tables.
public struct AddressGroup: Hashable, Sendable {
    /// Core's network class numbers, the first byte of a group.
    enum NetworkClass: UInt8 {
        case unroutable = 0, ipv4 = 1, ipv6 = 2, `internal` = 6
    }

    /// The longest group: the class byte and an internal address's 10 bytes.
    static let maxLength = 11

    /// The group's bytes as Core hashes them.
    public let bytes: [UInt8]

    /// The group of `address` (its services and port play no part).
    public init(_ address: NetworkAddress) {
        if address.isInternal {
            bytes = [NetworkClass.internal.rawValue] + address.ip[6..<16]
        } else if !address.isRoutable {
            bytes = [NetworkClass.unroutable.rawValue]
        } else if let v4 = address.linkedIPv4 {
            bytes = [NetworkClass.ipv4.rawValue, v4[0], v4[1]]
        } else if address.ip.starts(with: [0x20, 0x01, 0x04, 0x70]) {
            bytes = [NetworkClass.ipv6.rawValue] + address.ip[0..<4] + [address.ip[4] | 0x0f]
        } else {
            bytes = [NetworkClass.ipv6.rawValue] + address.ip[0..<4]
        }
    }

    /// A group from stored bytes (an address book file).
    init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}
