import ChainTypes
import Dispatch
import Script
import Synchronization

/// Verifies the scripts of a block's transactions on several threads (Bitcoin Core's check
/// queue): pure work, no shared state but the signature cache. The caller commits the block
/// only if every check passed.
struct ScriptCheckQueue {
    struct Job: Sendable {
        let transaction: Transaction
        let spent: [TxOut]
    }

    struct Failure: Error, Sendable {
        let transaction: TxID
        let input: Int
        let error: ScriptError
    }

    let threads: Int
    let flags: ScriptVerifyFlags
    let cache: SignatureCache?

    /// Verifies one transaction's inputs.
    static func verify(_ job: Job, flags: ScriptVerifyFlags, cache: SignatureCache?) -> Failure? {
        do {
            try ScriptVerifier.verifyInputs(of: job.transaction, spentOutputs: job.spent, flags: flags, cache: cache)
            return nil
        } catch let .script(input, error) {
            return Failure(transaction: job.transaction.txid, input: input, error: error)
        } catch {
            return Failure(transaction: job.transaction.txid, input: 0, error: .unknownError)
        }
    }

    /// Runs every job; returns the failure with the lowest transaction index, if any.
    func run(_ jobs: [Job]) -> Failure? {
        guard !jobs.isEmpty else { return nil }
        let firstFailure = Mutex<(index: Int, failure: Failure)?>(nil)
        let workers = min(threads, jobs.count)
        let chunk = (jobs.count + workers - 1) / workers
        let flags = flags, cache = cache
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let start = worker * chunk
            let end = min(jobs.count, start + chunk)
            guard start < end else { return }
            for index in start..<end {
                if let known = firstFailure.withLock({ $0?.index }), known < index { return }
                let job = jobs[index]
                if let failure = Self.verify(job, flags: flags, cache: cache) {
                    firstFailure.withLock { current in
                        if let existing = current, existing.index <= index { return }
                        current = (index, failure)
                    }
                    return
                }
            }
        }
        return firstFailure.withLock { $0?.failure }
    }
}
