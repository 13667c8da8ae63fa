import ChainCrypto
import ChainTypes
import Testing
@testable import NetSync
@testable import P2PWire

/// Transaction relay as Core: one peer asked at a time with timeouts and preferences,
/// announcements on Poisson timers, `feefilter` both ways, the mempool announced to newcomers,
/// refusals remembered until the tip moves, nothing fetched while catching up.
@Suite struct TransactionRelayTests {
    static let funding = fakeChain(length: 2)[1].transactions[0].txid

    func spend(_ salt: UInt32) -> Transaction {
        Transaction(version: 2, inputs: [TxIn(previousOutput: OutPoint(txid: Self.funding, index: salt))],
                    outputs: [TxOut(value: Amount(satoshis: 1_000), scriptPubKey: [0x51])])
    }

    func transactionRequests(_ messages: [Message]) -> [Hash256] {
        messages.flatMap { message -> [Hash256] in
            guard case let .getData(items) = message else { return [] }
            return items.map(\.hash)
        }
    }

    func announced(_ messages: [Message]) -> [Hash256] {
        messages.flatMap { message -> [Hash256] in
            guard case let .inventory(items) = message else { return [] }
            return items.map(\.hash)
        }
    }

    struct Setup {
        let sync: NetSync
        let network: RecordingNetwork
        let clock: ManualClock
        let chain: FakeChain
        let mempool: FakeMempool
    }

    func setUp(settings: NetSync.Settings = NetSync.Settings(), peers: [(PeerID, outbound: Bool, relay: Bool)]) async -> Setup {
        // Recent headers: no headers sync to time out while hours pass in these tests.
        let chain = FakeChain(blocks: fakeChain(length: 2), stored: 2, recent: true)
        let mempool = FakeMempool(), network = RecordingNetwork(), clock = ManualClock()
        let sync = NetSync(chain: chain, mempool: mempool, network: network, settings: settings, now: clock.read)
        for (id, outbound, relay) in peers {
            await sync.connected(id, version: peerInfo(relay: relay), outbound: outbound)
            // It answers the headers request (it has nothing new), so hours may pass in tests.
            await sync.received(.headers([]), from: id)
            _ = network.take(id)
        }
        return Setup(sync: sync, network: network, clock: clock, chain: chain, mempool: mempool)
    }

    @Test func eachTransactionIsAskedOfOnePeerAtATime() async {
        let a = PeerID(1), b = PeerID(2), inbound = PeerID(3)
        let test = await setUp(peers: [(a, true, true), (b, true, true), (inbound, false, true)])
        let wanted = spend(0).wtxid.hash
        let item = InventoryItem(kind: .witnessTransactionID, hash: wanted)
        await test.sync.received(.inventory([item]), from: inbound)
        await test.sync.received(.inventory([item]), from: a)
        await test.sync.received(.inventory([item]), from: b)
        #expect(transactionRequests(test.network.take(a)) == [wanted], "the first outbound announcer is asked at once")
        #expect(test.network.take(b).isEmpty && test.network.take(inbound).isEmpty)
        // No answer within 60 s: the next outbound announcer is asked, the inbound one last.
        test.clock.advance(by: 60_000)
        await test.sync.tick()
        #expect(transactionRequests(test.network.take(b)) == [wanted] && test.network.take(inbound).filter { if case .getData = $0 { true } else { false } }.isEmpty)
        await test.sync.received(.notFound([item]), from: b)
        await test.sync.tick()
        #expect(transactionRequests(test.network.take(inbound)) == [wanted])
        // Once it arrives, nobody is asked again.
        await test.sync.received(.transaction(spend(0)), from: inbound)
        test.clock.advance(by: 120_000)
        await test.sync.tick()
        #expect([a, b, inbound].allSatisfy { transactionRequests(test.network.take($0)).isEmpty })
    }

    @Test func inboundAnnouncementsWaitTwoSeconds() async {
        let inbound = PeerID(1)
        let test = await setUp(peers: [(inbound, false, true)])
        let wanted = spend(1).wtxid.hash
        await test.sync.received(.inventory([InventoryItem(kind: .witnessTransactionID, hash: wanted)]), from: inbound)
        #expect(transactionRequests(test.network.take(inbound)).isEmpty)
        test.clock.advance(by: 1_999)
        await test.sync.tick()
        #expect(transactionRequests(test.network.take(inbound)).isEmpty)
        test.clock.advance(by: 1)
        await test.sync.tick()
        #expect(transactionRequests(test.network.take(inbound)) == [wanted])
    }

    @Test func announcementsTrickleAndHonourTheFeeFilter() async {
        let peer = PeerID(1), picky = PeerID(2), source = PeerID(3)
        let test = await setUp(peers: [(peer, true, true), (picky, true, true), (source, true, true)])
        await test.sync.received(.feeFilter(2_000), from: picky)
        let first = spend(2), second = spend(3)
        await test.sync.received(.transaction(first), from: source)
        #expect(announced(test.network.take(peer)) == [first.wtxid.hash], "the first announcement goes at once")
        await test.sync.received(.transaction(second), from: source)
        #expect(announced(test.network.take(peer)).isEmpty, "the next waits for the peer's Poisson timer")
        test.clock.advance(by: 10 * 60_000)
        await test.sync.tick()
        #expect(announced(test.network.take(peer)) == [second.wtxid.hash])
        #expect(announced(test.network.take(picky)).isEmpty, "pays 1,000 sat/kvB, below the peer's filter")
    }

