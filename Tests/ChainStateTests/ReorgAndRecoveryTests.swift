import ChainCrypto
import ChainParams
import ChainState
import ChainTypes
import Consensus
import Foundation
import Mining
import Script
import Storage
import StorageRocksDB
import Synchronization
import Testing

@Suite struct ReorgAndRecoveryTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rustyd-chain-\(UUID().uuidString)").path
    }

    @Test func shortAndDeepReorgsFollowMostWorkAndRestoreCoins() throws {
        let test = try TestChain()
        let base = try test.mine(101)
        let fork = test.chain.tip
        // Branch A: spends block 1's coinbase, 3 blocks.
        let spendA = try test.spendCoinbase(of: base[0])
        try test.chain.acceptBlock(test.makeBlock(transactions: [spendA], fees: Amount(satoshis: 1_000)))
        try test.mine(2)
        let tipA = test.chain.tip
        #expect(try test.chain.coin(at: OutPoint(txid: spendA.txid, index: 0)) != nil)

        // Branch B from the fork: 4 blocks, spending the same coin differently.
        let spendB = try test.spendCoinbase(of: base[0], fee: Amount(satoshis: 3_000))
        var parent = fork
        var branchB: [Block] = []
        for index in 0..<4 {
            let block = test.makeBlock(parent: parent, transactions: index == 0 ? [spendB] : [],
                                       fees: index == 0 ? Amount(satoshis: 3_000) : .zero)
            try test.chain.acceptBlock(block)
            branchB.append(block)
            parent = try #require(test.chain.node(block.hash))
            // Equal work (3 vs 3) keeps the first-seen tip; more work switches.
            #expect(test.chain.tip === (index < 3 ? tipA : parent))
        }
        #expect(try test.chain.coin(at: OutPoint(txid: spendA.txid, index: 0)) == nil)
        #expect(try test.chain.coin(at: OutPoint(txid: spendB.txid, index: 0)) != nil)
        #expect(test.chain.chainTips().contains { $0.hash == tipA.hash && $0.status == .validFork && $0.branchLength == 3 })

        // The UTXO set equals the one of a node that only ever saw branch B.
        let replay = try TestChain()
        for block in base + branchB { try replay.chain.acceptBlock(block) }
        #expect(try replay.chain.utxoStatistics() == test.chain.utxoStatistics())

        // Deep reorg: invalidate the first block after genesis, everything disconnects.
        #expect(test.chain.bestHeaderHeight == 105)
        try test.chain.invalidateBlock(base[0].hash)
        #expect(test.chain.tip.height == 0)
        #expect(test.chain.bestHeaderHeight == 0)  // every header above genesis is now invalid
        #expect(try test.chain.utxoStatistics().outputs == 0)
        try test.chain.reconsiderBlock(base[0].hash)
        #expect(test.chain.tip.hash == branchB.last?.hash)
        #expect(test.chain.bestHeaderHeight == 105)
        #expect(try replay.chain.utxoStatistics() == test.chain.utxoStatistics())
    }

    @Test func restartResumesFromRocksDB() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var statistics: UTXOSetStatistics
        var tip: BlockHash
        do {
            // A tiny cache forces several flushes along the way.
            let test = try TestChain(store: try RocksDBStore(path: path), cacheBytes: 4_096)
            let blocks = try test.mine(110)
            try test.chain.acceptBlock(test.makeBlock(transactions: [try test.spendCoinbase(of: blocks[0])], fees: Amount(satoshis: 1_000)))
            try test.chain.flush()
            statistics = try test.chain.utxoStatistics()
            tip = test.chain.tip.hash
        }
        let reopened = try ChainState(params: .regtest, store: try RocksDBStore(path: path))
        #expect(reopened.tip.hash == tip)
        #expect(reopened.tip.height == 111)
        #expect(try reopened.utxoStatistics() == statistics)
    }

    @Test func crashBeforeFlushReplaysToTheSameUTXOSet() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reference = try TestChain()
        let blocks = try reference.mine(105)
        try reference.chain.acceptBlock(reference.makeBlock(transactions: [try reference.spendCoinbase(of: blocks[2])], fees: Amount(satoshis: 1_000)))
        let allBlocks = try (1...reference.chain.tip.height).map { height -> Block in
            let node: BlockIndexNode = try #require(reference.chain.activeNode(at: height))
            return try #require(try reference.chain.block(node.hash))
        }
        do {
            // Flush once in the middle, then "crash": drop the chain state without flushing.
            let chain = try ChainState(params: .regtest, store: try RocksDBStore(path: path), options: ChainStateOptions(now: { 2_000_000_000 }))
            for (index, block) in allBlocks.enumerated() {
                try chain.acceptBlock(block)
                if index == 50 { try chain.flush() }
            }
        }
        let recovered = try ChainState(params: .regtest, store: try RocksDBStore(path: path), options: ChainStateOptions(now: { 2_000_000_000 }))
        #expect(recovered.tip.hash == reference.chain.tip.hash)
        #expect(try recovered.utxoStatistics() == reference.chain.utxoStatistics())
    }

    @Test func storageFailureSurfacesAndLeavesTheTipUnchanged() throws {
        let store = InMemoryStore()
        let test = try TestChain(store: store)
        try test.mine(3)
        let tip = test.chain.tip
        store.failNextWrite(with: .io("No space left on device"))
        #expect(throws: ChainStateError.storage(.io("No space left on device"))) { try test.chain.acceptBlock(test.makeBlock()) }
        #expect(test.chain.tip === tip)
    }
}

