import DequeModule
import Synchronization

/// The sending side of one WebSocket connection, as its session sees it: text messages queued
/// for the client without waiting, up to a byte budget.
public final class WebSocketConnection: Sendable {
    /// The authenticated user and the client's address.
    public let user: String
    public let peerAddress: String

    /// What the connection's writer sends next.
    enum Outgoing: Sendable {
        case text(String)
        case pong([UInt8])
        case close(code: UInt16)
    }

    private struct State {
        var queue: Deque<Outgoing> = []
        var queuedBytes = 0
        var closed = false
        var waiter: CheckedContinuation<Outgoing?, Never>?
    }

    private let state = Mutex(State())
    private let maxQueuedBytes: Int

    init(user: String, peerAddress: String, maxQueuedBytes: Int) {
        self.user = user
        self.peerAddress = peerAddress
        self.maxQueuedBytes = maxQueuedBytes
    }

    /// Queues `text` for the client; false (the message is dropped) when the queue is over its
    /// budget or the connection closed.
    @discardableResult
    public func send(_ text: String) -> Bool {
        enqueue(.text(text), bytes: text.utf8.count, bounded: true)
    }

    /// Closes the connection (a normal closure) after what is queued.
    public func close() {
        _ = enqueue(.close(code: 1000), bytes: 0, bounded: false)
    }

    /// Queues a control frame (pong, close) regardless of the budget.
    func sendControl(_ item: Outgoing) {
        _ = enqueue(item, bytes: 0, bounded: false)
    }

    private enum Enqueued {
        case handed(CheckedContinuation<Outgoing?, Never>)
        case queued
        case refused
    }

    private func enqueue(_ item: Outgoing, bytes: Int, bounded: Bool) -> Bool {
        let outcome = state.withLock { state -> Enqueued in
            guard !state.closed else { return .refused }
            if let waiter = state.waiter {
                // The writer is idle, so nothing is queued: hand the message straight over.
                state.waiter = nil
                return .handed(waiter)
            }
            if bounded && state.queuedBytes + bytes > maxQueuedBytes { return .refused }
            state.queue.append(item)
            state.queuedBytes += bytes
            return .queued
        }
        switch outcome {
        case let .handed(waiter):
            waiter.resume(returning: item)
            return true
        case .queued: return true
        case .refused: return false
        }
    }

    /// The next message to write; nil once the connection is finished.
    func next() async -> Outgoing? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Outgoing?, Never>) in
            let ready: Outgoing?? = state.withLock { state in
                if let item = state.queue.popFirst() {
                    if case let .text(text) = item { state.queuedBytes -= text.utf8.count }
                    return .some(item)
                }
                if state.closed { return .some(nil) }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Ends the connection: nothing more is queued, the writer stops.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Outgoing?, Never>? in
            state.closed = true
            state.queue.removeAll()
            state.queuedBytes = 0
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }
}
