import ChainCrypto
import ChainParams
import ChainState
import ChainTypes
import Consensus
import Mining
import Script
import Storage
import Testing

/// A btcd-fullblocktests-style suite: sequences of blocks, each accepted or rejected with
/// Bitcoin Core's reason, run against `ChainState` directly.
@Suite struct ConsensusSuiteTests {
    /// Expects `block` to be rejected with `reason`.
    static func expectRejected(_ chain: ChainState, _ block: Block, _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try chain.acceptBlock(block)
            Issue.record("block accepted, expected \(reason)", sourceLocation: sourceLocation)
        } catch let .invalid(error) {
            #expect(error.reason == reason, sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error), expected \(reason)", sourceLocation: sourceLocation)
        }
    }

    @Test func minesMaturesAndSpendsCoinbases() throws {
        let test = try TestChain()
        let blocks = try test.mine(101)
        #expect(test.chain.tip.height == 101)
        // Block 1's coinbase matured at height 101 (100 confirmations): spendable in block 102.
        let spend = try test.spendCoinbase(of: blocks[0])
        let block = test.makeBlock(transactions: [spend], fees: Amount(satoshis: 1_000))
        try test.chain.acceptBlock(block)
        #expect(test.chain.tip.hash == block.hash)
        #expect(try test.chain.coin(at: OutPoint(txid: blocks[0].transactions[0].txid, index: 0)) == nil)
        let created = try #require(try test.chain.coin(at: OutPoint(txid: spend.txid, index: 0)))
        #expect(created.height == 102 && !created.isCoinbase)
    }

    @Test func rejectsBrokenBlocksWithCoreReasons() throws {
        let test = try TestChain()
        let blocks = try test.mine(100)
        let chain = test.chain

        // Coinbase of block 2 is not mature at height 101.
        Self.expectRejected(chain, test.makeBlock(transactions: [try test.spendCoinbase(of: blocks[1])], fees: Amount(satoshis: 1_000)),
                            "bad-txns-premature-spend-of-coinbase")
        try test.mine(1)
        let spend = try test.spendCoinbase(of: blocks[0])
        // The same transaction twice after the coinbase in a four-leaf tree: a duplicated
        // merkle pair, caught as malleation (CVE-2012-2459).
        let other = try test.spendCoinbase(of: blocks[0], fee: Amount(satoshis: 5_000))
        Self.expectRejected(chain, test.makeBlock(transactions: [other, spend, spend]), "bad-txns-duplicate")
        // Two different transactions spending the same coin.
        let doubleSpend = try test.spendCoinbase(of: blocks[0], fee: Amount(satoshis: 2_000))
        Self.expectRejected(chain, test.makeBlock(transactions: [spend, doubleSpend], fees: Amount(satoshis: 3_000)),
                            "bad-txns-inputs-missingorspent")
        // Claiming more than subsidy + fees.
        Self.expectRejected(chain, test.makeBlock(transactions: [spend], fees: Amount(satoshis: 1_001)), "bad-cb-amount")
        // Spending a coin that never existed.
        let phantom = Transaction(version: 2, inputs: [TxIn(previousOutput: OutPoint(txid: TxID(Hashing.sha256d([9])), index: 0))],
                                  outputs: [TxOut(value: Amount(satoshis: 1), scriptPubKey: [Opcode.op1])])
        Self.expectRejected(chain, test.makeBlock(transactions: [phantom]), "bad-txns-inputs-missingorspent")
        // Outputs above inputs.
        let inflated = try test.spendCoinbase(of: blocks[0], outputs: [TxOut(value: Amount(satoshis: 51 * Amount.coin), scriptPubKey: [Opcode.op1])])
        Self.expectRejected(chain, test.makeBlock(transactions: [inflated]), "bad-txns-in-belowout")
        // A signature over the wrong amount fails the script check.
        var badSignature = spend.inputs
        badSignature[0].witness[0][8] ^= 0x01
        Self.expectRejected(chain, test.makeBlock(transactions: [spend.with(inputs: badSignature)], fees: Amount(satoshis: 1_000)),
                            "block-script-verify-flag-failed (EVAL_FALSE)")

        // Header and structure rules.
        Self.expectRejected(chain, test.makeBlock { $0.header.merkleRoot = .zero }, "bad-txnmrklroot")
        Self.expectRejected(chain, test.makeBlock { $0.header.bits = 0x207f_fffe }, "bad-diffbits")
        Self.expectRejected(chain, test.makeBlock { $0.header.time = UInt32(chain.tip.medianTimePast) }, "time-too-old")
        Self.expectRejected(chain, test.makeBlock { $0.header.version = 3 }, "bad-version(0x00000003)")
        Self.expectRejected(chain, test.makeBlock { block in
            let coinbase = block.transactions[0]
            var inputs = coinbase.inputs
            inputs[0].scriptSig = [0x01, 0x7f, 0x51]  // height 127 instead of 102
            block.transactions[0] = coinbase.with(inputs: inputs)
            block.header.merkleRoot = block.computeMerkleRoot().root
        }, "bad-cb-height")
        Self.expectRejected(chain, test.makeBlock { block in
            let coinbase = block.transactions[0]
            var inputs = coinbase.inputs
            inputs[0].scriptSig += [Opcode.op1]
            block.transactions.append(coinbase.with(inputs: inputs))
            block.header.merkleRoot = block.computeMerkleRoot().root
        }, "bad-cb-multiple")
        // Identical transactions at odd positions escape the merkle malleation check and fail
        // as a double spend, as in Core (BIP30 is checked against the set before the block).
        Self.expectRejected(chain, test.makeBlock(transactions: [spend, spend], fees: Amount(satoshis: 2_000)),
                            "bad-txns-inputs-missingorspent")
        Self.expectRejected(chain, test.makeBlock { block in
            let coinbase = block.transactions[0]
            var inputs = coinbase.inputs
            inputs[0].witness = [[1, 2, 3]]
            block.transactions[0] = coinbase.with(inputs: inputs)
        }, "bad-witness-nonce-size")
        Self.expectRejected(chain, test.makeBlock { block in
            let coinbase = block.transactions[0]
            var outputs = coinbase.outputs
            outputs[1].scriptPubKey[10] ^= 1
            block.transactions[0] = coinbase.with(outputs: outputs)
            block.header.merkleRoot = block.computeMerkleRoot().root
        }, "bad-witness-merkle-match")
        // A header that fails proof of work (regtest: about one hash in two meets the target).
        var unsolved = test.makeBlock()
        while ChainParams.regtest.checkProofOfWork(unsolved.header) { unsolved.header.nonce &+= 1 }
        Self.expectRejected(chain, unsolved, "high-hash")

        // After all that, the honest block still connects.
        try chain.acceptBlock(test.makeBlock(transactions: [spend], fees: Amount(satoshis: 1_000)))
        #expect(chain.tip.height == 102)
    }

    @Test func invalidBlocksAreRememberedButMutatedOnesAreNot() throws {
        let test = try TestChain()
        try test.mine(1)
        let good = test.makeBlock()
        var mutated = good
        mutated.transactions.append(mutated.transactions[0])  // merkle root no longer matches
        Self.expectRejected(test.chain, mutated, "bad-txnmrklroot")
        // The header was not condemned: the honest block with the same header is accepted.
        try test.chain.acceptBlock(good)
        #expect(test.chain.tip.hash == good.hash)
        let tooRich = test.makeBlock { block in
            let coinbase = block.transactions[0]
            var outputs = coinbase.outputs
            outputs[0].value = Amount(satoshis: outputs[0].value.satoshis + 1)
            block.transactions[0] = coinbase.with(outputs: outputs)
            block.header.merkleRoot = block.computeMerkleRoot().root
        }
        Self.expectRejected(test.chain, tooRich, "bad-cb-amount")
        Self.expectRejected(test.chain, tooRich, "duplicate-invalid")
        // Children of an invalid block are rejected too.
        let failedNode: BlockIndexNode = try #require(test.chain.node(tooRich.hash))
        let child = test.makeBlock(parent: failedNode)
        Self.expectRejected(test.chain, child, "bad-prevblk")
    }
}

