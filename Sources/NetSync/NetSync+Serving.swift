import ChainTypes
import P2PWire

extension NetSync {
    /// Queues a peer's `getdata` (bounded) and serves what fits its outgoing queue.
    func receivedRequests(_ items: [InventoryItem], from id: PeerID) async {
        guard let pending = peers[id]?.pendingRequests.count, pending + items.count <= Self.maxPendingRequests else {
            network.punish(id, reason: "too many pending getdata requests")
            return
        }
        peers[id]?.pendingRequests += items
        await serveRequests(of: id)
    }

    /// The peer drained its queue: serve what it still waits for.
    public func resume(_ id: PeerID) async {
        await serveRequests(of: id)
    }

    /// Serves the peer's pending requests while its queue has room (so a peer asking for many
    /// blocks and reading slowly holds at most about one block in memory, as Core pauses).
    func serveRequests(of id: PeerID) async {
        var missing: [InventoryItem] = []
        while network.hasRoom(for: id), let item = peers[id]?.pendingRequests.popFirst() {
            switch item.kind {
            case .block, .witnessBlock:
                if let bytes = await chain.serializedBlock(BlockHash(item.hash)) { network.send(.serializedBlock(bytes), to: id) }
            case .compactBlock:
                if let block = await chain.block(BlockHash(item.hash)) {
                    network.send(.compactBlock(CompactBlock(block: block, nonce: UInt64.random(in: 0...UInt64.max))), to: id)
                }
            case .transaction, .witnessTransaction:
                if let transaction = await mempool.transaction(TxID(item.hash)) { network.send(.transaction(transaction), to: id) } else { missing.append(item) }
            case .witnessTransactionID:
                if let transaction = await mempool.transaction(witness: WTxID(item.hash)) {
                    network.send(.transaction(transaction), to: id)
                } else {
                    missing.append(item)
                }
            default:
                missing.append(item)
            }
        }
        if !missing.isEmpty { network.send(.notFound(missing), to: id) }
    }
}
