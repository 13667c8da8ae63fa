import ChainCrypto
import ChainTypes
import P2PWire

extension NetSync {
    /// Core's `MAX_GETCFILTERS_SIZE` and `MAX_GETCFHEADERS_SIZE`.
    static let maxFiltersPerRequest = 1_000
    static let maxFilterHeadersPerRequest = 2_000

    /// BIP157 requests, served with `-peerblockfilters`; a request we do not serve (filters off,
    /// a type other than basic, a range that is not one) ends the connection, as Core.
    func receivedFilterRequest(_ message: Message, from id: PeerID) async {
        switch message {
        case let .getFilters(request):
            guard let batch = await filterBatch(request, limit: Self.maxFiltersPerRequest, from: id) else { return }
            for entry in batch.entries {
                network.send(.filter(FilterMessage(filterType: 0, blockHash: entry.blockHash, filter: entry.filter)), to: id)
            }
        case let .getFilterHeaders(request):
            guard let batch = await filterBatch(request, limit: Self.maxFilterHeadersPerRequest, from: id) else { return }
            network.send(.filterHeaders(FilterHeadersMessage(
                filterType: 0, stopHash: request.stopHash, previousHeader: batch.previousHeader, hashes: batch.entries.map { Hashing.sha256d($0.filter) })), to: id)
        case let .getFilterCheckpoint(filterType, stopHash):
            guard settings.servesBlockFilters, filterType == 0, let headers = await chain.filterCheckpoints(to: stopHash) else {
                network.disconnect(id, reason: "unserved getcfcheckpt")
                return
            }
            network.send(.filterCheckpoint(FilterHeadersMessage(filterType: 0, stopHash: stopHash, previousHeader: nil, hashes: headers)), to: id)
        default:
            break
        }
    }

    private func filterBatch(_ request: FilterRangeRequest, limit: Int, from id: PeerID) async -> FilterBatch? {
        guard settings.servesBlockFilters, request.filterType == 0,
              let batch = await chain.filters(from: Int(request.startHeight), to: request.stopHash, limit: limit) else {
            network.disconnect(id, reason: "unserved block filter request")
            return nil
        }
        return batch
    }
}
