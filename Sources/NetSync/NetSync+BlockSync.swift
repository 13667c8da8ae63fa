import ChainTypes
import P2PWire

extension NetSync {
    /// Asks those of `ids` that are due for headers: the first peer while none is syncing them,
    /// every peer once the best header is recent (Core's `fSyncStarted` rule). The locator
    /// starts at the best header's parent, so the answer tells what the peer has.
    func askHeadersIfDue(of ids: [PeerID]) async {
        guard !ids.isEmpty else { return }
        let status = await chain.status()
        let nearlyCaughtUp = status.bestHeaderTime * 1_000 > now() - Self.recentHeaderAge
        // The headers sync goes to an outbound peer when there is one (Core prefers them).
        let outboundWaiting = ids.contains { peers[$0]?.outbound == true && peers[$0]?.askedHeaders == false }
        for id in ids {
            guard let peer = peers[id], !peer.askedHeaders, peer.servesBlocks else { continue }
            if headersSyncPeer == nil, !nearlyCaughtUp {
                guard peer.outbound || !outboundWaiting else { continue }
                headersSyncPeer = id
                headersSyncStartedAt = now()
            } else if !nearlyCaughtUp {
                continue
            } else if headersSyncPeer == nil {
                headersSyncPeer = id
                headersSyncStartedAt = now()
            }
            peers[id]?.askedHeaders = true
            peers[id]?.awaitingHeaders = true
            askHeaders(of: id, after: status.headersLocator)
        }
    }

    /// Asks `id` for the headers after the first `locator` hash it knows (as many as it sends).
    func askHeaders(of id: PeerID, after locator: [BlockHash]) {
        network.send(.getHeaders(LocatorRequest(version: 70016, locator: locator, stop: BlockHash(.zero))), to: id)
    }

    /// Asks `id` for the whole block `hash` unless another peer was asked for it already.
    func fetchWholeBlock(_ hash: BlockHash, from id: PeerID) {
        if downloads.request(hash, from: id, now: now()) { network.send(.getData([InventoryItem(kind: .witnessBlock, hash: hash.hash)]), to: id) }
    }

    /// Tells peers about a new tip (not those known to have it; nothing during catch-up): as
    /// `cmpctblock` to those that asked for it (BIP152 high bandwidth), as headers to those that
    /// asked with `sendheaders`, else by `inv`.
    public func announce(block: Block) async {
        guard await !chain.status().isInitialBlockDownload else { return }
        var compact: CompactBlock?
        for (id, peer) in peers.sorted(by: { $0.key < $1.key }) where !peer.knownBlocks.contains(block.hash) {
            peers[id]?.knownBlocks.insert(block.hash)
            if peer.announcesCompact {
                let made = compact ?? CompactBlock(block: block, nonce: UInt64.random(in: 0...UInt64.max))
                compact = made
                network.send(.compactBlock(made), to: id)
            } else {
                network.send(peer.sendsHeaders ? .headers([block.header]) : .inventory([InventoryItem(kind: .block, hash: block.hash.hash)]), to: id)
            }
        }
    }

    func receivedHeaders(_ headers: [BlockHeader], from id: PeerID) async {
        peers[id]?.awaitingHeaders = false
        guard let last = headers.last else { return }
        peers[id]?.knownBlocks.formUnion(headers.map(\.hash))
        switch await chain.accept(headers: headers) {
        case let .invalid(rejection):
            if rejection.misbehaving { network.punish(id, reason: "invalid header: \(rejection.reason)") }
        case .unconnected:
            peers[id]?.unconnectedHeaders += 1
            if let count = peers[id]?.unconnectedHeaders, count > Self.maxUnconnectedHeaders {
                network.punish(id, reason: "too many headers that do not connect")
                return
            }
            let status = await chain.status()
            askHeaders(of: id, after: status.headersLocator)
        case let .accepted(hash, height):
            peers[id]?.unconnectedHeaders = 0
            if height > peers[id]?.bestKnown?.height ?? -1 { peers[id]?.bestKnown = (hash, height) }
            // A full batch: there are probably more.
            if headers.count == Message.maxHeaders {
                peers[id]?.awaitingHeaders = true
                askHeaders(of: id, after: [last.hash])
            }
            await requestBlocks(from: id)
        }
    }