/// Batches connect through the pipeline; failures inside a batch are reported per block and
/// leave the chain on the last good block.
@Suite struct PipelinedConnectionTests {
    /// 101 empty blocks, a fan-out block of `outputs` P2WPKH outputs, then `spendBlocks` blocks
    /// spending four of them each (two per transaction).
    static func spendingChain(fanOut outputs: Int, spendBlocks: Int) throws -> [Block] {
        var builder = RegtestChainBuilder(keyCount: 4)
        var blocks: [Block] = []
        for _ in 0..<101 { blocks.append(builder.nextEmptyBlock()) }
        blocks.append(try #require(try builder.nextFanOutBlock(outputs: outputs)))
        for _ in 0..<spendBlocks { blocks.append(try #require(try builder.nextBlock(spending: 4, inputsPerTransaction: 2))) }
        return blocks
    }

    /// An empty regtest chain state on `store`.
    static func freshChain(_ store: InMemoryStore = InMemoryStore(), cacheBytes: Int = 1 << 30) throws -> ChainState {
        try ChainState(params: .regtest, store: store, options: ChainStateOptions(coinsCacheBytes: cacheBytes, now: { 2_000_000_000 }))
    }

    @Test func batchWithAFailingBlockStopsThere() throws {
        let blocks = try Self.spendingChain(fanOut: 30, spendBlocks: 6)
        // Reference: everything valid, one block at a time.
        let reference = try Self.freshChain()
        for block in blocks { try reference.acceptBlock(block) }

        // The whole chain as one batch: same tip and UTXO set.
        let batched = try Self.freshChain()
        #expect(try batched.acceptBlocks(blocks).isEmpty)
        #expect(batched.tip.hash == reference.tip.hash)
        #expect(try batched.utxoStatistics() == reference.utxoStatistics())

        // Break a signature in block 104 (a spend block): 104 fails its scripts, 105+ are on it.
        // A one-byte cache budget flushes after every block, so unverified changes reaching the
        // store would show after a restart.
        let store = InMemoryStore()
        let chain = try Self.freshChain(store, cacheBytes: 1)
        #expect(try chain.acceptBlocks(Array(blocks[..<103])).isEmpty)
        var broken = blocks[103]
        var transaction = broken.transactions[1]
        var inputs = transaction.inputs
        inputs[0].witness[0][10] ^= 1
        transaction = transaction.with(inputs: inputs)
        broken.transactions[1] = transaction
        broken.header.merkleRoot = broken.computeMerkleRoot().root
        var commitment = broken.transactions[0].outputs
        commitment[1].scriptPubKey = Block.witnessCommitmentHeader
            + Block.witnessCommitment(witnessRoot: broken.computeWitnessMerkleRoot(), reservedValue: [UInt8](repeating: 0, count: 32)).bytes
        broken.transactions[0] = broken.transactions[0].with(outputs: commitment)
        broken.header.merkleRoot = broken.computeMerkleRoot().root
        _ = BlockAssembler.solve(&broken, maxTries: 1 << 20) { ChainParams.regtest.checkProofOfWork($0) }
        var rest = [broken]
        // The next block must name the re-solved block as parent to be its child.
        var child = blocks[104]
        child.header.previousBlockHash = broken.hash
        _ = BlockAssembler.solve(&child, maxTries: 1 << 20) { ChainParams.regtest.checkProofOfWork($0) }
        rest.append(child)
        let refused = try chain.acceptBlocks(rest)
        #expect(refused[0]?.description.contains("block-script-verify-flag-failed") == true)
        #expect(refused[1] == .invalid(.badPrevBlock))
        #expect(chain.tip.hash == blocks[102].hash)
        // The changes of 104 and of 105 (checked on top of it while 104's scripts ran) are gone.
        let upTo103 = try Self.freshChain()
        #expect(try upTo103.acceptBlocks(Array(blocks[..<103])).isEmpty)
        #expect(try chain.utxoStatistics() == upTo103.utxoStatistics())
        try chain.flush()
        #expect(try chain.utxoStatistics() == upTo103.utxoStatistics())
        let restarted = try Self.freshChain(store)
        #expect(restarted.tip.hash == blocks[102].hash)
        #expect(try restarted.utxoStatistics() == upTo103.utxoStatistics())
    }

    /// A cache budget so small that every block triggers a flush: the pipeline drains before
    /// each one (unverified changes never reach the store) and ends on the same UTXO set.
    @Test func tinyCacheFlushesBetweenPipelinedBlocks() throws {
        let blocks = try Self.spendingChain(fanOut: 40, spendBlocks: 8)
        let reference = try Self.freshChain()
        #expect(try reference.acceptBlocks(blocks).isEmpty)
        let store = InMemoryStore()
        let tiny = try Self.freshChain(store, cacheBytes: 1)
        #expect(try tiny.acceptBlocks(blocks).isEmpty)
        #expect(tiny.tip.hash == reference.tip.hash)
        #expect(tiny.coinsCacheUsage.entries == 0)
        #expect(try tiny.utxoStatistics() == reference.utxoStatistics())
        // What reached the store is the whole chain's set: a restart from it agrees.
        let restarted = try Self.freshChain(store)
        #expect(restarted.tip.hash == reference.tip.hash)
        #expect(try restarted.utxoStatistics() == reference.utxoStatistics())
    }

    /// Competing branches inside one batch: blocks that extend the best chain connect as they
    /// arrive, the others wait, and the batch ends where one-by-one acceptance ends (with the
    /// reorgs in between).
    @Test func batchWithCompetingBranchesEndsLikeOneByOne() throws {
        let reference = try TestChain()
        var blocks = try reference.mine(101)
        let fork = reference.chain.tip
        // Branch A: spends block 1's coinbase; branch B: spends block 2's (different UTXO sets).
        func extend(_ parent: BlockIndexNode, spending source: Block?) throws -> Block {
            let spends = try source.map { [try reference.spendCoinbase(of: $0)] } ?? []
            let block = reference.makeBlock(parent: parent, transactions: spends, fees: spends.isEmpty ? .zero : Amount(satoshis: 1_000))
            try reference.chain.acceptBlock(block)
            blocks.append(block)
            return block
        }
        func node(_ block: Block) throws -> BlockIndexNode { try #require(reference.chain.node(block.hash)) }
        let a1 = try extend(fork, spending: blocks[0])
        let a2 = try extend(try node(a1), spending: nil)
        let b1 = try extend(fork, spending: blocks[1])
        let b2 = try extend(try node(b1), spending: nil)
        let b3 = try extend(try node(b2), spending: nil)
        #expect(reference.chain.tip.hash == b3.hash)
        let a3 = try extend(try node(a2), spending: nil)
        let a4 = try extend(try node(a3), spending: nil)
        #expect(reference.chain.tip.hash == a4.hash)

        let batched = try Self.freshChain()
        #expect(try batched.acceptBlocks(blocks).isEmpty)
        #expect(batched.tip.hash == a4.hash)
        #expect(try batched.utxoStatistics() == reference.chain.utxoStatistics())
        #expect(try batched.coin(at: OutPoint(txid: blocks[0].transactions[0].txid, index: 0)) == nil)
        #expect(try batched.coin(at: OutPoint(txid: blocks[1].transactions[0].txid, index: 0)) != nil)
        #expect(Set(batched.chainTips().map(\.hash)) == Set([a4.hash, b3.hash]))
    }
}
