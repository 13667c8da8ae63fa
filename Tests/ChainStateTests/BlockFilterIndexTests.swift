import BlockFilters
import ChainCrypto
import ChainParams
import ChainState
import ChainTypes
import Mining
import Storage
import Testing

/// `-blockfilterindex`: every connected block's BIP158 filter over the scripts it creates and
/// spends (computed here from the blocks alone, not from undo data), headers chained from
/// genesis, filters built for a chain connected before the index was on, and the BIP157 ranges.
@Suite struct BlockFilterIndexTests {
    /// A chain of empty blocks, a fan-out, signed spends of several kinds, then empty blocks up
    /// to `length` blocks after genesis.
    static func blocks(length: Int) throws -> [Block] {
        var builder = RegtestChainBuilder(keyCount: 8)
        var blocks: [Block] = []
        for _ in 0..<101 { blocks.append(builder.nextEmptyBlock()) }
        blocks.append(try #require(try builder.nextFanOutBlock(outputs: 40, kinds: [.payToWitnessPubkeyHash, .taprootKeyPath])))
        for _ in 0..<3 { blocks.append(try #require(try builder.nextBlock(spending: 13, inputsPerTransaction: 3))) }
        while blocks.count < length { blocks.append(builder.nextEmptyBlock()) }
        return blocks
    }

    /// The filter headers of genesis and `blocks`, computed from the blocks alone.
    static func expectedHeaders(_ blocks: [Block]) -> [Hash256] {
        var outputs: [OutPoint: TxOut] = [:]
        var previous = Hash256.zero
        var headers: [Hash256] = []
        for block in [ChainParams.regtest.genesisBlock] + blocks {
            var spent: [[UInt8]] = []
            for transaction in block.transactions {
                for input in transaction.inputs where input.previousOutput != .null {
                    if let output = outputs[input.previousOutput] { spent.append(output.scriptPubKey) }
                }
                for (index, output) in transaction.outputs.enumerated() { outputs[OutPoint(txid: transaction.txid, index: UInt32(index))] = output }
            }
            previous = BasicBlockFilter(block: block, spentScripts: spent).header(previous: previous)
            headers.append(previous)
        }
        return headers
    }

    func options(index: Bool) -> ChainStateOptions {
        ChainStateOptions(blockFilterIndex: index, scriptThreads: 2, now: { 2_000_000_000 })
    }

    @Test func everyConnectedBlockHasItsFilterAndChainedHeader() throws {
        let blocks = try Self.blocks(length: 110)
        let chain = try ChainState(params: .regtest, store: InMemoryStore(), options: options(index: true))
        for block in blocks { try chain.acceptBlock(block) }
        let expected = Self.expectedHeaders(blocks)
        let stored = try ([ChainParams.regtest.genesisBlock] + blocks).map { try #require(try chain.blockFilter($0.hash)) }
        #expect(stored.map(\.header) == expected)
        // The spends' filters hold the spent scripts: they differ from empty blocks' ones in size.
        #expect(stored[103].filter.count > stored[50].filter.count)
        // Without the index nothing is kept.
        let plain = try ChainState(params: .regtest, store: InMemoryStore(), options: options(index: false))
        try plain.acceptBlock(blocks[0])
        #expect(try plain.blockFilter(blocks[0].hash) == nil)
    }

    @Test func turningTheIndexOnBuildsWhatIsMissing() throws {
        let blocks = try Self.blocks(length: 110)
        let store = InMemoryStore()
        let before = try ChainState(params: .regtest, store: store, options: options(index: false))
        for block in blocks.prefix(105) { try before.acceptBlock(block) }
        try before.flush()
        let after = try ChainState(params: .regtest, store: store, options: options(index: true))
        for block in blocks.suffix(5) { try after.acceptBlock(block) }
        #expect(try blocks.map { try after.blockFilter($0.hash)?.header } == Array(Self.expectedHeaders(blocks).dropFirst()))
    }

    @Test func rangesAndCheckpointsAsBIP157Asks() throws {
        let blocks = try Self.blocks(length: 1_001)
        let chain = try ChainState(params: .regtest, store: InMemoryStore(), options: options(index: true))
        _ = try chain.acceptBlocks(blocks)
        let expected = Self.expectedHeaders(blocks)
        let range = try #require(try chain.filterRange(from: 100, to: blocks[109].hash, limit: 1_000))
        #expect(range.previousHeader == expected[99] && range.blocks.map(\.1.header) == Array(expected[100...110]))
        #expect(range.blocks.map(\.0) == blocks[99...109].map(\.hash))
        #expect(try chain.filterRange(from: 0, to: blocks[999].hash, limit: 1_000).map { _ in true } == nil, "1,001 filters is more than 1,000")
        #expect(try chain.filterRange(from: 0, to: blocks[998].hash, limit: 1_000)?.blocks.count == 1_000)
        #expect(try chain.filterRange(from: 120, to: blocks[109].hash, limit: 1_000).map { _ in true } == nil, "start past stop")
        #expect(try chain.filterRange(from: 0, to: BlockHash(Hashing.sha256d([1])), limit: 1_000).map { _ in true } == nil, "unknown stop")
        #expect(try chain.filterCheckpoints(to: blocks[1_000].hash) == [expected[1_000]])
        #expect(try chain.filterCheckpoints(to: blocks[998].hash) == [])
    }
}
