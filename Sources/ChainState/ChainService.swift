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

    /// Takes ownership of `state`, recording its tip changes for `takeEvents`.
    public init(state: sending ChainState, onFatalError: @escaping @Sendable (ChainStateError) -> Void = { _ in }) {
        state.recordsEvents = true
        self.state = state
        self.onFatalError = onFatalError
    }

    /// The tip changes since the last call, oldest first (for whoever keeps the mempool and
    /// other followers in line with the chain).
    public func takeEvents() -> [ChainEvent] { state.takeEvents() }

    /// Runs `body` with exclusive access to the chain state.
    public func access<T: Sendable>(_ body: (ChainState) throws(ChainStateError) -> T) throws(ChainStateError) -> T {
        if let fatalError { throw fatalError }
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

    /// Writes the UTXO cache out (on shutdown).
    public func flush() throws(ChainStateError) {
        try access { (state: ChainState) throws(ChainStateError) in try state.flush() }
    }
}
