import ChainTypes
import Dispatch
import Script
import Synchronization

/// Verifies the scripts of a block's transactions on several threads while the caller keeps
/// working through the block (Bitcoin Core's check queue): jobs go to the pool's helpers in
/// batches as they are added, and `finish` verifies what no helper has taken yet, then waits
/// for the rest. Pure work, no shared state but the signature cache; the caller commits the
/// block only if `finish` reports no failure.
final class ScriptCheckQueue: Sendable {
    /// The transaction at `index` of the block and the outputs its inputs spend.
    struct Job: Sendable {
        let index: Int
        let spent: [TxOut]
    }

    struct Failure: Error, Sendable {
        let transaction: TxID
        let input: Int
        let error: ScriptError
    }

    /// Transactions per batch handed to a helper.
    static let batchSize = 16

    /// The block's transactions (jobs refer to them by index, so no job copies one).
    private let transactions: [Transaction]
    private let pool: ScriptWorkerPool
    private let flags: ScriptVerifyFlags
    private let cache: SignatureCache?
    /// Whether verified signatures are added to `cache` (block proposals) or found ones used up (blocks).
    private let storesInCache: Bool
    /// Batches submitted and not yet run.
    private let group = DispatchGroup()
    private let firstFailure = Mutex<(index: Int, failure: Failure)?>(nil)
    private let pending = Mutex<[Job]>([])
    private let cancelled = Atomic(false)

    init(transactions: [Transaction], pool: ScriptWorkerPool, flags: ScriptVerifyFlags, cache: SignatureCache?, storesInCache: Bool = false) {
        self.transactions = transactions
        self.pool = pool
        self.flags = flags
        self.cache = cache
        self.storesInCache = storesInCache
    }

    /// Queues a transaction; a full batch goes to the pool right away.
    func add(_ job: Job) {
        let batch: [Job]? = pending.withLock { jobs in
            jobs.append(job)
            guard pool.helpers > 0, jobs.count >= Self.batchSize else { return nil }
            defer { jobs.removeAll(keepingCapacity: true) }
            return jobs
        }
        if let batch {
            group.enter()
            pool.submit(.init(queue: self, jobs: batch))
        }
    }

    /// Verifies what is left (the partial batch and batches no helper has taken), waits for the
    /// helpers, and returns the failure of the lowest transaction index, if any. While helpers
    /// finish this block's last batches, the caller runs batches of blocks queued after it
    /// rather than wait idle.
    func finish() -> Failure? {
        let rest = pending.withLock { jobs in
            defer { jobs.removeAll() }
            return jobs
        }
        verify(rest)
        while group.wait(timeout: .now()) == .timedOut {
            guard let work = pool.takeNext(preferring: self) else {
                group.wait()
                break
            }
            work.queue.run(work.jobs)
        }
        // Scripts were skipped: a cancelled queue never passes.
        if cancelled.load(ordering: .relaxed) {
            return Failure(transaction: transactions.first?.txid ?? TxID(.zero), input: 0, error: .unknownError)
        }
        return firstFailure.withLock { $0?.failure }
    }

    /// Stops queued work (the block already failed another rule); batches still queued return
    /// at once, and `finish` reports a failure.
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
        pending.withLock { $0.removeAll() }
    }

    /// Verifies a submitted batch and marks it done.
    func run(_ batch: [Job]) {
        verify(batch)
        group.leave()
    }

    private func verify(_ batch: [Job]) {
        for job in batch {
            if cancelled.load(ordering: .relaxed) { return }
            if let known = firstFailure.withLock({ $0?.index }), known < job.index { return }
            guard let failure = Self.verify(transactions[job.index], spent: job.spent, flags: flags, cache: cache, storesInCache: storesInCache)
            else { continue }
            firstFailure.withLock { current in
                if let existing = current, existing.index <= job.index { return }
                current = (job.index, failure)
            }
            return
        }
    }

    /// Verifies one transaction's inputs.
    static func verify(
        _ transaction: borrowing Transaction, spent: [TxOut], flags: ScriptVerifyFlags, cache: SignatureCache?, storesInCache: Bool
    ) -> Failure? {
        do {
            try ScriptVerifier.verifyInputs(of: transaction, spentOutputs: spent, flags: flags, cache: cache, storeInCache: storesInCache)
            return nil
        } catch let .script(input, error) {
            return Failure(transaction: transaction.txid, input: input, error: error)
        } catch {
            return Failure(transaction: transaction.txid, input: 0, error: .unknownError)
        }
    }
}
