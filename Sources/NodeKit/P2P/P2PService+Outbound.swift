import Foundation
import NIOCore
import NetSync
import P2P
import P2PWire

extension P2PService {
    /// Core's outbound targets: 8 full-relay and 2 block-relay-only connections (fewer when
    /// `-maxconnections` is lower), and a feeler about every 2 minutes once those are full.
    var fullRelayTarget: Int { min(8, configuration.maxConnections) }
    var blockRelayTarget: Int { min(2, max(0, configuration.maxConnections - 8)) }
    static let feelerInterval: Double = 120

    /// Opens the node's own outbound connections from the address book (not with `-connect`,
    /// which connects to those peers only, or with `-connect=0`, to none), one attempt at a time,
    /// as Core's `ThreadOpenConnections`.
    func maintainOutboundConnections() async {
        guard configuration.automaticConnections else { return }
        for seed in configuration.seedNode {
            _ = await connect(to: seed, type: .addrFetch, addedNode: nil)
        }
        var nextFeeler = Date().addingTimeInterval(Self.exponential(mean: Self.feelerInterval))
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(500))
            guard isNetworkActive else { continue }
            let connections = registry.connections.map(\.1)
            let fullRelay = connections.count { $0.type == .outboundFullRelay }
            let blockRelay = connections.count { $0.type == .blockRelayOnly }
            let type: PeerRegistry.ConnectionType
            if fullRelay < fullRelayTarget {
                type = .outboundFullRelay
            } else if blockRelay < blockRelayTarget {
                type = .blockRelayOnly
            } else if Date() >= nextFeeler {
                type = .feeler
                nextFeeler = Date().addingTimeInterval(Self.exponential(mean: Self.feelerInterval))
            } else {
                continue
            }
            guard let address = candidate(newOnly: type == .feeler, avoiding: connections) else { continue }
            addressBook.attempt(address, countFailure: true)
            let text = PeerRegistry.Connection.endpoint(ip: address.ip, port: Int(address.port))
            _ = await connect(to: text, type: type, addedNode: nil, bookAddress: address)
        }
    }

    /// An address from the book worth trying: not connected already, not ourselves, not banned or
    /// discouraged, not tried in the last 10 minutes, and (off regtest) not in the network group
    /// of another outbound peer (Core's diversity rule against eclipse attacks). 100 draws at most.
    func candidate(newOnly: Bool, avoiding connections: [PeerRegistry.Connection]) -> NetworkAddress? {
        let now = UnixTime.now
        let outboundGroups = Set(connections.filter { !$0.inbound }.map { AddressGroup(NetworkAddress(services: [], ip: $0.ip, port: 0)) })
        for _ in 0..<100 {
            guard let (address, lastTry) = addressBook.select(newOnly: newOnly) else { return nil }
            if connections.contains(where: { $0.ip == address.ip && ($0.port == Int(address.port) || $0.bookAddress == address) }) { continue }
            if address.isLocal && Int(address.port) == configuration.port { continue }
            if banList.refuses(address.ip, inbound: true) { continue }
            if now - lastTry < 600 { continue }
            if params.network != .regtest, outboundGroups.contains(AddressGroup(address)) { continue }
            return address
        }
        return nil
    }

    static func exponential(mean: Double) -> TimeInterval {
        -log1p(-Double.random(in: 0..<1)) * mean
    }
}
