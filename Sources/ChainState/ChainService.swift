import ChainTypes
import Storage

/// The one owner of a `ChainState`: every read and change goes through this actor, so the node's
/// RPC handlers, miners and (later) peers never touch chain state concurrently.
///
/// A storage failure is fatal: the first one is reported to `onFatalError` (the node then shuts
/// down cleanly) and every later call fails with it.
public actor ChainService {
    private let state: ChainState
    private var fatalError: ChainStateError?
    private let onFatalError: @Sendable (ChainStateError) -> Void
    private let eventContinuation: AsyncStream<[ChainEvent]>.Continuation?

    /// Tip changes, one element per call that changed the tip, in order (only when the service
    /// was made with `publishesEvents`).
    public nonisolated let events: AsyncStream<[ChainEvent]>

    /// Takes ownership of `state`. With `publishesEvents`, tip changes are published on
    /// `events` (which must then be consumed).
    public init(
        state: sending ChainState, publishesEvents: Bool = false, onFatalError: @escaping @Sendable (ChainStateError) -> Void = { _ in }
    ) {
        state.recordsEvents = publishesEvents
        self.state = state
        self.onFatalError = onFatalError
        if publishesEvents {
            let (stream, continuation) = AsyncStream<[ChainEvent]>.makeStream()
            events = stream
            eventContinuation = continuation
        } else {
            events = AsyncStream { $0.finish() }
            eventContinuation = nil
        }
    }

    /// Runs `body` with exclusive access to the chain state.
    public func access<T: Sendable>(_ body: (ChainState) throws(ChainStateError) -> T) throws(ChainStateError) -> T {
        if let fatalError { throw fatalError }
        defer { publishEvents() }
        do {
            return try body(state)
        } catch {
            switch error {
            case .storage, .inconsistent:
                fatalError = error
                onFatalError(error)
            default:
                break
            }
            throw error
        }
    }

    private func publishEvents() {
        guard let eventContinuation else { return }
        let changes = state.takeEvents()
        if !changes.isEmpty { eventContinuation.yield(changes) }
    }

    /// Writes the UTXO cache out (on shutdown).
    public func flush() throws(ChainStateError) {
        try access { (state: ChainState) throws(ChainStateError) in try state.flush() }
    }
}
