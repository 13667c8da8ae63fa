import ChainParams
import ChainState
import ChainTypes
import Mining
import Storage
import Testing

/// Chains made by `RegtestChainBuilder` (used by the benchmark and the kernel replay) connect.
@Suite struct ChainBuilderTests {
    @Test func builtChainConnectsWithSignedSpends() throws {
        var builder = RegtestChainBuilder(keyCount: 8)
        var blocks: [Block] = []
        for _ in 0..<101 { blocks.append(builder.nextEmptyBlock()) }
        blocks.append(try #require(try builder.nextFanOutBlock(outputs: 40, kinds: [.payToWitnessPubkeyHash, .taprootKeyPath])))
        for _ in 0..<3 { blocks.append(try #require(try builder.nextBlock(spending: 13, inputsPerTransaction: 3))) }
        let chain = try ChainState(params: .regtest, store: InMemoryStore(), options: ChainStateOptions(scriptThreads: 2, now: { 2_000_000_000 }))
        for block in blocks { try chain.acceptBlock(block) }
        #expect(chain.tip.hash == blocks.last?.hash)
        #expect(chain.tip.height == 105)
        // 105 coinbase payouts less the one fanned out; 40 fanned-out outputs of which 39 were
        // spent by 15 transactions (13 inputs a block, 3 a transaction) creating one output
        // each. Witness commitments are OP_RETURN and never enter the UTXO set.
        #expect(try chain.utxoStatistics().outputs == 104 + 40 - 39 + 15)
    }
}
