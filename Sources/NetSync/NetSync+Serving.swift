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
    /// Blocks and transactions asked without the witness flag come without witnesses; a pool
    /// transaction is served only once announced to the peer (or sent by it), so a peer cannot
    /// learn what we hold before the announcement delays say (Core's rule); serving one lets the
    /// peer ask for its parents (orphan resolution).
    func serveRequests(of id: PeerID) async {
        var missing: [InventoryItem] = []
        while network.hasRoom(for: id), let item = peers[id]?.pendingRequests.popFirst() {
            switch item.kind {
            case .witnessBlock:
                if let bytes = await chain.serializedBlock(BlockHash(item.hash)) { network.send(.serializedBlock(bytes), to: id) }
            case .block:
                if let block = await chain.block(BlockHash(item.hash)) {
                    network.send(.block(Block(header: block.header, transactions: block.transactions.map(Self.withoutWitness))), to: id)
                }
            case .compactBlock:
                if let block = await chain.block(BlockHash(item.hash)) {
                    network.send(.compactBlock(CompactBlock(block: block, nonce: UInt64.random(in: 0...UInt64.max))), to: id)
                }
            case .transaction, .witnessTransaction, .witnessTransactionID:
                let found = item.kind == .witnessTransactionID
                    ? await mempool.transaction(witness: WTxID(item.hash)) : await mempool.transaction(TxID(item.hash))
                guard let transaction = found, peers[id]?.knownTransactions.contains(item.hash) == true else {
                    missing.append(item)
                    continue
                }
                peers[id]?.knownTransactions.formUnion(transaction.inputs.map(\.previousOutput.txid.hash))
                network.send(.transaction(item.kind == .transaction ? Self.withoutWitness(transaction) : transaction), to: id)
            default:
                missing.append(item)
            }
        }
        if !missing.isEmpty { network.send(.notFound(missing), to: id) }
    }

    /// A transaction as pre-segwit peers see it.
    static func withoutWitness(_ transaction: Transaction) -> Transaction {
        guard transaction.txid.hash != transaction.wtxid.hash else { return transaction }
        return transaction.with(inputs: transaction.inputs.map { input in
            var stripped = input
            stripped.witness = []
            return stripped
        })
    }
}
