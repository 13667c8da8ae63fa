import ChainCrypto
import ChainTypes
import Testing
import TestSupport
@testable import Mempool
@testable import Script

/// The eviction index against the definition: after random additions (chains, fan-outs,
/// merges), fee deltas, removals with descendants and evictions, every entry's totals equal
/// its descendants' summed from scratch, and the entry the index would evict first has the
/// lowest descendant score.
@Suite struct DescendantScoreIndexTests {
    let fixture = MempoolAcceptanceTests()

    /// The lowest descendant score found by looking at every entry.
    func bruteForceLowest(_ pool: Mempool) -> (fees: Int64, size: Int)? {
        var lowest: (fees: Int64, size: Int)?
        for txid in pool.entries.keys {
            guard let view = pool.view(txid) else { continue }
            let own = (view.modifiedFee.satoshis, view.entry.virtualSize)
            let package = (view.descendantFees.satoshis, view.descendantSize)
            let score = Mempool.less(own, package) ? package : own
            if lowest.map({ Mempool.less(score, $0) }) ?? true { lowest = score }
        }
        return lowest
    }

    func check(_ pool: Mempool, step: Int) {
        for txid in pool.entries.keys {
            guard let view = pool.view(txid), let totals = pool.scoreIndex.totals[txid] else {
                Issue.record("step \(step): \(txid) has no totals")
                return
            }
            #expect(totals.fees == view.descendantFees.satoshis && totals.size == view.descendantSize, "step \(step)")
        }
        #expect(pool.scoreIndex.totals.count == pool.count, "step \(step): totals of departed entries")
        var index = pool.scoreIndex
        guard let expected = bruteForceLowest(pool) else {
            #expect(index.lowest() == nil)
            return
        }
        guard let (txid, package) = index.lowest(), let entry = pool.entry(txid) else {
            Issue.record("step \(step): the index finds nothing to evict")
            return
        }
        let own = (pool.modifiedFee(of: entry).satoshis, entry.virtualSize)
        let score = Mempool.less(own, (package.fees, package.size)) ? (package.fees, package.size) : own
        #expect(!Mempool.less(score, expected) && !Mempool.less(expected, score), "step \(step): evicts \(score), lowest is \(expected)")
    }

    @Test(arguments: [7, 8, 9])
    func matchesTheDefinitionUnderRandomChanges(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let (chain, coins) = fixture.chain(coins: 120)
        let pool = Mempool()
        var confirmed = coins
        var unspent: [OutPoint: Int64] = [:]
        for step in 0..<160 {
            // Outputs of transactions still in the pool.
            unspent = unspent.filter { pool.entry($0.key.txid) != nil && pool.spender(of: $0.key) == nil }
            let choice = random.next() % 10
            let pooled = unspent.keys.sorted { $0.txid.description + "\($0.index)" < $1.txid.description + "\($1.index)" }
            if choice < 6 || pooled.isEmpty {
                // A split of a chain coin or a pool output into two outputs.
                let useChain = pooled.isEmpty || (random.next() % 3 == 0 && !confirmed.isEmpty)
                guard let source = useChain ? confirmed.popLast() : pooled[Int(random.next() % UInt64(pooled.count))] else { continue }
                let value = useChain ? 100_000 : unspent[source] ?? 0
                let fee = Int64(500 + random.next() % 4_000)
                guard value > fee + 2_000 else { continue }
                let transaction = try fixture.split(source, value: value, outputs: 2, fee: fee)
                if (try? pool.accept(transaction, chain: chain, now: fixture.now)) != nil {
                    for (index, output) in transaction.outputs.enumerated() {
                        unspent[OutPoint(txid: transaction.txid, index: UInt32(index))] = output.value.satoshis
                    }
                }
            } else if choice == 6, pooled.count >= 2 {
                // A child of two pool outputs.
                let first = pooled[Int(random.next() % UInt64(pooled.count))], second = pooled[Int(random.next() % UInt64(pooled.count))]
                guard first != second, let a = unspent[first], let b = unspent[second] else { continue }
                let merged = try fixture.spend([first, second], values: [a, b], paying: a + b - 3_000)
                if (try? pool.accept(merged, chain: chain, now: fixture.now)) != nil { unspent[OutPoint(txid: merged.txid, index: 0)] = a + b - 3_000 }
            } else if choice == 7, let target = pool.entries.keys.sorted(by: { $0.description < $1.description }).randomElement(using: &random) {
                pool.prioritise(target, by: Int64(random.next() % 6_000) - 2_000)
            } else if choice == 8, let target = pool.entries.keys.sorted(by: { $0.description < $1.description }).randomElement(using: &random) {
                pool.removeWithDescendants(target, reason: .conflict)
            } else if pool.count > 0 {
                // Evict down to a little less than now (and forget the raised minimum fee, which
                // would soon refuse every new transaction of this walk).
                pool.trim(toBytes: pool.usage - 1)
                pool.rollingMinimumFeeRate = 0
            }
            check(pool, step: step)
        }
        #expect(pool.count > 5, "the walk should keep a real pool")
    }
}

