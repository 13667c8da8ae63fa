import ChainState
import NetSync
import Synchronization

/// The chain as sync last saw it, refreshed by whoever changes the chain while holding it (the
/// block ingest, header acceptance), so NetSync does not wait for a batch being validated to
/// learn the tip. A tip change it did not see (a block mined over RPC, a reorg) clears it, and
/// the next reader fetches afresh.
final class ChainStatusCache: Sendable {
    private let value = Mutex<ChainSyncStatus?>(nil)

    var current: ChainSyncStatus? { value.withLock { $0 } }

    func store(_ status: ChainSyncStatus) { value.withLock { $0 = status } }

    /// The tip is now at `height`: what is cached goes unless it says so already.
    func tipChanged(to height: Int) {
        value.withLock { cached in if cached?.tipHeight != height { cached = nil } }
    }

    func clear() { value.withLock { $0 = nil } }

    /// What sync needs of `state` (called with the chain held).
    static func snapshot(of state: ChainState) -> ChainSyncStatus {
        ChainSyncStatus(
            tipHeight: state.tip.height, bestHeaderHeight: state.bestHeaderHeight, bestHeaderTime: Int64(state.bestHeader.header.time),
            headersLocator: state.headersLocator(), isInitialBlockDownload: state.isInitialBlockDownload)
    }
}
