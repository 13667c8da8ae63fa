import ChainCrypto
import ChainTypes
import Foundation
import Synchronization
import Testing
@testable import NetSync
@testable import P2PWire

/// Sync and relay against fakes of the chain, mempool and network (no I/O): serving, headers
/// first with at most 16 blocks in flight, misbehaviour, and announcements.
@Suite struct NetSyncTests {
    @Test func servesHeadersBlocksAndTransactions() async {
        let blocks = fakeChain(length: 6)
        let mempool = FakeMempool()
        let transaction = Transaction(version: 2, inputs: [TxIn(previousOutput: OutPoint(txid: blocks[1].transactions[0].txid, index: 0))],
                                      outputs: [TxOut(value: Amount(satoshis: 40), scriptPubKey: [0x51])])
        _ = await mempool.accept(transaction)
        let network = RecordingNetwork()
        let sync = NetSync(chain: FakeChain(blocks: blocks, stored: 6), mempool: mempool, network: network)
        let peer = PeerID(1)
        await sync.connected(peer, version: peerInfo(), outbound: true)
        // The first peer is asked for headers from the best header's parent (Core's locator).
        #expect(network.take(peer) == [.sendHeaders, .sendCompact(announce: false, version: 2), .getHeaders(LocatorRequest(version: 70016, locator: [blocks[4].hash], stop: BlockHash(.zero)))])
        await sync.received(.getHeaders(LocatorRequest(version: 70016, locator: [blocks[2].hash], stop: BlockHash(.zero))), from: peer)
        #expect(network.take(peer) == [.headers(blocks[3...].map(\.header))])
        await sync.received(.getHeaders(LocatorRequest(version: 70016, locator: [], stop: blocks[2].hash)), from: peer)
        #expect(network.take(peer) == [.headers([blocks[1].header, blocks[2].header])])
        // getblocks: an inv of the blocks after the fork point.
        await sync.received(.getBlocks(LocatorRequest(version: 70016, locator: [blocks[3].hash], stop: BlockHash(.zero))), from: peer)
        #expect(network.take(peer) == [.inventory(blocks[4...].map { InventoryItem(kind: .block, hash: $0.hash.hash) })])
        // A pool transaction not announced to the peer yet is not served (Core's rule)…
        let pooled = InventoryItem(kind: .witnessTransactionID, hash: transaction.wtxid.hash)
        await sync.received(.getData([pooled]), from: peer)
        #expect(network.take(peer) == [.notFound([pooled])])
        // …once announced it is, and its parents may be asked by txid.
        await sync.tick()
        #expect(network.take(peer).contains(.inventory([pooled])))
        let missing = InventoryItem(kind: .witnessTransactionID, hash: Hashing.sha256d([9]))
        await sync.received(.getData([InventoryItem(kind: .witnessBlock, hash: blocks[4].hash.hash), pooled, missing]), from: peer)
        #expect(network.take(peer) == [.serializedBlock(blocks[4].serialized), .transaction(transaction), .notFound([missing])])
        // Without the witness flag a block comes without witnesses (a pre-segwit peer's form).
        await sync.received(.getData([InventoryItem(kind: .block, hash: blocks[4].hash.hash)]), from: peer)
        #expect(network.take(peer) == [.block(blocks[4])], "no witnesses to strip in this block: the same block")
    }

