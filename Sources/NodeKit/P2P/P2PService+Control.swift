import Foundation
import IPAddressing
import JSONRPC
import NIOCore
import NetSync
import NodeRPC
import P2P
import P2PWire

/// The network RPCs' view of the P2P side, with Core's errors.
extension P2PService: NetworkControl {
    func peers() async -> [PeerSummary] {
        let states = Dictionary(uniqueKeysWithValues: await sync.peerStates())
        return registry.connections.compactMap { id, connection in
            guard let state = states[id] else { return nil }
            var summary = PeerSummary(
                id: id.rawValue, address: connection.address, inbound: connection.inbound, connectionType: connection.type.rawValue,
                services: state.version.services.rawValue, version: state.version.version, userAgent: state.version.userAgent,
                startingHeight: state.version.startHeight, relaysTransactions: state.version.relay, connectedTime: connection.connectedAt)
            summary.blocksInFlight = state.blocksInFlight
            summary.syncedHeaders = state.syncedHeaders
            summary.feeFilter = state.feeFilter
            let traffic = connection.traffic.byCommand
            summary.bytesSentPerMessage = traffic.mapValues(\.sent)
            summary.bytesReceivedPerMessage = traffic.mapValues(\.received)
            summary.bytesSent = traffic.values.reduce(0) { $0 + $1.sent }
            summary.bytesReceived = traffic.values.reduce(0) { $0 + $1.received }
            summary.pingTime = connection.pingTime
            summary.minimumPing = connection.minimumPing
            return summary
        }
    }

    var isNetworkActive: Bool { active.load(ordering: .relaxed) }

    var localServices: UInt64 { services.rawValue }

    func setNetworkActive(_ value: Bool) {
        guard active.exchange(value, ordering: .relaxed) != value else { return }
        logger.info("setnetworkactive: \(value)")
        if !value { registry.all.forEach { $0.close(promise: nil) } }
    }

    func addNode(_ node: String, command: String) throws(RPCError) {
        switch command {
        case "onetry":
            guard isNetworkActive else { throw NetworkMethods.p2pDisabled }
            Task { _ = await self.connect(to: node, addedNode: nil) }
        case "add":
            let added = addedNodeTasks.withLock { tasks -> Bool in
                guard tasks[node] == nil else { return false }
                tasks[node] = Task { await self.keepConnected(to: node, addedNode: node) }
                return true
            }
            guard added else { throw RPCError(.clientNodeAlreadyAdded, "Error: Node already added") }
        default:
            guard let task = addedNodeTasks.withLock({ $0.removeValue(forKey: node) }) else {
                throw RPCError(.clientNodeNotAdded, "Error: Node could not be removed. It has not been added previously.")
            }
            task.cancel()
        }
    }

    func addedNodes() -> [(node: String, connectedAt: String?)] {
        let connected = registry.connections.map(\.1)
        return addedNodeTasks.withLock { Array($0.keys) }.sorted().map { node in
            (node, connected.first { $0.addedNode == node || !$0.inbound && $0.address == node }?.address)
        }
    }

    func disconnect(address: String?, id: Int?) throws(RPCError) {
        let match = registry.connections.first { peer, connection in
            if let id { return peer.rawValue == id }
            return connection.address == address || connection.addedNode == address
        }
        guard let (_, connection) = match else { throw RPCError(.clientNodeNotConnected, "Node not found in connected nodes") }
        connection.channel.close(promise: nil)
    }

    func totals() -> (sent: Int, received: Int) {
        let totals = traffic.totals
        return (totals.sent, totals.received)
    }

    func pingAll() {
        for channel in registry.all { channel.pipeline.fireUserInboundEventTriggered(PeerChannelHandler.PingRequest()) }
    }

    func setBan(_ text: String, command: String, banTime: Int64, absolute: Bool) throws(RPCError) {
        guard let subnet = IPSubnet(text) else { throw RPCError(.clientInvalidIPOrSubnet, "Error: Invalid IP/Subnet") }
        if command == "remove" {
            guard banList.unban(subnet) else {
                throw RPCError(.clientInvalidIPOrSubnet, "Error: Unban failed. Requested address/subnet was not previously manually banned.")
            }
            return
        }
        let now = UnixTime.now
        if text.contains("/") ? banList.entries().contains(where: { $0.subnet == subnet }) : banList.isBanned(subnet.network) {
            throw RPCError(.clientNodeAlreadyAdded, "Error: IP/Subnet already banned")
        }
        // Saturating: a huge bantime from a client bans for ever rather than overflow.
        let (sum, overflow) = now.addingReportingOverflow(banTime)
        let until = banTime <= 0 ? now + BanList.defaultBanTime : absolute ? banTime : overflow ? .max : sum
        banList.ban(subnet, until: until)
        for (_, connection) in registry.connections where subnet.contains(bytes: connection.ip) {
            connection.channel.close(promise: nil)
        }
    }

    func bans() -> [BanSummary] {
        banList.entries().map { BanSummary(subnet: $0.subnet.description, created: $0.created, until: $0.until) }
    }

    func clearBans() { banList.clear() }

    func knownAddresses(count: Int, network: String?) -> [KnownAddress] {
        let all = addressBook.addresses(maxCount: Int.max, maxPercent: 100).map { entry in
            KnownAddress(
                time: Int64(entry.time), services: entry.address.services.rawValue, address: PeerRegistry.Connection.host(entry.address.ip),
                port: Int(entry.address.port), network: entry.address.ipv4 == nil ? "ipv6" : "ipv4")
        }
        let wanted = all.filter { network == nil || $0.network == network }
        return count == 0 ? wanted : Array(wanted.prefix(count))
    }

    func addPeerAddress(_ text: String, port: Int, tried: Bool) -> Bool {
        guard let bytes = IPSubnet.parseAddress(text) else { return false }
        let address = NetworkAddress(services: [.network, .witness], addressBytes: bytes, port: UInt16(clamping: port))
        guard addressBook.add([TimestampedAddress(time: UInt32(clamping: UnixTime.now), address: address)], source: address, penalty: 0) > 0 else {
            return false
        }
        if tried { addressBook.good(address) }
        return true
    }
}
