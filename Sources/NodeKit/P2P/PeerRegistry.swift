import Foundation
import IPAddressing
import Logging
import NIOCore
import NetSync
import P2P
import P2PWire
import Synchronization

/// The open peer connections by id: NetSync's `PeerNetwork` (sending, dropping, punishing),
/// the connection limits, and what `getpeerinfo` reports of each connection.
final class PeerRegistry: PeerNetwork, Sendable {
    /// Core's connection types.
    enum ConnectionType: String, Sendable, CaseIterable {
        case inbound
        case manual
        case outboundFullRelay = "outbound-full-relay"
        case blockRelayOnly = "block-relay-only"
        case feeler
        case addrFetch = "addr-fetch"

        /// Whether it takes part in address relay.
        var relaysAddresses: Bool { self != .blockRelayOnly && self != .feeler }
    }

    struct Connection: Sendable {
        let channel: any Channel
        let type: ConnectionType
        /// The remote address: 16 bytes (IPv4 mapped), and port (for an outbound connection,
        /// known once it is made).
        var ip: [UInt8]
        var port: Int
        /// The `-addnode`/`addnode` name it was made for.
        let addedNode: String?
        /// The address book entry it was made for (automatic outbound connections).
        let bookAddress: NetworkAddress?
        let connectedAt: Int64
        let traffic: TrafficMeter
        /// Received messages not yet handled (reading pauses past Core's 5 MB).
        let budget: ReceiveBudget
        var pingTime: Int64?
        var minimumPing: Int64?
        /// Whether it asked for `addrv2`, and whether transactions are relayed with it (known
        /// after the handshake).
        var addressesV2 = false
        var relaysTransactions = false
        /// When it last gave us a new block or transaction (Unix seconds; 0: never).
        var lastBlockTime: Int64 = 0
        var lastTransactionTime: Int64 = 0

        var inbound: Bool { type == .inbound }

        /// `ip:port`, IPv6 in brackets.
        var address: String { Self.endpoint(ip: ip, port: port) }

        static func host(_ ip: [UInt8]) -> String { IPSubnet.format(ip) }

        /// `ip:port` of a 16-byte address, IPv6 in brackets (as `-connect` takes it).
        static func endpoint(ip: [UInt8], port: Int) -> String {
            let host = host(ip)
            return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }

    private struct State {
        var connections: [PeerID: Connection] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())
    private let bans: PeerBans
    private let logger: Logger

    init(bans: PeerBans, logger: Logger) {
        self.bans = bans
        self.logger = logger
    }

    /// Registers a connection unless `limit` connections of its kind (inbound, or not) are open;
    /// an inbound newcomer past the limit takes the place of the peer `evict` picks, if any,
    /// whose channel is returned to be closed.
    func register(
        _ connection: Connection, limit: Int, evict: ([(PeerID, Connection)]) -> PeerID? = { _ in nil }
    ) -> (id: PeerID?, evicted: (any Channel)?) {
        state.withLock { state in
            var evicted: (any Channel)?
            let sameKind = state.connections.filter { $0.value.inbound == connection.inbound }
            if sameKind.count >= limit {
                guard connection.inbound, let victim = evict(sameKind.map { ($0.key, $0.value) }),
                      let removed = state.connections.removeValue(forKey: victim) else { return (nil, nil) }
                evicted = removed.channel
            }
            state.nextID += 1
            let id = PeerID(state.nextID)
            state.connections[id] = connection
            return (id, evicted)
        }
    }

    func remove(_ id: PeerID) {
        _ = state.withLock { $0.connections.removeValue(forKey: id) }
    }

    func connection(_ id: PeerID) -> Connection? { state.withLock { $0.connections[id] } }

    var connections: [(PeerID, Connection)] { state.withLock { $0.connections.map { ($0.key, $0.value) } } }

    var all: [any Channel] { state.withLock { $0.connections.values.map(\.channel) } }

    /// The handshake completed: notes what was negotiated, and takes the remote address from the
    /// socket (an outbound connection has it once made).
    func established(_ id: PeerID, version: PeerVersion) {
        state.withLock { state in
            guard var connection = state.connections[id] else { return }
            connection.addressesV2 = version.addressesV2
            connection.relaysTransactions = version.relay && connection.type != .blockRelayOnly
            let remote = P2PService.address(connection.channel.remoteAddress)
            if remote != .unspecified {
                connection.ip = remote.ip
                connection.port = Int(remote.port)
            }
            state.connections[id] = connection
        }
    }

    func recordPing(_ id: PeerID, milliseconds: Int64) {
        state.withLock { state in
            guard var connection = state.connections[id] else { return }
            connection.pingTime = milliseconds
            connection.minimumPing = min(milliseconds, connection.minimumPing ?? .max)
            state.connections[id] = connection
        }
    }

    func delivered(_ delivery: Delivery, by peer: PeerID) {
        let now = UnixTime.now
        state.withLock { state in
            guard var connection = state.connections[peer] else { return }
            switch delivery {
            case .block: connection.lastBlockTime = now
            case .transaction: connection.lastTransactionTime = now
            }
            state.connections[peer] = connection
        }
    }

    func send(_ message: Message, to peer: PeerID) {
        connection(peer)?.channel.writeAndFlush(message, promise: nil)
    }

    func hasRoom(for peer: PeerID) -> Bool {
        connection(peer)?.channel.isWritable ?? false
    }

    func disconnect(_ peer: PeerID, reason: String) {
        connection(peer)?.channel.close(promise: nil)
    }

    /// Disconnects a misbehaving peer and discourages its address, as Core: manual peers are
    /// only warned about, local ones are dropped but not discouraged (that would shut out every
    /// peer on the host).
    func punish(_ peer: PeerID, reason: String) {
        guard let connection = connection(peer) else { return }
        guard connection.type != .manual else {
            logger.warning("not punishing manually connected peer", metadata: ["peer": "\(peer)", "reason": "\(reason)"])
            return
        }
        logger.info("disconnecting misbehaving peer", metadata: ["peer": "\(peer)", "reason": "\(reason)"])
        bans.discourage(connection.ip)
        P2PMetrics.misbehaviourDisconnect()
        connection.channel.close(promise: nil)
    }
}