    @Test func aPeerThatDoesNotReadIsServedAsItDrains() async {
        let blocks = fakeChain(length: 6)
        let network = RecordingNetwork()
        let sync = NetSync(chain: FakeChain(blocks: blocks, stored: 6), mempool: FakeMempool(), network: network)
        let peer = PeerID(3)
        await sync.connected(peer, version: peerInfo(), outbound: true)
        _ = network.take(peer)
        network.room.withLock { $0 = 2 }
        await sync.received(.getData(blocks[1...5].map { InventoryItem(kind: .witnessBlock, hash: $0.hash.hash) }), from: peer)
        #expect(network.take(peer) == [.serializedBlock(blocks[1].serialized), .serializedBlock(blocks[2].serialized)])
        network.room.withLock { $0 = nil }
        await sync.resume(peer)
        #expect(network.take(peer) == blocks[3...5].map { .serializedBlock($0.serialized) })
        // Asking for more than can ever wait: disconnected.
        network.room.withLock { $0 = 0 }
        let flood = (0..<NetSync.maxPendingRequests + 1).map { _ in InventoryItem(kind: .witnessBlock, hash: blocks[1].hash.hash) }
        await sync.received(.getData(Array(flood.prefix(Message.maxInventory))), from: peer)
        await sync.received(.getData(Array(flood.prefix(Message.maxInventory))), from: peer)
        #expect(network.dropped.withLock { $0.isEmpty })
        await sync.received(.getData([flood[0]]), from: peer)
        #expect(network.dropped.withLock { $0.map(\.1) } == ["too many pending getdata requests"])
    }

