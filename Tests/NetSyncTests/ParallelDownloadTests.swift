import ChainTypes
import Testing
@testable import NetSync
@testable import P2PWire

/// Block download from several peers through NetSync: every peer that has the chain serves a
/// share, nothing is asked twice, a staller is replaced, `notfound` passes a block on.
@Suite struct ParallelDownloadTests {
    func blockRequests(_ messages: [Message]) -> [BlockHash] {
        messages.flatMap { message -> [BlockHash] in
            guard case let .getData(items) = message else { return [] }
            return items.filter { $0.kind == .witnessBlock }.map { BlockHash($0.hash) }
        }
    }

    @Test func blocksComeFromEveryPeerThatHasThem() async {
        let blocks = fakeChain(length: 61)
        // Recent headers: every peer is asked for headers, not only the first.
        let chain = FakeChain(blocks: blocks, stored: 1, recent: true)
        let network = RecordingNetwork()
        let sync = NetSync(chain: chain, mempool: FakeMempool(), network: network, settings: .immediate)
        let peers = [PeerID(1), PeerID(2), PeerID(3)]
        for peer in peers { await sync.connected(peer, version: peerInfo(height: 60), outbound: true) }
        for peer in peers { #expect(network.take(peer).contains { if case .getHeaders = $0 { true } else { false } }) }
        var asked: [PeerID: [BlockHash]] = [:]
        for peer in peers {
            await sync.received(.headers(blocks[1...].map(\.header)), from: peer)
            asked[peer] = blockRequests(network.take(peer))
        }
        #expect(peers.map { asked[$0]?.count } == [16, 16, 16])
        let all = peers.flatMap { asked[$0] ?? [] }
        #expect(Set(all).count == 48 && all == blocks[1...48].map(\.hash), "disjoint shares, in chain order")
        // Each delivery refills that peer; the chain completes from all three.
        while await chain.stored < 61 {
            for peer in peers {
                for hash in asked[peer] ?? [] { await sync.received(.block(blocks[Int(await chain.height(of: hash) ?? 0)]), from: peer) }
                asked[peer] = blockRequests(network.take(peer))
            }
            await sync.tick()
            for peer in peers { asked[peer, default: []] += blockRequests(network.take(peer)) }
            if peers.allSatisfy({ asked[$0]?.isEmpty != false }) { break }
        }
        #expect(await chain.stored == 61)
        #expect(await sync.blocksInFlight == 0)
    }

    @Test func aStallingPeerIsReplaced() async {
        let blocks = fakeChain(length: 41)
        let chain = FakeChain(blocks: blocks, stored: 1, recent: true)
        let network = RecordingNetwork()
        let clock = ManualClock()
        var settings = NetSync.Settings.immediate
        settings.downloadWindow = 20
        let sync = NetSync(chain: chain, mempool: FakeMempool(), network: network, settings: settings, now: clock.read)
        let slow = PeerID(1), fast = PeerID(2)
        await sync.connected(slow, version: peerInfo(height: 40), outbound: true)
        await sync.connected(fast, version: peerInfo(height: 40), outbound: true)
        await sync.received(.headers(blocks[1...].map(\.header)), from: slow)
        await sync.received(.headers(blocks[1...].map(\.header)), from: fast)
        let held = blockRequests(network.take(slow))
        #expect(held == blocks[1...16].map(\.hash))
        // The fast peer delivers its four; the window (20 blocks) cannot move past the slow one.
        for hash in blockRequests(network.take(fast)) { await sync.received(.block(blocks[Int(await chain.height(of: hash) ?? 0)]), from: fast) }
        await sync.tick()
        #expect(blockRequests(network.take(fast)).isEmpty)
        clock.advance(by: 2_001)
        await sync.tick()
        #expect(network.dropped.withLock { $0.map(\.1) } == ["stalling block download"])
        #expect(network.dropped.withLock { $0.map(\.0) } == [slow])
        #expect(network.punished.withLock { $0.isEmpty }, "stalling is not misbehaviour")
        // What the staller held is asked of the fast peer.
        #expect(blockRequests(network.take(fast)) == held)
    }

    @Test func notFoundPassesTheBlockToAnotherPeer() async {
        let blocks = fakeChain(length: 5)
        let chain = FakeChain(blocks: blocks, stored: 1, recent: true)
        let network = RecordingNetwork()
        let sync = NetSync(chain: chain, mempool: FakeMempool(), network: network, settings: .immediate)
        let a = PeerID(1), b = PeerID(2)
        await sync.connected(a, version: peerInfo(height: 4), outbound: true)
        await sync.received(.headers(blocks[1...].map(\.header)), from: a)
        await sync.connected(b, version: peerInfo(height: 4), outbound: true)
        await sync.received(.headers(blocks[1...].map(\.header)), from: b)
        #expect(blockRequests(network.take(a)).count == 4 && blockRequests(network.take(b)).isEmpty)
        await sync.received(.notFound([InventoryItem(kind: .witnessBlock, hash: blocks[2].hash.hash)]), from: a)
        await sync.tick()
        #expect(blockRequests(network.take(b)) == [blocks[2].hash])
    }

    @Test func headersThatDoNotConnectAreAskedAgainThenCostTheConnection() async {
        let blocks = fakeChain(length: 30)
        let network = RecordingNetwork()
        let sync = NetSync(chain: FakeChain(blocks: blocks, stored: 1), mempool: FakeMempool(), network: network, settings: .immediate)
        let peer = PeerID(1)
        await sync.connected(peer, version: peerInfo(height: 29), outbound: true)
        _ = network.take(peer)
        for round in 1...11 {
            await sync.received(.headers([blocks[20].header]), from: peer)
            if round <= 10 {
                #expect(network.take(peer) == [.getHeaders(LocatorRequest(version: 70016, locator: [blocks[0].hash], stop: BlockHash(.zero)))])
            }
        }
        #expect(network.dropped.withLock { $0.map(\.1) } == ["too many headers that do not connect"])
    }
}

extension ParallelDownloadTests {
    @Test func unrequestedBlocksAreTakenOnlyWhenTheyCouldBeTheTip() async {
        let blocks = fakeChain(length: 400)
        let chain = FakeChain(blocks: blocks, stored: 10)
        let network = RecordingNetwork()
        let sync = NetSync(chain: chain, mempool: FakeMempool(), network: network, settings: .immediate)
        let peer = PeerID(1)
        await sync.connected(peer, version: peerInfo(), outbound: true)
        // Its header known, but far ahead (more than 288 past the tip): not stored.
        _ = await chain.accept(headers: blocks[10...].map(\.header))
        await sync.received(.block(blocks[300]), from: peer)
        #expect(await !chain.have.contains(300))
        // The next block: stored.
        await sync.received(.block(blocks[10]), from: peer)
        #expect(await chain.stored == 11)
        #expect(network.dropped.withLock { $0.isEmpty })
    }
}

extension ParallelDownloadTests {
    @Test func aBlockBeingValidatedIsNotAskedForAgain() async {
        let blocks = fakeChain(length: 20)
        let chain = FakeChain(blocks: blocks, stored: 1, recent: true)
        await chain.setQueueing(true)
        let network = RecordingNetwork()
        let sync = NetSync(chain: chain, mempool: FakeMempool(), network: network, settings: .immediate)
        let a = PeerID(1), b = PeerID(2)
        await sync.connected(a, version: peerInfo(height: 19), outbound: true)
        await sync.received(.headers(blocks[1...].map(\.header)), from: a)
        let first = blockRequests(network.take(a))
        #expect(first == blocks[1...16].map(\.hash))
        // Delivered but not judged yet: 1...16 are with the chain, not missing.
        for hash in first { await sync.received(.block(blocks[Int(await chain.height(of: hash) ?? 0)]), from: a) }
        #expect(blockRequests(network.take(a)) == blocks[17...19].map(\.hash))
        await sync.connected(b, version: peerInfo(height: 19), outbound: true)
        await sync.received(.headers(blocks[1...].map(\.header)), from: b)
        #expect(blockRequests(network.take(b)).isEmpty, "nothing left to ask")
        // The verdicts come: nothing is asked again, the chain has all of them.
        for hash in await chain.releaseQueued() { await sync.blockChecked(hash, from: a, rejection: nil) }
        await sync.tick()
        #expect(blockRequests(network.take(a)).isEmpty && blockRequests(network.take(b)).isEmpty)
        #expect(await chain.stored == 17)
    }
}

extension ParallelDownloadTests {
    @Test func aHeadersSyncPeerThatNeverAnswersIsReplaced() async {
        let blocks = fakeChain(length: 5)
        let network = RecordingNetwork()
        let clock = ManualClock()
        let sync = NetSync(chain: FakeChain(blocks: blocks, stored: 1), mempool: FakeMempool(), network: network, settings: .immediate, now: clock.read)
        let silent = PeerID(1), other = PeerID(2)
        await sync.connected(silent, version: peerInfo(height: 4), outbound: true)
        await sync.connected(other, version: peerInfo(height: 4), outbound: true)
        #expect(!network.take(other).contains { if case .getHeaders = $0 { true } else { false } }, "one headers sync at a time")
        clock.advance(by: 15 * 60_000 + 1)
        await sync.tick()
        #expect(network.dropped.withLock { $0.map(\.1) } == ["headers sync timeout"])
        #expect(network.take(other).contains { if case .getHeaders = $0 { true } else { false } }, "the other peer takes over")
    }
}
