import ChainCrypto
import ChainTypes
import Testing
@testable import NetSync
@testable import P2PWire

/// BIP152 compact blocks: rebuilding from the mempool, `getblocktxn`/`blocktxn` for the gaps,
/// falling back to the full block when short ids mislead, high-bandwidth announcements, and the
/// misbehaviour Core punishes.
@Suite struct CompactBlockTests {
    static let funding = fakeChain(length: 2)[1].transactions[0].txid

    static func spend(_ index: UInt32) -> Transaction {
        Transaction(version: 2, inputs: [TxIn(previousOutput: OutPoint(txid: funding, index: index))],
                    outputs: [TxOut(value: Amount(satoshis: 1_000), scriptPubKey: [0x51])])
    }

    /// A chain whose last block (height 2) holds a coinbase and four spends.
    static func chainWithFullBlock() -> (blocks: [Block], spends: [Transaction]) {
        var blocks = fakeChain(length: 3)
        let spends = (0..<4).map { spend(UInt32($0)) }
        let transactions = [blocks[2].transactions[0]] + spends
        var header = blocks[2].header
        header.merkleRoot = MerkleTree.root(of: transactions.map(\.txid.hash)).root
        blocks[2] = Block(header: header, transactions: transactions)
        return (blocks, spends)
    }

    /// NetSync over `chain` with `pooled` in its mempool and one outbound peer connected (its
    /// greeting taken).
    func connect(_ chain: FakeChain, pooled: [Transaction]) async -> (sync: NetSync, network: RecordingNetwork, peer: PeerID) {
        let mempool = FakeMempool()
        for transaction in pooled { _ = await mempool.accept(transaction) }
        let network = RecordingNetwork()
        let sync = NetSync(chain: chain, mempool: mempool, network: network, settings: .immediate)
        let peer = PeerID(1)
        await sync.connected(peer, version: peerInfo(height: 1), outbound: true)
        return (sync, network, peer)
    }

    @Test func aBlockIsRebuiltFromTheMempoolAndItsGaps() throws {
        let (blocks, spends) = Self.chainWithFullBlock()
        let compact = CompactBlock(block: blocks[2], nonce: 9)
        var partial = try PartialBlock(compact, candidates: [spends[0], spends[2], Self.spend(77)])
        #expect(partial.missing == [2, 4], "the coinbase is prefilled, two spends come from the pool")
        #expect(try partial.block() == nil)
        #expect(throws: PartialBlock.Failure.invalid("blocktxn with 1 transactions for 2 missing")) { try partial.fill([spends[1]]) }
        try partial.fill([spends[1], spends[3]])
        #expect(try partial.block() == blocks[2])
        // A wrong transaction in a gap shows in the merkle root: the full block is fetched.
        var wrong = try PartialBlock(compact, candidates: [])
        try wrong.fill([spends[0], spends[1], spends[2], Self.spend(99)])
        #expect(throws: PartialBlock.Failure.fallBack("rebuilt block does not match its merkle root")) { try wrong.block() }
    }

    @Test func whatNoHonestPeerSendsIsRefused() {
        let (blocks, _) = Self.chainWithFullBlock()
        var compact = CompactBlock(block: blocks[2], nonce: 9)
        compact.prefilled[0].index = 5
        #expect(throws: PartialBlock.Failure.invalid("prefilled index out of range")) { try PartialBlock(compact, candidates: []) }
        var twins = CompactBlock(block: blocks[2], nonce: 9)
        twins.shortIDs[1] = twins.shortIDs[0]
        #expect(throws: PartialBlock.Failure.fallBack("short id collision in the block")) { try PartialBlock(twins, candidates: []) }
    }

    @Test func compactBlocksFlowBetweenPeers() async {
        let (blocks, spends) = Self.chainWithFullBlock()
        let chain = FakeChain(blocks: blocks, stored: 2, recent: true)
        let (sync, network, peer) = await connect(chain, pooled: Array(spends.prefix(3)))
        #expect(network.take(peer).contains(.sendCompact(announce: false, version: 2)), "compact blocks offered")
        await sync.received(.sendCompact(announce: false, version: 2), from: peer)
        // The new block arrives compact: three of four spends are pooled, the fourth is asked for.
        await sync.received(.compactBlock(CompactBlock(block: blocks[2], nonce: 5)), from: peer)
        #expect(network.take(peer) == [.getBlockTransactions(BlockTransactionsRequest(blockHash: blocks[2].hash, indexes: [4]))])
        await sync.received(.blockTransactions(BlockTransactions(blockHash: blocks[2].hash, transactions: [spends[3]])), from: peer)
        #expect(await chain.stored == 3)
        // The peer gave us a new tip first: it is asked to push the next ones compact.
        #expect(network.take(peer).contains(.sendCompact(announce: true, version: 2)))
        // It asks for transactions of a block: served, and out-of-range indexes punished.
        await sync.received(.getBlockTransactions(BlockTransactionsRequest(blockHash: blocks[2].hash, indexes: [1, 3])), from: peer)
        #expect(network.take(peer) == [.blockTransactions(BlockTransactions(blockHash: blocks[2].hash, transactions: [spends[0], spends[2]]))])
        await sync.received(.getBlockTransactions(BlockTransactionsRequest(blockHash: blocks[2].hash, indexes: [5])), from: peer)
        #expect(network.punished.withLock { $0 } == [peer])
    }

