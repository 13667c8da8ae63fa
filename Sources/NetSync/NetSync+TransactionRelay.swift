import ChainCrypto
import ChainTypes
import Foundation
import P2PWire

extension NetSync {
    /// A transaction queued for announcement to a peer.
    struct QueuedAnnouncement: Hashable {
        let txid: TxID
        let wtxid: WTxID
    }

    /// Core's `INVENTORY_BROADCAST_MAX`: transaction announcements per `inv` at most.
    static let maxAnnouncementsPerInventory = 1_000
    /// Transactions queued for one peer's announcements at most (beyond, new ones are not
    /// announced to it; it can still learn them from others or with `mempool`).
    static let maxQueuedAnnouncements = 100_000
    /// Transaction ids remembered as refused until the tip changes (Core's `m_recent_rejects`).
    static let maxRecentRejects = 120_000
    /// The `feefilter` sent while catching up: no transactions wanted (Core's `MAX_MONEY`).
    static let catchingUpFeeFilter: Int64 = 21_000_000 * 100_000_000

    /// Queues a transaction that entered the mempool for every peer that wants transactions and
    /// is not known to have it; each peer hears of it at its next announcement time.
    public func announce(_ transaction: Transaction) async {
        let queued = QueuedAnnouncement(txid: transaction.txid, wtxid: transaction.wtxid)
        for (id, peer) in peers where peer.relaysTransactions { enqueue(queued, for: id) }
        await flushAnnouncements()
    }

    func enqueue(_ queued: QueuedAnnouncement, for id: PeerID) {
        guard let peer = peers[id] else { return }
        let hash = peer.version.wtxidRelay ? queued.wtxid.hash : queued.txid.hash
        guard !peer.knownTransactions.contains(hash), peer.pendingAnnouncements.count < Self.maxQueuedAnnouncements,
              peers[id]?.queuedWitnessIDs.insert(queued.wtxid).inserted == true else { return }
        peers[id]?.pendingAnnouncements.append(queued)
    }

    /// Queues the whole mempool for a peer (on connection, and for a `mempool` request).
    func announceMempool(to id: PeerID) async {
        guard peers[id]?.relaysTransactions == true else { return }
        for (txid, wtxid) in await mempool.identifiers() { enqueue(QueuedAnnouncement(txid: txid, wtxid: wtxid), for: id) }
    }

    /// Sends the queued announcements of the peers whose timer came: outbound peers each on a
    /// Poisson timer (2 s on average), inbound peers on one shared timer (5 s), so the order
    /// announcements reach peers tells little about their origin (Core's trickle).
    func flushAnnouncements() async {
        let time = now()
        let inboundDue = nextInboundAnnouncement <= time
        if inboundDue, peers.values.contains(where: { !$0.outbound && !$0.pendingAnnouncements.isEmpty }) {
            nextInboundAnnouncement = time + Self.poissonDelay(mean: settings.inboundAnnouncementInterval)
        }
        for id in peers.keys.sorted() {
            guard let peer = peers[id], !peer.pendingAnnouncements.isEmpty else { continue }
            if peer.outbound {
                guard peer.nextAnnouncement <= time else { continue }
                peers[id]?.nextAnnouncement = time + Self.poissonDelay(mean: settings.outboundAnnouncementInterval)
            } else if !inboundDue {
                continue
            }
            await sendAnnouncements(to: id)
        }
    }

    /// Announces up to 1,000 of the peer's queued transactions, skipping those that left the
    /// pool, pay less than its `feefilter`, or that it has.
    private func sendAnnouncements(to id: PeerID) async {
        guard let wtxidRelay = peers[id]?.version.wtxidRelay, let batch = peers[id]?.pendingAnnouncements.prefix(Self.maxAnnouncementsPerInventory) else {
            return
        }
        peers[id]?.pendingAnnouncements.removeFirst(batch.count)
        for queued in batch { peers[id]?.queuedWitnessIDs.remove(queued.wtxid) }
        var items: [InventoryItem] = []
        for queued in batch {
            let hash = wtxidRelay ? queued.wtxid.hash : queued.txid.hash
            guard peers[id]?.knownTransactions.contains(hash) == false, let rate = await mempool.feeRate(witness: queued.wtxid),
                  rate >= peers[id]?.feeFilter ?? .max else { continue }
            // Both ids: the peer may ask by either (by txid for an orphan's parent).
            peers[id]?.knownTransactions.formUnion([queued.txid.hash, queued.wtxid.hash])
            items.append(InventoryItem(kind: wtxidRelay ? .witnessTransactionID : .transaction, hash: hash))
        }
        if !items.isEmpty { network.send(.inventory(items), to: id) }
    }

    /// An exponentially distributed delay with the given mean (ms): the gaps of a Poisson process
    /// (at least 1 ms unless the mean is 0).
    static func poissonDelay(mean: Int64) -> Int64 {
        guard mean > 0 else { return 0 }
        return max(1, Int64(-log1p(-Double.random(in: 0..<1)) * Double(mean)))
    }

