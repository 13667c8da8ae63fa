import Foundation
import IPAddressing
import NIOCore
import NetSync
import P2P
import P2PWire

extension P2PService {
    /// Address messages are handled here, the rest goes to NetSync.
    func handleAddressMessage(_ message: Message, from id: PeerID) -> Bool {
        switch message {
        case let .addresses(entries):
            receivedAddresses(entries, from: id)
        case let .addressesV2(entries):
            receivedAddresses(entries.compactMap(Self.timestamped), from: id)
        case .getAddresses:
            guard addressRelay.withLock({ $0.answersGetaddr(from: id) }) else { return true }
            let answer = cachedGetaddrAnswer()
            addressRelay.withLock { $0.sent(answer, to: id) }
            send(answer, to: id)
        default:
            return false
        }
        return true
    }

    /// Core's addr-fetch timeout (ten address broadcast intervals): a seed that has nothing to
    /// tell is left after five minutes.
    static let addressFetchTimeout: Int64 = 5 * 60

    /// Closes address-fetch connections older than the timeout.
    func closeExpiredAddressFetches() {
        let now = UnixTime.now
        for (_, connection) in registry.connections where connection.type == .addrFetch && now - connection.connectedAt > Self.addressFetchTimeout {
            connection.channel.close(promise: nil)
        }
    }

    /// The `getaddr` answer, drawn again only every 21 to 27 hours (Core's cache), so the
    /// address book cannot be read out by asking again and again.
    func cachedGetaddrAnswer() -> [TimestampedAddress] {
        let now = UnixTime.now
        return getaddrCache.withLock { cache in
            if let cached = cache, cached.expires > now { return cached.answer }
            let answer = addressBook.addresses()
            cache = (answer, now + 21 * 3_600 + Int64.random(in: 0...(6 * 3_600)))
            return answer
        }
    }

    /// An `addrv2` entry for IPv4 or IPv6 as an `addr` entry; nil for other networks.
    static func timestamped(_ entry: AddressV2) -> TimestampedAddress? {
        guard entry.network == .ipv4 || entry.network == .ipv6 else { return nil }
        return TimestampedAddress(time: entry.time, address: NetworkAddress(services: entry.services, addressBytes: entry.address, port: entry.port))
    }

    /// Sends addresses as `addrv2` to peers that asked for it, else `addr`.
    func send(_ entries: [TimestampedAddress], to id: PeerID) {
        guard !entries.isEmpty else { return }
        if registry.connection(id)?.addressesV2 == true {
            registry.send(.addressesV2(entries.compactMap { entry in
                let v4 = entry.address.ipv4
                return AddressV2(
                    time: entry.time, services: entry.address.services, networkID: v4 == nil ? 2 : 1, address: v4 ?? entry.address.ip,
                    port: entry.address.port)
            }), to: id)
        } else {
            registry.send(.addresses(entries), to: id)
        }
    }

    private func receivedAddresses(_ entries: [TimestampedAddress], from id: PeerID) {
        guard let connection = registry.connection(id), connection.type.relaysAddresses else { return }
        let allowed = entries.filter { !banList.refuses($0.address.ip, inbound: true) }
        let outcome = addressRelay.withLock { $0.received(allowed, from: id, now: UnixTime.now) }
        addressBook.add(outcome.accepted, source: NetworkAddress(services: [], ip: connection.ip, port: UInt16(clamping: connection.port)))
        for (target, forwarded) in outcome.forwards { send(forwarded, to: target) }
        // An address-fetch connection has done its job once the answer came (more than one
        // address: a single one is likely the peer announcing itself), as Core.
        if connection.type == .addrFetch, entries.count > 1 { connection.channel.close(promise: nil) }
    }

    /// After the handshake: address relay starts (not with block-relay-only peers or feelers);
    /// outbound peers are asked for addresses and told ours; a feeler has done its job.
    func addressesOnConnection(_ id: PeerID) {
        guard let connection = registry.connection(id) else { return }
        if let entry = connection.bookAddress { addressBook.good(entry) }
        if connection.type == .feeler {
            connection.channel.close(promise: nil)
            return
        }
        guard connection.type.relaysAddresses else { return }
        addressRelay.withLock { $0.connected(id, inbound: connection.inbound, now: UnixTime.now) }
        guard !connection.inbound else { return }
        addressRelay.withLock { $0.askedForAddresses(id) }
        registry.send(.getAddresses, to: id)
        if let own = ownAddress(seenThrough: connection) {
            let entry = TimestampedAddress(time: UInt32(clamping: UnixTime.now), address: own)
            addressRelay.withLock { $0.sent([entry], to: id) }
            send([entry], to: id)
        }
    }

    /// The address we listen at as the peer reaches us: the local end of this connection and
    /// our `-port` (advertised only if the address book would keep it: routable, or any valid
    /// address on a local test network).
    func ownAddress(seenThrough connection: PeerRegistry.Connection) -> NetworkAddress? {
        guard configuration.listen else { return nil }
        let local = Self.address(connection.channel.localAddress)
        let own = NetworkAddress(services: services, ip: local.ip, port: UInt16(clamping: configuration.port))
        return (params.network == .regtest ? own.isValid : own.isRoutable) ? own : nil
    }
}
