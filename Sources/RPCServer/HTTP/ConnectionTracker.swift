import NIOCore
import Synchronization

/// The open connections and whether each is answering a request, so a graceful shutdown can
/// close idle connections at once and let busy ones finish their response.
final class ConnectionTracker: Sendable {
    private struct Entry {
        var channel: any Channel
        var busy: Bool
    }

    private struct State {
        var shuttingDown = false
        var nextID = 0
        var connections: [Int: Entry] = [:]
    }

    private let state = Mutex(State())

    /// Registers a new connection; nil when shutting down (the caller closes it).
    func register(_ channel: any Channel) -> Int? {
        state.withLock { state in
            guard !state.shuttingDown else { return nil }
            state.nextID += 1
            state.connections[state.nextID] = Entry(channel: channel, busy: false)
            return state.nextID
        }
    }

    /// Marks connection `id` busy or idle; returns whether a shutdown has begun.
    func setBusy(_ id: Int, _ busy: Bool) -> Bool {
        state.withLock { state in
            state.connections[id]?.busy = busy
            return state.shuttingDown
        }
    }

    /// Forgets connection `id`.
    func remove(_ id: Int) {
        _ = state.withLock { $0.connections.removeValue(forKey: id) }
    }

    /// Whether a shutdown has begun.
    var isShuttingDown: Bool {
        state.withLock { $0.shuttingDown }
    }

    /// Begins the shutdown and returns the idle connections, which the caller closes.
    func beginShutdown() -> [any Channel] {
        state.withLock { state in
            state.shuttingDown = true
            return state.connections.values.filter { !$0.busy }.map(\.channel)
        }
    }

    /// Every open connection (for an immediate stop).
    func allChannels() -> [any Channel] {
        state.withLock { $0.connections.values.map(\.channel) }
    }
}
