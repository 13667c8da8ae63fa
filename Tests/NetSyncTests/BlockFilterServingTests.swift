import ChainCrypto
import ChainTypes
import Testing
@testable import NetSync
@testable import P2PWire

/// BIP157 serving: `cfilter` per block, `cfheaders` as filter hashes after the previous header,
/// `cfcheckpt`; a request that is not served ends the connection.
@Suite struct BlockFilterServingTests {
    @Test func filtersHeadersAndCheckpointsAreServed() async {
        let blocks = fakeChain(length: 3)
        let chain = FakeChain(blocks: blocks, stored: 3)
        let batch = FilterBatch(previousHeader: Hashing.sha256d([0]), entries: [
            FilterBatch.Entry(blockHash: blocks[1].hash, filter: [1, 0xaa], header: Hashing.sha256d([1])),
            FilterBatch.Entry(blockHash: blocks[2].hash, filter: [1, 0xbb], header: Hashing.sha256d([2])),
        ])
        await chain.setFilters(batch, checkpoints: [Hashing.sha256d([7])])
        let network = RecordingNetwork()
        var settings = NetSync.Settings.immediate
        settings.servesBlockFilters = true
        let sync = NetSync(chain: chain, mempool: FakeMempool(), network: network, settings: settings)
        let peer = PeerID(1)
        await sync.connected(peer, version: peerInfo(), outbound: false)
        _ = network.take(peer)
        let range = FilterRangeRequest(filterType: 0, startHeight: 1, stopHash: blocks[2].hash)
        await sync.received(.getFilters(range), from: peer)
        #expect(network.take(peer) == [
            .filter(FilterMessage(filterType: 0, blockHash: blocks[1].hash, filter: [1, 0xaa])),
            .filter(FilterMessage(filterType: 0, blockHash: blocks[2].hash, filter: [1, 0xbb])),
        ])
        await sync.received(.getFilterHeaders(range), from: peer)
        #expect(network.take(peer) == [.filterHeaders(FilterHeadersMessage(
            filterType: 0, stopHash: blocks[2].hash, previousHeader: Hashing.sha256d([0]), hashes: [Hashing.sha256d([1, 0xaa]), Hashing.sha256d([1, 0xbb])]))])
        await sync.received(.getFilterCheckpoint(filterType: 0, stopHash: blocks[2].hash), from: peer)
        #expect(network.take(peer) == [.filterCheckpoint(FilterHeadersMessage(filterType: 0, stopHash: blocks[2].hash, previousHeader: nil, hashes: [Hashing.sha256d([7])]))])
        #expect(network.dropped.withLock { $0.isEmpty })
        // Another filter type is not served.
        await sync.received(.getFilters(FilterRangeRequest(filterType: 1, startHeight: 1, stopHash: blocks[2].hash)), from: peer)
        #expect(network.dropped.withLock { $0.map(\.1) } == ["unserved block filter request"])
    }

    @Test func withoutPeerBlockFiltersRequestsEndTheConnection() async {
        let blocks = fakeChain(length: 2)
        let network = RecordingNetwork()
        let sync = NetSync(chain: FakeChain(blocks: blocks, stored: 2), mempool: FakeMempool(), network: network, settings: .immediate)
        let peer = PeerID(1)
        await sync.connected(peer, version: peerInfo(), outbound: false)
        _ = network.take(peer)
        await sync.received(.getFilterCheckpoint(filterType: 0, stopHash: blocks[1].hash), from: peer)
        #expect(network.take(peer).isEmpty && network.dropped.withLock { $0.map(\.1) } == ["unserved getcfcheckpt"])
    }
}