@Suite struct ChainServiceTests {
    @Test func storageFailureIsFatalAndReportedOnce() async throws {
        let store = InMemoryStore()
        let test = try TestChain(store: store)
        let block = test.makeBlock()
        let reports = ReportCounter()
        let service = ChainService(state: test.chain) { _ in reports.increment() }
        store.failNextWrite(with: .io("No space left on device"))
        await #expect(throws: ChainStateError.storage(.io("No space left on device"))) {
            try await service.access { (chain: ChainState) throws(ChainStateError) in try chain.acceptBlock(block) }
        }
        // Every later call fails with the same error, even though the store works again.
        await #expect(throws: ChainStateError.storage(.io("No space left on device"))) {
            try await service.access { (chain: ChainState) throws(ChainStateError) in chain.tip.height }
        }
        #expect(reports.value == 1)
    }
}

final class ReportCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

@Suite struct ReviewRegressionTests {
    /// An invalidated tip whose coins were not flushed must not come back as the tip after a
    /// restart, though it has more work than anything else stored.
    @Test func invalidatedTipStaysAwayAfterRestart() throws {
        let store = InMemoryStore()
        let test = try TestChain(store: store)
        try test.mine(3)
        let tip = test.chain.tip
        try test.chain.flush()
        try test.chain.invalidateBlock(tip.hash)
        #expect(test.chain.tip.height == 2)
        // "Crash": reopen the store without flushing the coins (their marker still says `tip`).
        let reopened = try ChainState(params: .regtest, store: store, options: ChainStateOptions(now: { 2_000_000_000 }))
        #expect(reopened.tip.height == 2)
        #expect(reopened.node(tip.hash)?.status.contains(.failed) == true)
    }

    /// A block whose stored ancestor fails when the chain finally reaches it is reported invalid.
    @Test func blockOnTopOfAFailingAncestorIsRejected() throws {
        let test = try TestChain()
        let blocks = try test.mine(2)
        let forkPoint = try #require(test.chain.node(blocks[0].hash))
        // A competing block at height 2 paying itself too much: equal work, so only stored.
        let bad = test.makeBlock(parent: forkPoint) { block in
            let coinbase = block.transactions[0]
            var outputs = coinbase.outputs
            outputs[0].value = Amount(satoshis: outputs[0].value.satoshis + 1)
            block.transactions[0] = coinbase.with(outputs: outputs)
            block.header.merkleRoot = block.computeMerkleRoot().root
        }
        try test.chain.acceptBlock(bad)
        #expect(test.chain.tip.hash == blocks[1].hash)
        // Its child makes that branch the most-work one; connecting it fails on the parent.
        let badNode: BlockIndexNode = try #require(test.chain.node(bad.hash))
        let child = test.makeBlock(parent: badNode)
        do throws(ChainStateError) {
            try test.chain.acceptBlock(child)
            Issue.record("child of an invalid block accepted")
        } catch {
            #expect(error == .invalid(.badPrevBlock))
        }
        #expect(test.chain.tip.hash == blocks[1].hash)
        #expect(test.chain.node(bad.hash)?.status.contains(.failed) == true)
    }
}

@Suite struct StoredDataAndOrderTests {
    /// Core checks the block itself before looking for its parent: a mutated orphan reports
    /// the mutation, a well-formed one the missing parent.
    @Test func orphansAreCheckedBeforeTheParentLookup() throws {
        let test = try TestChain()
        try test.mine(1)
        var orphan = test.makeBlock()
        orphan.header.previousBlockHash = BlockHash(Hashing.sha256d([42]))
        var mutated = orphan
        mutated.header.merkleRoot = .zero
        _ = BlockAssembler.solve(&mutated, maxTries: 1 << 20) { ChainParams.regtest.checkProofOfWork($0) }
        ConsensusSuiteTests.expectRejected(test.chain, mutated, "bad-txnmrklroot")
        _ = BlockAssembler.solve(&orphan, maxTries: 1 << 20) { ChainParams.regtest.checkProofOfWork($0) }
        #expect(throws: ChainStateError.orphan(parent: orphan.header.previousBlockHash)) { try test.chain.acceptBlock(orphan) }
        #expect(test.chain.node(orphan.hash) == nil)
    }

    /// A stored block damaged on disk is a storage error, never an "invalid block".
    @Test func damagedStoredBlockIsCorruptionNotInvalidity() throws {
        let store = InMemoryStore()
        let test = try TestChain(store: store)
        let blocks = try test.mine(2)
        let forkPoint: BlockIndexNode = try #require(test.chain.node(blocks[0].hash))
        let side = test.makeBlock(parent: forkPoint)
        try test.chain.acceptBlock(side)  // equal work: stored, not connected
        // Overwrite the side block's data with another block's bytes.
        var batch = WriteBatch()
        batch.put(blocks[1].serialized, forKey: side.hash.hash.bytes, in: .blocks)
        try store.write(batch, durable: false)
        // A child makes the side branch best; connecting it must read the damaged block.
        let sideNode: BlockIndexNode = try #require(test.chain.node(side.hash))
        let child = test.makeBlock(parent: sideNode)
        #expect(throws: ChainStateError.storage(.corruption("stored block \(side.hash) has another header"))) {
            try test.chain.acceptBlock(child)
        }
        #expect(test.chain.node(side.hash)?.status.isFailed == false)
    }
}