    @Test func highBandwidthPeersGetNewBlocksCompact() async {
        let (blocks, _) = Self.chainWithFullBlock()
        let network = RecordingNetwork()
        let sync = NetSync(chain: FakeChain(blocks: blocks, stored: 3), mempool: FakeMempool(), network: network, settings: .immediate)
        let eager = PeerID(1), headersOnly = PeerID(2)
        for peer in [eager, headersOnly] { await sync.connected(peer, version: peerInfo(), outbound: true) }
        await sync.received(.sendCompact(announce: true, version: 2), from: eager)
        await sync.received(.sendHeaders, from: headersOnly)
        _ = network.take(eager)
        _ = network.take(headersOnly)
        await sync.announce(block: blocks[2])
        guard case let .compactBlock(compact)? = network.take(eager).first else {
            Issue.record("no cmpctblock")
            return
        }
        #expect(compact.header == blocks[2].header && compact.prefilled.map(\.index) == [0] && compact.shortIDs.count == 4)
        #expect(network.take(headersOnly) == [.headers([blocks[2].header])])
        // Version 1 (txid short ids) is not spoken: such a peer gets headers.
        let old = PeerID(3)
        await sync.connected(old, version: peerInfo(), outbound: true)
        await sync.received(.sendCompact(announce: true, version: 1), from: old)
        _ = network.take(old)
        await sync.announce(block: blocks[1])
        #expect(network.take(old) == [.inventory([InventoryItem(kind: .block, hash: blocks[1].hash.hash)])])
    }
}

extension CompactBlockTests {
    @Test func aSingleNewBlockIsFetchedCompact() async {
        let (blocks, spends) = Self.chainWithFullBlock()
        let chain = FakeChain(blocks: blocks, stored: 2, recent: true)
        let (sync, network, peer) = await connect(chain, pooled: spends)
        await sync.received(.sendCompact(announce: false, version: 2), from: peer)
        _ = network.take(peer)
        await sync.received(.headers([blocks[2].header]), from: peer)
        #expect(network.take(peer) == [.getData([InventoryItem(kind: .compactBlock, hash: blocks[2].hash.hash)])])
        // Every transaction is pooled: the answer completes the block without another round trip.
        await sync.received(.compactBlock(CompactBlock(block: blocks[2], nonce: 1)), from: peer)
        #expect(await chain.stored == 3)
        #expect(await sync.blocksInFlight == 0)
    }
}

extension CompactBlockTests {
    @Test func anInvalidBlockRelayedCompactDoesNotCostThePeer() async {
        let (blocks, spends) = Self.chainWithFullBlock()
        let chain = FakeChain(blocks: blocks, stored: 2, recent: true)
        await chain.reject(blocks[2].hash)
        let (sync, network, peer) = await connect(chain, pooled: spends)
        await sync.received(.compactBlock(CompactBlock(block: blocks[2], nonce: 3)), from: peer)
        #expect(network.punished.withLock { $0.isEmpty } && network.dropped.withLock { $0.isEmpty }, "BIP152 relays before validation")
        // The same block sent whole is the peer's fault.
        await sync.received(.block(blocks[2]), from: peer)
        #expect(network.punished.withLock { $0 } == [peer])
    }

    @Test func aRequestedCompactBlockThatCannotBeUsedComesWhole() async {
        var blocks = Self.chainWithFullBlock().blocks
        blocks.append(contentsOf: fakeChain(length: 4).suffix(1))
        // Re-link the last block onto the full block so the chain stays one branch.
        var header = blocks[3].header
        header.previousBlockHash = blocks[2].hash
        blocks[3] = Block(header: header, transactions: blocks[3].transactions)
        let chain = FakeChain(blocks: blocks, stored: 2, recent: true)
        await chain.setQueueing(true)
        let (sync, network, peer) = await connect(chain, pooled: Self.chainWithFullBlock().spends)
        await sync.received(.sendCompact(announce: false, version: 2), from: peer)
        await sync.received(.compactBlock(CompactBlock(block: blocks[2], nonce: 1)), from: peer)
        _ = network.take(peer)
        // Block 2 is still being validated (the tip is 1) when block 3's compact form comes.
        await sync.received(.headers([blocks[3].header]), from: peer)
        #expect(network.take(peer) == [.getData([InventoryItem(kind: .compactBlock, hash: blocks[3].hash.hash)])])
        await sync.received(.compactBlock(CompactBlock(block: blocks[3], nonce: 2)), from: peer)
        #expect(network.take(peer) == [.getData([InventoryItem(kind: .witnessBlock, hash: blocks[3].hash.hash)])])
    }
}
