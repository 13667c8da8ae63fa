import ChainTypes

/// Which blocks are asked of which peer, as Core's `mapBlocksInFlight`: at most 16 per peer,
/// each block asked of one peer at a time, inside a moving window; a peer holding up a full
/// window is stalling and is dropped after the stall timeout (2 s, doubling at each such drop up
/// to 64 s and easing back by 15 % per block delivered in time); a peer whose oldest request
/// is overdue is dropped too. Times are milliseconds.
struct BlockDownloadTracker {
    /// Core's `MAX_BLOCKS_IN_TRANSIT_PER_PEER`.
    static let maxInFlightPerPeer = 16
    /// Core's `BLOCK_STALLING_TIMEOUT_DEFAULT` and `_MAX`.
    static let stallTimeoutDefault: Int64 = 2_000
    static let stallTimeoutMax: Int64 = 64_000

    struct Request {
        let peer: PeerID
        let requestedAt: Int64
    }

    private(set) var requests: [BlockHash: Request] = [:]
    /// Each peer's requests, oldest first.
    private var byPeer: [PeerID: [BlockHash]] = [:]
    /// Since when a peer has been holding up the window (Core's `m_stalling_since`).
    private var stallingSince: [PeerID: Int64] = [:]
    /// Since when the peer's oldest request counts (Core's `m_downloading_since`).
    private var downloadingSince: [PeerID: Int64] = [:]
    /// Blocks each peer said it does not have (forgotten wholesale past `maxLacking`).
    private var lacking: [PeerID: Set<BlockHash>] = [:]
    static let maxLacking = 1_024
    private(set) var stallTimeout = stallTimeoutDefault
    /// The base of the download timeout and its increase per other downloading peer (Core: one
    /// and a half target spacings).
    let downloadTimeoutBase: Int64
    let downloadTimeoutPerPeer: Int64

    init(downloadTimeoutBase: Int64, downloadTimeoutPerPeer: Int64) {
        self.downloadTimeoutBase = downloadTimeoutBase
        self.downloadTimeoutPerPeer = downloadTimeoutPerPeer
    }

    func inFlight(of peer: PeerID) -> Int { byPeer[peer]?.count ?? 0 }

    func isRequested(_ hash: BlockHash) -> Bool { requests[hash] != nil }

    func isStalling(_ peer: PeerID) -> Bool { stallingSince[peer] != nil }

    /// Blocks in flight from all peers.
    var count: Int { requests.count }

    /// Picks the blocks to ask of `peer` among the missing blocks of its branch (`window`, in
    /// height order, one height past the window end included): those nobody was asked for, up to
    /// its free slots. When it gets nothing because the window is full and it has nothing in
    /// flight, the peer holding the window's first requested block is stalling.
    mutating func assign(_ window: DownloadWindow, to peer: PeerID, now: Int64) -> [BlockHash] {
        let free = Self.maxInFlightPerPeer - inFlight(of: peer)
        guard free > 0 else { return [] }
        var picked: [BlockHash] = []
        var waitingFor: PeerID?
        let lacks = lacking[peer] ?? []
        for block in window.blocks where !lacks.contains(block.hash) {
            if let request = requests[block.hash] {
                if waitingFor == nil { waitingFor = request.peer }
                continue
            }
            if block.height > window.end {
                if picked.isEmpty, inFlight(of: peer) == 0, let staller = waitingFor, staller != peer, stallingSince[staller] == nil {
                    stallingSince[staller] = now
                }
                break
            }
            picked.append(block.hash)
            if picked.count == free { break }
        }
        for hash in picked { record(hash, from: peer, now: now) }
        return picked
    }

    /// Asks `peer` for one block outside the window logic (a compact block that could not be
    /// rebuilt); false when it is asked of another peer already.
    mutating func request(_ hash: BlockHash, from peer: PeerID, now: Int64) -> Bool {
        if let request = requests[hash] { return request.peer == peer }
        record(hash, from: peer, now: now)
        return true
    }

    private mutating func record(_ hash: BlockHash, from peer: PeerID, now: Int64) {
        requests[hash] = Request(peer: peer, requestedAt: now)
        if byPeer[peer, default: []].isEmpty { downloadingSince[peer] = max(now, downloadingSince[peer] ?? now) }
        byPeer[peer, default: []].append(hash)
    }

    /// A block arrived from `peer`; returns whether it had been asked of that peer. Whoever it
    /// had been asked of is free of it.
    @discardableResult
    mutating func received(_ hash: BlockHash, from peer: PeerID, now: Int64) -> Bool {
        guard let request = requests.removeValue(forKey: hash) else { return false }
        let owner = request.peer
        let wasOldest = byPeer[owner]?.first == hash
        byPeer[owner]?.removeAll { $0 == hash }
        // Whoever delivered it, the owner no longer holds the window up; its download clock
        // restarts only when its oldest request is done (Core's `RemoveBlockRequest`).
        stallingSince[owner] = nil
        if wasOldest { downloadingSince[owner] = now }
        if owner == peer, stallTimeout > Self.stallTimeoutDefault {
            stallTimeout = max(Self.stallTimeoutDefault, stallTimeout * 85 / 100)
        }
        return owner == peer
    }

    /// The peer said it does not have the block: others are asked for it, it is not again.
    mutating func notFound(_ hash: BlockHash, from peer: PeerID) {
        guard requests[hash]?.peer == peer else { return }
        requests[hash] = nil
        byPeer[peer]?.removeAll { $0 == hash }
        if lacking[peer, default: []].count >= Self.maxLacking { lacking[peer] = [] }
        lacking[peer, default: []].insert(hash)
    }

    /// Forgets a peer and everything asked of it.
    mutating func remove(_ peer: PeerID) {
        for hash in byPeer.removeValue(forKey: peer) ?? [] { requests[hash] = nil }
        stallingSince[peer] = nil
        downloadingSince[peer] = nil
        lacking[peer] = nil
    }

    /// The peers to drop now, with the reason: one stalling the window past the stall timeout
    /// (which then doubles, so a slow link of ours does not cost every peer in turn), or one
    /// whose oldest request took longer than the download timeout.
    mutating func overdue(now: Int64) -> [(PeerID, String)] {
        var dropped: [(PeerID, String)] = []
        for (peer, since) in stallingSince.sorted(by: { $0.key < $1.key }) where now - since > stallTimeout {
            dropped.append((peer, "stalling block download"))
            stallTimeout = min(stallTimeout * 2, Self.stallTimeoutMax)
            stallingSince[peer] = nil
        }
        let downloading = byPeer.values.filter { !$0.isEmpty }.count
        for (peer, hashes) in byPeer.sorted(by: { $0.key < $1.key }) where !hashes.isEmpty && !dropped.contains(where: { $0.0 == peer }) {
            let allowed = downloadTimeoutBase + downloadTimeoutPerPeer * Int64(max(0, downloading - 1))
            if let since = downloadingSince[peer], now - since > allowed { dropped.append((peer, "block download timeout")) }
        }
        return dropped
    }
}