    /// Sends `feefilter` to the peers whose timer came when the pool's minimum changed (the
    /// largest amount while catching up: no transactions wanted; once caught up, the real one at
    /// once, as Core).
    func sendFeeFilters() async {
        let time = now()
        let due = peers.filter { id, peer in
            peer.relaysTransactions && (peer.nextFeeFilter <= time || !catchingUp && peer.sentFeeFilter == Self.catchingUpFeeFilter)
        }
        guard !due.isEmpty else { return }
        let rate = catchingUp ? Self.catchingUpFeeFilter : await mempool.minimumFeeRate()
        for id in due.keys.sorted() where peers[id]?.sentFeeFilter != rate {
            network.send(.feeFilter(rate), to: id)
            peers[id]?.sentFeeFilter = rate
            peers[id]?.nextFeeFilter = time + Self.poissonDelay(mean: settings.feeFilterInterval)
        }
    }

    /// Judges a peer's transaction: accepted ones are announced and free their waiting
    /// children; one with unknown inputs waits in the orphan pool while its parents are asked
    /// of the peer that sent it (Core's orphan handling); refused ones are remembered until the
    /// tip changes.
    func receivedTransaction(_ transaction: Transaction, from id: PeerID) async {
        requests.forget(.init(hash: transaction.wtxid.hash, isWitnessID: true))
        requests.forget(.init(hash: transaction.txid.hash, isWitnessID: false))
        guard !recentRejects.contains(transaction.wtxid.hash), !orphans.contains(transaction.wtxid) else { return }
        switch await mempool.accept(transaction) {
        case .accepted:
            network.delivered(.transaction, by: id)
            await announce(transaction)
            await acceptOrphans(after: transaction)
        case .missingInputs:
            let parents = Set(transaction.inputs.map(\.previousOutput.txid)).sorted { $0.description < $1.description }
            if parents.contains(where: { recentRejects.contains($0.hash) }) {
                reject(transaction)
                return
            }
            guard orphans.add(transaction, from: id, now: now() / 1_000) else { return }
            for txid in parents where await mempool.transaction(txid) == nil {
                requests.announced(.init(hash: txid.hash, isWitnessID: false), by: id, preferred: true, delayTxid: false, now: now())
            }
            await requestTransactions()
        case .rejected:
            reject(transaction)
        }
    }

    private func reject(_ transaction: Transaction) {
        if recentRejects.count >= Self.maxRecentRejects { recentRejects.removeAll(keepingCapacity: true) }
        recentRejects.insert(transaction.wtxid.hash)
        if transaction.txid.hash == transaction.wtxid.hash { recentRejects.insert(transaction.txid.hash) }
    }

    /// Tries again the orphans waiting for `parent` (and, as they are accepted, theirs).
    private func acceptOrphans(after parent: Transaction) async {
        var freed = [parent]
        while let next = freed.popLast() {
            for child in orphans.children(of: next) {
                switch await mempool.accept(child) {
                case .accepted:
                    orphans.remove(child.wtxid)
                    await announce(child)
                    freed.append(child)
                case .rejected:
                    orphans.remove(child.wtxid)
                    reject(child)
                case .missingInputs:
                    break  // still waiting for another parent
                }
            }
        }
    }

    /// Sends the transaction requests that are due (one peer per transaction at a time).
    func requestTransactions() async {
        for (id, keys) in requests.due(now: now()).sorted(by: { $0.key < $1.key }) {
            let items = keys.map { InventoryItem(kind: $0.isWitnessID ? .witnessTransactionID : .witnessTransaction, hash: $0.hash) }
            network.send(.getData(items), to: id)
        }
    }

    func receivedInventory(_ items: [InventoryItem], from id: PeerID) async {
        var unknownBlock = false
        let wtxidPeers = peers.values.contains { $0.version.wtxidRelay }
        for item in items {
            switch item.kind {
            case .block, .witnessBlock:
                peers[id]?.knownBlocks.insert(BlockHash(item.hash))
                if await !chain.hasBlock(BlockHash(item.hash)) { unknownBlock = true }
            case .transaction, .witnessTransactionID:
                if peers[id]?.blockRelayOnly == true {
                    network.disconnect(id, reason: "transaction inv sent in violation of protocol")
                    return
                }
                peers[id]?.knownTransactions.insert(item.hash)
                guard !catchingUp else { continue }
                let isWitnessID = item.kind == .witnessTransactionID
                guard !recentRejects.contains(item.hash), !(isWitnessID && orphans.contains(WTxID(item.hash))) else { continue }
                let known = isWitnessID ? await mempool.transaction(witness: WTxID(item.hash)) != nil : await mempool.transaction(TxID(item.hash)) != nil
                if !known {
                    requests.announced(.init(hash: item.hash, isWitnessID: isWitnessID), by: id, preferred: peers[id]?.outbound ?? false, delayTxid: wtxidPeers, now: now())
                }
            default:
                break
            }
        }
        if unknownBlock {
            let status = await chain.status()
            askHeaders(of: id, after: status.headersLocator)
        }
        await requestTransactions()
    }
}

extension NetSync {
    /// The peer does not have what we asked: blocks and transactions may be asked of others.
    func receivedNotFound(_ items: [InventoryItem], from id: PeerID) {
        for item in items {
            switch item.kind {
            case .block, .witnessBlock: downloads.notFound(BlockHash(item.hash), from: id)
            case .witnessTransactionID: requests.notFound(.init(hash: item.hash, isWitnessID: true), from: id)
            case .transaction, .witnessTransaction: requests.notFound(.init(hash: item.hash, isWitnessID: false), from: id)
            default: break
            }
        }
    }
}