    @Test func orphansWaitForTheirParentsWhichAreAskedFor() async {
        let funding = TxID(Hashing.sha256d([1]))
        let mempool = FakeMempool(confirmed: [funding])
        let network = RecordingNetwork()
        let sync = NetSync(chain: FakeChain(blocks: fakeChain(length: 1), stored: 1), mempool: mempool, network: network, settings: .immediate, now: { 1_000 })
        let sender = PeerID(1), listener = PeerID(2)
        await sync.connected(sender, version: peerInfo(), outbound: true)
        await sync.connected(listener, version: peerInfo(), outbound: true)
        _ = network.take(sender)
        _ = network.take(listener)
        func spend(_ txid: TxID, salt: UInt32 = 0) -> Transaction {
            Transaction(version: 2, inputs: [TxIn(previousOutput: OutPoint(txid: txid, index: 0), sequence: salt)],
                        outputs: [TxOut(value: Amount(satoshis: 1_000), scriptPubKey: [0x51])])
        }
        let parent = spend(funding), child = spend(parent.txid), grandchild = spend(child.txid)
        // The grandchild and the child arrive first: orphans, and their parents are asked for.
        await sync.received(.transaction(grandchild), from: sender)
        await sync.received(.transaction(child), from: sender)
        #expect(network.take(sender) == [
            .getData([InventoryItem(kind: .witnessTransaction, hash: child.txid.hash)]),
            .getData([InventoryItem(kind: .witnessTransaction, hash: parent.txid.hash)]),
        ])
        #expect(await sync.orphans.count == 2 && network.take(listener).isEmpty)
        // The parent comes: all three enter the pool, in order, and are announced.
        await sync.received(.transaction(parent), from: sender)
        #expect(await mempool.pool.map(\.txid) == [parent.txid, child.txid, grandchild.txid])
        #expect(network.take(listener) == [parent, child, grandchild].map { .inventory([InventoryItem(kind: .witnessTransactionID, hash: $0.wtxid.hash)]) })
        #expect(await sync.orphans.count == 0)
        // A peer's orphans leave with it.
        let lost = spend(TxID(Hashing.sha256d([2])))
        await sync.received(.transaction(spend(lost.txid)), from: sender)
        #expect(await sync.orphans.count == 1)
        await sync.disconnected(sender)
        #expect(await sync.orphans.count == 0)
    }

    @Test func headersFirstWithSixteenBlocksInFlight() async {
        let blocks = fakeChain(length: 40)
        let chain = FakeChain(blocks: blocks, stored: 1)
        let network = RecordingNetwork()
        let sync = NetSync(chain: chain, mempool: FakeMempool(), network: network)
        let peer = PeerID(7)
        await sync.connected(peer, version: peerInfo(height: 39), outbound: true)
        #expect(network.take(peer) == [.sendHeaders, .sendCompact(announce: false, version: 2), .getHeaders(LocatorRequest(version: 70016, locator: [blocks[0].hash], stop: BlockHash(.zero)))])
        await sync.received(.headers(blocks[1...].map(\.header)), from: peer)
        #expect(network.take(peer) == [.getData(blocks[1...16].map { InventoryItem(kind: .witnessBlock, hash: $0.hash.hash) })])
        // Each block that arrives frees a slot for the next.
        await sync.received(.block(blocks[1]), from: peer)
        #expect(network.take(peer) == [.getData([InventoryItem(kind: .witnessBlock, hash: blocks[17].hash.hash)])])
        for block in blocks[2...39] { await sync.received(.block(block), from: peer) }
        #expect(await chain.stored == 40)
        #expect(network.deliveries.withLock { $0.count(where: { $0.1 == .block }) } == 39, "each new block noted for eviction protection")
        // An invalid block costs the connection.
        let bad = fakeChain(length: 41)[40]
        await chain.reject(bad.hash)
        await sync.received(.block(bad), from: peer)
        #expect(network.dropped.withLock { $0.map(\.1) } == ["invalid block: bad-txnmrklroot"])
        #expect(network.punished.withLock { $0 } == [peer], "misbehaviour: discouraged, not only dropped")
    }

    @Test func relaysTransactionsAndAnnouncesBlocks() async {
        let blocks = fakeChain(length: 3)
        let network = RecordingNetwork()
        let sync = NetSync(chain: FakeChain(blocks: blocks, stored: 3), mempool: FakeMempool(), network: network)
        let source = PeerID(1), modern = PeerID(2), legacy = PeerID(3), blocksOnly = PeerID(4)
        await sync.connected(source, version: peerInfo(), outbound: true)
        await sync.connected(modern, version: peerInfo(), outbound: true)
        await sync.connected(legacy, version: peerInfo(wtxid: false), outbound: true)
        await sync.connected(blocksOnly, version: peerInfo(relay: false), outbound: true)
        for peer in [source, modern, legacy, blocksOnly] { _ = network.take(peer) }
        let transaction = Transaction(version: 2, inputs: [TxIn(previousOutput: OutPoint(txid: blocks[1].transactions[0].txid, index: 0))],
                                      outputs: [TxOut(value: Amount(satoshis: 40), scriptPubKey: [0x51])])
        await sync.received(.transaction(transaction), from: source)
        #expect(network.take(source).isEmpty, "not announced back to its sender")
        #expect(network.deliveries.withLock { $0.map(\.0) } == [source] && network.deliveries.withLock { $0.map(\.1) } == [.transaction])
        #expect(network.take(modern) == [.inventory([InventoryItem(kind: .witnessTransactionID, hash: transaction.wtxid.hash)])])
        #expect(network.take(legacy) == [.inventory([InventoryItem(kind: .transaction, hash: transaction.txid.hash)])])
        #expect(network.take(blocksOnly).isEmpty)
        // Blocks: headers to those who asked for them, inv to the others.
        await sync.received(.sendHeaders, from: modern)
        await sync.announce(block: blocks[2])
        #expect(network.take(modern) == [.headers([blocks[2].header])])
        #expect(network.take(legacy) == [.inventory([InventoryItem(kind: .block, hash: blocks[2].hash.hash)])])
        // An inv of an unknown transaction is fetched by the same id.
        let unknown = Hashing.sha256d([42])
        await sync.received(.inventory([InventoryItem(kind: .witnessTransactionID, hash: unknown)]), from: modern)
        #expect(network.take(modern) == [.getData([InventoryItem(kind: .witnessTransactionID, hash: unknown)])])
    }
}

extension NetSyncTests {
    @Test func preSegwitPeersGetTransactionsWithoutWitnesses() {
        let withWitness = Transaction(
            version: 2, inputs: [TxIn(previousOutput: OutPoint(txid: TxID(Hashing.sha256d([3])), index: 0), witness: [[1, 2, 3], [4]])],
            outputs: [TxOut(value: Amount(satoshis: 40), scriptPubKey: [0x51])])
        let stripped = NetSync.withoutWitness(withWitness)
        #expect(withWitness.txid != TxID(withWitness.wtxid.hash))
        #expect(stripped.txid == withWitness.txid && stripped.wtxid.hash == stripped.txid.hash && stripped.inputs.allSatisfy(\.witness.isEmpty))
    }
}
