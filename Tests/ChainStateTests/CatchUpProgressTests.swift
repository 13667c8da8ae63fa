import ChainState
import ChainTypes
import Storage
import Testing

/// The catch-up figures `getblockchaininfo` reports while headers run ahead of the blocks.
@Suite struct CatchUpProgressTests {
    @Test func progressIsBoundedByTheHeadersKnown() throws {
        let blocks = try BlockFilterIndexTests.blocks(length: 110)
        let chain = try ChainState(params: .regtest, store: InMemoryStore(), options: ChainStateOptions(scriptThreads: 2, now: { 2_000_000_000 }))
        for block in blocks { try chain.acceptHeader(block.header) }
        for block in blocks.prefix(55) { try chain.acceptBlock(block) }
        #expect(chain.bestHeaderHeight == 110 && chain.tip.height == 55)
        #expect(chain.isInitialBlockDownload, "the blocks are from 2023, the clock says 2033")
        #expect(chain.verificationProgress <= 0.5 && chain.verificationProgress > 0)
        for block in blocks.dropFirst(55) { try chain.acceptBlock(block) }
        #expect(chain.verificationProgress > 0.5, "all known blocks connected: only the tip's age counts")
    }
}

extension CatchUpProgressTests {
    /// Core's `GetLocator` shape: ten single steps, then doubling, ending with genesis; the
    /// headers locator starts at the best header's parent.
    @Test func locatorsStepAsCores() throws {
        let blocks = try BlockFilterIndexTests.blocks(length: 110)
        let chain = try ChainState(params: .regtest, store: InMemoryStore(), options: ChainStateOptions(scriptThreads: 2, now: { 2_000_000_000 }))
        for block in blocks { try chain.acceptHeader(block.header) }
        func height(_ hash: BlockHash) -> Int { chain.node(hash)?.height ?? -1 }
        #expect(chain.locator(from: chain.bestHeader).map(height) == Array((101...110).reversed()) + [99, 95, 87, 71, 39, 0])
        #expect(chain.headersLocator().map(height) == Array((100...109).reversed()) + [98, 94, 86, 70, 38, 0])
    }
}
