import P2PWire

/// What identifies an entry of the address manager: the 16-byte IP and the port (Core's
/// `CService`), held as words so that lookups hash without allocating.
struct AddressKey: Hashable, Sendable {
    let high: UInt64
    let low: UInt64
    let port: UInt16

    /// The key of `address`; `nil` unless its IP has 16 bytes.
    init?(_ address: NetworkAddress) {
        guard address.ip.count == 16 else { return nil }
        let ip = address.ip
        high = ip[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        low = ip[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        port = address.port
    }

    /// The 16 bytes of the IP.
    var ip: [UInt8] {
        (0..<16).map { index in
            UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> (8 * UInt64(7 - index % 8)))
        }
    }

    /// Core's `CService::GetKey`, which the bucket hashes take: the IP, then the port big-endian.
    var bytes: [UInt8] {
        ip + [UInt8(port >> 8), UInt8(truncatingIfNeeded: port)]
    }

    /// The address with `services`.
    func address(services: ServiceFlags) -> NetworkAddress {
        NetworkAddress(services: services, ip: ip, port: port)
    }
}