    @Test func feeFiltersAreSentAndTheMempoolIsAnnouncedToNewcomers() async {
        let relaying = PeerID(1), blocksOnly = PeerID(2)
        let test = await setUp(settings: .immediate, peers: [(relaying, true, true), (blocksOnly, true, false)])
        await test.sync.tick()
        #expect(test.network.take(relaying).contains(.feeFilter(1_000)))
        #expect(!test.network.take(blocksOnly).contains { if case .feeFilter = $0 { true } else { false } })
        test.clock.advance(by: 3_600_000)
        await test.sync.tick()
        #expect(!test.network.take(relaying).contains { if case .feeFilter = $0 { true } else { false } }, "unchanged: not sent again")
        // While catching up the filter asks for nothing.
        await test.chain.setCatchingUp(true)
        test.clock.advance(by: 3_600_000)
        await test.sync.tick()
        #expect(test.network.take(relaying).contains(.feeFilter(NetSync.catchingUpFeeFilter)))
        // Caught up: the real filter goes at once, not at the next timer.
        await test.chain.setCatchingUp(false)
        await test.sync.tick()
        #expect(test.network.take(relaying).contains(.feeFilter(1_000)))
        // A pooled transaction is announced to a peer that connects later, and on `mempool`.
        let pooled = spend(4)
        _ = await test.mempool.accept(pooled)
        let newcomer = PeerID(3)
        await test.sync.connected(newcomer, version: peerInfo(), outbound: true)
        await test.sync.tick()
        #expect(announced(test.network.take(newcomer)) == [pooled.wtxid.hash])
        await test.sync.received(.mempool, from: newcomer)
        await test.sync.tick()
        #expect(announced(test.network.take(newcomer)).isEmpty, "it is known to have it")
    }

    @Test func refusalsAreRememberedUntilTheTipMovesAndNothingIsFetchedWhileCatchingUp() async {
        let a = PeerID(1), b = PeerID(2)
        let test = await setUp(settings: .immediate, peers: [(a, true, true), (b, true, true)])
        let bad = spend(5)
        await test.mempool.refuse(bad.txid)
        await test.sync.received(.transaction(bad), from: a)
        let item = InventoryItem(kind: .witnessTransactionID, hash: bad.wtxid.hash)
        await test.sync.received(.inventory([item]), from: b)
        #expect(transactionRequests(test.network.take(b)).isEmpty, "refused already")
        await test.sync.blockConnected(fakeChain(length: 3)[2])
        await test.sync.received(.inventory([item]), from: b)
        #expect(transactionRequests(test.network.take(b)) == [bad.wtxid.hash], "judged afresh after a new tip")
        // Catching up: announcements are not followed.
        await test.chain.setCatchingUp(true)
        await test.sync.tick()
        await test.sync.received(.inventory([InventoryItem(kind: .witnessTransactionID, hash: spend(6).wtxid.hash)]), from: a)
        #expect(transactionRequests(test.network.take(a)).isEmpty)
    }
}

extension TransactionRelayTests {
    @Test func blockRelayOnlyConnectionsCarryNoTransactions() async {
        let test = await setUp(settings: .immediate, peers: [])
        let quiet = PeerID(9), source = PeerID(8)
        await test.sync.connected(quiet, version: peerInfo(), outbound: true, blockRelayOnly: true)
        await test.sync.connected(source, version: peerInfo(), outbound: true)
        _ = test.network.take(quiet)
        await test.sync.received(.transaction(spend(7)), from: source)
        await test.sync.tick()
        #expect(announced(test.network.take(quiet)).isEmpty && !test.network.take(quiet).contains { if case .feeFilter = $0 { true } else { false } })
        await test.sync.received(.inventory([InventoryItem(kind: .witnessTransactionID, hash: spend(8).wtxid.hash)]), from: quiet)
        #expect(test.network.dropped.withLock { $0.map(\.1) } == ["transaction inv sent in violation of protocol"])
    }
}

extension TransactionRelayTests {
    @Test func aTransactionIsQueuedOnceForAPeer() async {
        let peer = PeerID(1), source = PeerID(2)
        let test = await setUp(peers: [(peer, true, true), (source, true, true)])
        let first = spend(10), pooled = spend(11)
        // The first announcement goes at once and starts the peer's timer.
        await test.sync.received(.transaction(first), from: source)
        _ = test.network.take(peer)
        _ = await test.mempool.accept(pooled)
        await test.sync.announce(pooled)
        await test.sync.received(.mempool, from: peer)
        await test.sync.announce(pooled)
        #expect(await test.sync.peers[peer]?.pendingAnnouncements.count == 1, "queued once, not three times")
        test.clock.advance(by: 10 * 60_000)
        await test.sync.tick()
        #expect(announced(test.network.take(peer)) == [pooled.wtxid.hash])
        #expect(await test.sync.peers[peer]?.queuedWitnessIDs.isEmpty == true)
    }
}
