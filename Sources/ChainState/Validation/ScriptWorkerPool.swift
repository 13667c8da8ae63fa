import DequeModule
import Dispatch
import Synchronization

/// The helpers that verify script batches for every `ScriptCheckQueue` of a chain state, as
/// Bitcoin Core's `-par` workers: `threads - 1` helpers, because the connecting thread is the
/// last worker (it verifies its block's remaining batches itself while it waits). So the
/// threads verifying never outnumber the cores. Helpers take batches in the order they were
/// queued, older blocks first; a waiting owner takes its own block's first.
final class ScriptWorkerPool: Sendable {
    /// One batch of one queue.
    struct Work: Sendable {
        let queue: ScriptCheckQueue
        let jobs: [ScriptCheckQueue.Job]
    }

    private struct State {
        var pending: Deque<Work> = []
        var activeHelpers = 0
    }

    /// Helper threads that may run at once.
    let helpers: Int
    private let state = Mutex(State())

    /// A pool for `threads` verifying threads in all (the caller's included).
    init(threads: Int) {
        helpers = max(0, threads - 1)
    }

    /// Queues a batch; a helper takes it unless all are busy (then the first to finish does).
    func submit(_ work: Work) {
        let startHelper = state.withLock { state in
            state.pending.append(work)
            guard state.activeHelpers < helpers else { return false }
            state.activeHelpers += 1
            return true
        }
        if startHelper { DispatchQueue.global(qos: .userInitiated).async { self.help() } }
    }

    /// The oldest queued batch of `queue` (whose owner is waiting for it), else the oldest of
    /// any queue.
    func takeNext(preferring queue: ScriptCheckQueue) -> Work? {
        state.withLock { state in
            guard let index = state.pending.firstIndex(where: { $0.queue === queue }) ?? state.pending.indices.first else { return nil }
            return state.pending.remove(at: index)
        }
    }

    /// A helper's loop: runs batches until none is queued.
    private func help() {
        while let work = state.withLock({ state -> Work? in
            if let next = state.pending.popFirst() { return next }
            state.activeHelpers -= 1
            return nil
        }) {
            work.queue.run(work.jobs)
        }
    }
}
