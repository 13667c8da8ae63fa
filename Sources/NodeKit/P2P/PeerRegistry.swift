import NIOCore
import NetSync
import P2PWire
import Foundation
import Synchronization

/// The open peer connections by id: NetSync's `PeerNetwork`, and the count limit.
final class PeerRegistry: PeerNetwork, Sendable {
    private struct State {
        var channels: [PeerID: any Channel] = [:]
        var connectedAt: [PeerID: Int64] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    /// Registers a connection unless `limit` are open; returns its id.
    func register(_ channel: any Channel, limit: Int) -> PeerID? {
        state.withLock { state in
            guard state.channels.count < limit else { return nil }
            state.nextID += 1
            let id = PeerID(state.nextID)
            state.channels[id] = channel
            state.connectedAt[id] = Int64(Date().timeIntervalSince1970)
            return id
        }
    }

    func remove(_ id: PeerID) {
        state.withLock { state in
            state.channels[id] = nil
            state.connectedAt[id] = nil
        }
    }

    /// A connection's remote address (`host:port`) and when it was made.
    func details(_ id: PeerID) -> (address: String, connectedAt: Int64)? {
        state.withLock { state in
            guard let channel = state.channels[id], let time = state.connectedAt[id] else { return nil }
            guard let remote = channel.remoteAddress, let ip = remote.ipAddress, let port = remote.port else { return ("?", time) }
            return (ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)", time)
        }
    }

    var count: Int { state.withLock { $0.channels.count } }

    var all: [any Channel] { state.withLock { Array($0.channels.values) } }

    func send(_ message: Message, to peer: PeerID) {
        state.withLock { $0.channels[peer] }?.writeAndFlush(message, promise: nil)
    }

    func hasRoom(for peer: PeerID) -> Bool {
        state.withLock { $0.channels[peer] }?.isWritable ?? false
    }

    func disconnect(_ peer: PeerID, reason: String) {
        state.withLock { $0.channels[peer] }?.close(promise: nil)
    }
}