    /// Whether an unrequested block is as high as the tip at least, and not too far ahead.
    func isWorthStoring(_ block: Block) async -> Bool {
        let tip = await chain.status().tipHeight
        guard case let .accepted(_, height) = await chain.accept(headers: [block.header]) else { return true }  // judged by accept(block:)
        return height >= tip && height <= tip + Self.maxUnrequestedAhead
    }

    /// Fills the peer's free download slots with blocks of its branch nobody was asked for.
    func requestBlocks(from id: PeerID) async {
        guard let peer = peers[id], peer.servesBlocks, let best = peer.bestKnown,
              downloads.inFlight(of: id) < BlockDownloadTracker.maxInFlightPerPeer else { return }
        // A branch no longer than ours is not downloaded (Core compares work; equal-difficulty
        // regtest and our chains make height the measure).
        guard await best.height > chain.status().tipHeight else { return }
        guard let window = await downloadWindow(toward: best.hash), peers[id] != nil else { return }
        let picked = downloads.assign(window, to: id, now: now())
        guard !picked.isEmpty else { return }
        // A single new block when caught up comes as a compact block, rebuilt from the mempool
        // (BIP152 low-bandwidth mode, Core's direct fetch).
        let compact = picked.count == 1 && downloads.count == 1 && peer.compactBlocks && !catchingUp
        network.send(.getData(picked.map { InventoryItem(kind: compact ? .compactBlock : .witnessBlock, hash: $0.hash) }), to: id)
    }

    /// Core's `MIN_BLOCKS_TO_KEEP`: an unrequested block further than this past the tip is
    /// not stored.
    static let maxUnrequestedAhead = 288

    /// A block from a peer: validated and stored. One we did not ask for is taken only if its
    /// chain has at least the tip's work (judged by height) and it is not far ahead (Core's
    /// rule), so a peer cannot fill our disk with blocks of forks nobody follows.
    func receivedBlock(_ block: Block, from id: PeerID, solicited: Bool = false) async {
        let requested = downloads.received(block.hash, from: id, now: now())
        peers[id]?.knownBlocks.insert(block.hash)
        guard !submitted.contains(block.hash) else { return }
        if !requested, !solicited {
            guard await !chain.hasBlock(block.hash), await isWorthStoring(block) else { return }
        }
        submitted.insert(block.hash)
        let submission = await chain.submit(block, from: id)
        if case let .checked(rejection) = submission { await blockChecked(block.hash, from: id, rejection: rejection) }
        await requestBlocks(from: id)
    }

    /// The missing blocks toward `best` not handed to the chain yet: from the cache while it
    /// still offers blocks nobody was asked for (and is less than a second old), else fetched.
    func downloadWindow(toward best: BlockHash) async -> DownloadWindow? {
        var window: DownloadWindow
        if let cached = windowCache[best], now() - cached.fetchedAt < 1_000,
           cached.window.blocks.contains(where: { $0.height <= cached.window.end && !downloads.isRequested($0.hash) && !submitted.contains($0.hash) }) {
            window = cached.window
        } else {
            window = await chain.blocksToDownload(toward: best, window: settings.downloadWindow)
            if windowCache.count >= 64 { windowCache.removeAll() }
            windowCache[best] = (window, now())
        }
        window.blocks.removeAll { submitted.contains($0.hash) }
        return window
    }

    /// The verdict on a block `id` sent: an invalid one costs the peer its connection; a peer
    /// that gave us a new tip may be asked to push the next ones compact.
    public func blockChecked(_ hash: BlockHash, from id: PeerID, rejection: SyncRejection?) async {
        submitted.remove(hash)
        for key in Array(windowCache.keys) { windowCache[key]?.window.blocks.removeAll { $0.hash == hash } }
        let viaCompactBlock = compactRelayed.remove(hash) != nil
        if let rejection {
            if rejection.misbehaving, !viaCompactBlock { network.punish(id, reason: "invalid block: \(rejection.reason)") }
            return
        }
        network.delivered(.block, by: id)
        guard let best = peers[id]?.bestKnown, best.hash == hash else { return }
        let tip = await chain.status().tipHeight
        if tip == best.height { preferForCompactBlocks(id) }
    }
}
