import ChainCrypto
import ChainTypes
import Testing
@testable import Mempool

/// The orphan pool's bounds (count, weight per peer, lifetime, transaction weight) and its
/// lookups (children of a parent that arrived, removal per peer and per block).
@Suite struct OrphanPoolTests {
    let now: Int64 = 1_700_000_000

    /// An unsigned transaction spending output 0 of a made-up parent numbered `parent`, padded
    /// with `padding` bytes of output script (weight grows four units per byte).
    func orphan(parent: Int, padding: Int = 0, salt: UInt8 = 0) -> Transaction {
        let outpoint = OutPoint(txid: TxID(Hashing.sha256d(Array("parent \(parent)".utf8))), index: 0)
        return Transaction(
            version: 2, inputs: [TxIn(previousOutput: outpoint, sequence: UInt32(salt))],
            outputs: [TxOut(value: Amount(satoshis: 1_000), scriptPubKey: [0x6a] + [UInt8](repeating: 0, count: padding))])
    }

    @Test func keepsOrphansUntilTheirParentArrives() {
        var pool = OrphanPool<Int>()
        let parent = Transaction(version: 2, inputs: [], outputs: [TxOut(value: Amount(satoshis: 5_000), scriptPubKey: [0x51])])
        let child = Transaction(version: 2, inputs: [TxIn(previousOutput: OutPoint(txid: parent.txid, index: 0))],
                                outputs: [TxOut(value: Amount(satoshis: 4_000), scriptPubKey: [0x51])])
        let sibling = Transaction(version: 2, inputs: [TxIn(previousOutput: OutPoint(txid: parent.txid, index: 0), sequence: 7)],
                                  outputs: [TxOut(value: Amount(satoshis: 3_000), scriptPubKey: [0x51])])
        let keptChild = pool.add(child, from: 1, now: now)
        let keptSibling = pool.add(sibling, from: 2, now: now)
        let keptTwice = pool.add(child, from: 3, now: now)
        #expect(keptChild && keptSibling && !keptTwice)
        #expect(pool.children(of: parent).map(\.wtxid) == [child.wtxid, sibling.wtxid])
        pool.remove(child.wtxid)
        #expect(pool.children(of: parent).map(\.wtxid) == [sibling.wtxid] && pool.count == 1)
        #expect(pool.children(of: child).isEmpty)
    }

    @Test func theHeaviestPeerMakesRoomWhenThePoolIsFull() {
        var limits = OrphanPool<Int>.Limits()
        limits.maxCount = 4
        var pool = OrphanPool<Int>(limits: limits)
        let flood = (0..<3).map { orphan(parent: $0, padding: 1_000) }
        for transaction in flood { pool.add(transaction, from: 666, now: now) }
        let honest = orphan(parent: 10)
        let keptHonest = pool.add(honest, from: 1, now: now)
        // Full: the next one pushes out the flooding peer's oldest, not the honest peer's.
        let keptNext = pool.add(orphan(parent: 11), from: 2, now: now)
        #expect(keptHonest && keptNext)
        #expect(pool.count == 4 && pool.contains(honest.wtxid) && !pool.contains(flood[0].wtxid) && pool.contains(flood[1].wtxid))
    }

    @Test func eachPeerHasAWeightAllowance() {
        var pool = OrphanPool<Int>()
        // Each about 100,000 weight units: a peer keeps at most four of them.
        let heavy = (0..<6).map { orphan(parent: $0, padding: 24_900) }
        for transaction in heavy { pool.add(transaction, from: 7, now: now) }
        #expect(pool.weight(of: 7) <= pool.limits.maxWeightPerPeer)
        #expect(pool.count == 4 && !pool.contains(heavy[0].wtxid) && !pool.contains(heavy[1].wtxid) && pool.contains(heavy[5].wtxid))
        // Another peer's allowance is its own.
        let keptOther = pool.add(orphan(parent: 9, padding: 24_900), from: 8, now: now)
        #expect(keptOther && pool.count == 5)
        // Too heavy to be standard: never kept.
        let keptHuge = pool.add(orphan(parent: 99, padding: 100_100), from: 9, now: now)
        #expect(!keptHuge && pool.count == 5)
    }

    @Test func orphansExpireAndLeaveWithTheirPeerOrABlock() {
        var pool = OrphanPool<Int>()
        let old = orphan(parent: 1)
        pool.add(old, from: 1, now: now)
        let young = orphan(parent: 2)
        pool.add(young, from: 1, now: now + 600)
        pool.expire(now: now + 20 * 60)
        #expect(!pool.contains(old.wtxid) && pool.contains(young.wtxid))

        let other = orphan(parent: 3)
        pool.add(other, from: 2, now: now + 600)
        pool.removeAll(from: 1)
        #expect(pool.count == 1 && pool.weight(of: 1) == 0 && pool.contains(other.wtxid))

        // A block spending what an orphan spends makes it impossible; one confirming it, too.
        let rival = orphan(parent: 3, salt: 1)
        let confirmed = orphan(parent: 4)
        pool.add(confirmed, from: 3, now: now + 600)
        let block = Block(header: BlockHeader(version: 4, previousBlockHash: BlockHash(.zero), merkleRoot: .zero, time: 0, bits: 0, nonce: 0),
                          transactions: [rival, confirmed])
        pool.removeForBlock(block)
        #expect(pool.count == 0)
    }
}
