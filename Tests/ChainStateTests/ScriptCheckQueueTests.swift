@testable import ChainState
import ChainTypes
import Script
import Testing

/// The check queue and its worker pool: whatever the number of threads and however blocks
/// overlap, every script runs and the failure reported is the lowest transaction's.
@Suite struct ScriptCheckQueueTests {
    static let flags = ScriptVerifyFlags([.p2sh])
    /// Outputs spendable with an empty scriptSig: OP_TRUE passes, OP_FALSE fails (EVAL_FALSE).
    static let passing = TxOut(value: Amount(satoshis: 1), scriptPubKey: [0x51])
    static let failing = TxOut(value: Amount(satoshis: 1), scriptPubKey: [0x00])

    /// `count` one-input transactions, distinct by their outpoint index.
    static func transactions(_ count: Int) -> [Transaction] {
        (0..<count).map { index in
            Transaction(
                inputs: [TxIn(previousOutput: OutPoint(txid: TxID(.zero), index: UInt32(index)), sequence: 0)],
                outputs: [TxOut(value: Amount(satoshis: 1), scriptPubKey: [0x51])])
        }
    }

    /// Queues every transaction, those in `failingAt` spending a failing output, and finishes.
    static func run(_ transactions: [Transaction], failingAt: Set<Int>, pool: ScriptWorkerPool) -> ScriptCheckQueue.Failure? {
        let queue = ScriptCheckQueue(transactions: transactions, pool: pool, flags: flags, cache: nil)
        for index in transactions.indices { queue.add(.init(index: index, spent: [failingAt.contains(index) ? failing : passing])) }
        return queue.finish()
    }

    @Test(arguments: [1, 2, 4])
    func reportsTheLowestFailingTransaction(threads: Int) {
        let pool = ScriptWorkerPool(threads: threads)
        #expect(pool.helpers == threads - 1)
        let transactions = Self.transactions(200)
        #expect(Self.run(transactions, failingAt: [], pool: pool) == nil)
        for failing: Set<Int> in [[0], [199], [170, 35, 90], [16, 15]] {
            let failure = Self.run(transactions, failingAt: failing, pool: pool)
            #expect(failure?.transaction == transactions[failing.min() ?? 0].txid)
            #expect(failure?.error == .evalFalse && failure?.input == 0)
        }
    }

    @Test func overlappingBlocksEachGetTheirOwnVerdict() {
        let pool = ScriptWorkerPool(threads: 2)
        let first = Self.transactions(100), second = Self.transactions(120)
        // As in the pipeline: the next block's batches are queued before the first finishes.
        let older = ScriptCheckQueue(transactions: first, pool: pool, flags: Self.flags, cache: nil)
        for index in first.indices { older.add(.init(index: index, spent: [index == 70 ? Self.failing : Self.passing])) }
        let newer = ScriptCheckQueue(transactions: second, pool: pool, flags: Self.flags, cache: nil)
        for index in second.indices { newer.add(.init(index: index, spent: [index >= 100 ? Self.failing : Self.passing])) }
        // Finishing the older block may run the newer one's batches too; each keeps its own verdict.
        #expect(older.finish()?.transaction == first[70].txid)
        #expect(newer.finish()?.transaction == second[100].txid)
        let clean = ScriptCheckQueue(transactions: second, pool: pool, flags: Self.flags, cache: nil)
        for index in second.indices { clean.add(.init(index: index, spent: [Self.passing])) }
        #expect(clean.finish() == nil)
    }

    @Test func cancelledQueueNeverPasses() {
        let pool = ScriptWorkerPool(threads: 2)
        let transactions = Self.transactions(64)
        let queue = ScriptCheckQueue(transactions: transactions, pool: pool, flags: Self.flags, cache: nil)
        queue.cancel()
        for index in transactions.indices { queue.add(.init(index: index, spent: [Self.passing])) }
        #expect(queue.finish()?.error == .unknownError, "its scripts were skipped, so it cannot pass")
    }
}

extension ScriptCheckQueue.Failure: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.transaction == rhs.transaction && lhs.input == rhs.input && lhs.error == rhs.error
    }
}
