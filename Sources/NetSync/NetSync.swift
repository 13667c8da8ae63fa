import ChainCrypto
import ChainTypes
import Foundation
import Mempool
import P2PWire

/// Serving, sync and relay over established peers: answers `getheaders` and `getdata` from the
/// chain and mempool; syncs headers first and then blocks from every peer that has them, inside
/// Core's moving window with stall detection; takes transactions into the mempool and announces
/// what is new to the other peers (headers to those who asked with `sendheaders`, else `inv`;
/// transactions by wtxid to BIP339 peers).
///
/// Calls are expected one at a time (the node feeds it from one queue), and `tick` about every
/// 100 ms for the timers. Times are milliseconds from `now`.
public actor NetSync {
    struct Peer {
        var version: PeerVersion
        var outbound: Bool
        var sendsHeaders = false
        var feeFilter: Int64 = 0
        /// The most-work header the peer is known to have (Core's `pindexBestKnownBlock`).
        var bestKnown: (hash: BlockHash, height: Int)?
        /// Whether its `mempool` request was answered.
        var answeredMempool = false
        /// Whether we asked it for headers since it connected (Core's `fSyncStarted`), and
        /// whether an answer is due.
        var askedHeaders = false
        var awaitingHeaders = false
        /// Headers it sent that did not connect (Core drops a peer after 10 in a row).
        var unconnectedHeaders = 0
        /// What the peer is known to have (not announced back to it). Forgotten wholesale past
        /// `maxKnown` entries (Core keeps rolling filters; a forgotten entry only costs one
        /// redundant announcement).
        var knownBlocks: Set<BlockHash> = [] {
            didSet { if knownBlocks.count > NetSync.maxKnown { knownBlocks.removeAll(keepingCapacity: true) } }
        }
        var knownTransactions: Set<Hash256> = [] {
            didSet { if knownTransactions.count > NetSync.maxKnown { knownTransactions.removeAll(keepingCapacity: true) } }
        }
        /// Requested objects not served yet (waiting for the peer to read what was sent).
        var pendingRequests: ArraySlice<InventoryItem> = []
        /// Transactions to announce at its next announcement time, and that time.
        var pendingAnnouncements: [QueuedAnnouncement] = []
        var queuedWitnessIDs: Set<WTxID> = []
        var nextAnnouncement: Int64 = 0
        /// It speaks BIP152 version 2; it asked us to push new blocks as `cmpctblock`.
        var compactBlocks = false
        var announcesCompact = false
        /// A compact block being completed with `getblocktxn`.
        var partial: (hash: BlockHash, block: PartialBlock)?
        /// The last `feefilter` sent to it, and when the next may go.
        var sentFeeFilter: Int64?
        var nextFeeFilter: Int64 = 0

        /// A block-relay-only connection: no transactions (nor addresses) either way.
        var blockRelayOnly: Bool
        /// Whether transactions are announced to it: it asked for them, and the connection is
        /// not block-relay-only.
        var relaysTransactions: Bool { version.relay && !blockRelayOnly }
        var servesBlocks: Bool { version.services.contains(.network) }
    }

    /// Entries a peer's known-inventory sets hold at most.
    static let maxKnown = 50_000
    /// Blocks a `getblocks` is answered with at most (Core's 500).
    static let maxGetBlocksAnswer = 500
    /// How long the peer syncing our headers may take to bring them within a day of the
    /// present (Core's `HEADERS_DOWNLOAD_TIMEOUT_BASE`, 15 minutes) before another takes over.
    static let headersTimeout: Int64 = 15 * 60 * 1_000
    /// Core's `MAX_UNCONNECTING_HEADERS`.
    static let maxUnconnectedHeaders = 10
    /// Headers younger than this (ms) mean we are nearly caught up: every peer is asked for
    /// headers, not only the one syncing them (Core's 24 hours).
    static let recentHeaderAge: Int64 = 24 * 3_600 * 1_000

    /// At most this many requested objects may wait for a peer that does not read (Core's
    /// `MAX_INV_SZ` per `getdata`, twice); more disconnects it.
    public static let maxPendingRequests = 2 * Message.maxInventory

    let chain: any NetSyncChain
    let mempool: any NetSyncMempool
    let network: any PeerNetwork
    let now: @Sendable () -> Int64
    let settings: Settings
    var peers: [PeerID: Peer] = [:]
    /// The peer headers are being synced from during catch-up (Core's `nSyncStarted`), and
    /// since when (ms).
    var headersSyncPeer: PeerID?
    var headersSyncStartedAt: Int64 = 0
    var downloads: BlockDownloadTracker
    /// Each branch's missing blocks as last fetched from the chain, so downloads go on while the
    /// chain is busy validating; refetched when used up or older than a second.
    var windowCache: [BlockHash: (window: DownloadWindow, fetchedAt: Int64)] = [:]
    /// Blocks handed to the chain and not judged yet (not asked for again meanwhile).
    var submitted: Set<BlockHash> = []
    /// Blocks rebuilt from compact blocks, whose senders are not punished if they are invalid.
    var compactRelayed: Set<BlockHash> = []
    /// Transactions waiting for their parents, by the peer that sent them.
    var orphans = OrphanPool<PeerID>()
    /// Announced transactions and who is asked for them.
    var requests = TransactionRequestTracker()
    /// Transactions refused since the tip last changed, by wtxid (and txid without witness).
    var recentRejects: Set<Hash256> = []
    /// When inbound peers next hear of new transactions (one timer for all).
    var nextInboundAnnouncement: Int64 = 0
    /// Whether the chain is catching up (no transactions asked for, none wanted).
    var catchingUp = false
    /// Peers asked to announce blocks to us as `cmpctblock`, oldest first.
    var highBandwidthPeers: [PeerID] = []

    /// Timing of sync and relay.
    public struct Settings: Sendable {
        /// The chain's block interval in seconds; a block request times out after one interval
        /// plus half of one per other peer downloading (Core's `BLOCK_DOWNLOAD_TIMEOUT_*`).
        public var targetSpacing: Int64 = 600
        /// Mean gap between transaction announcements to an outbound peer, and to inbound peers
        /// (ms; Core's 2 s and 5 s).
        public var outboundAnnouncementInterval: Int64 = 2_000
        public var inboundAnnouncementInterval: Int64 = 5_000
        /// Mean gap between `feefilter` updates (ms; Core's 10 minutes).
        public var feeFilterInterval: Int64 = 600_000
        /// How far past the tip blocks are fetched (Core's `BLOCK_DOWNLOAD_WINDOW`).
        public var downloadWindow = 1_024
        /// Whether BIP152 compact blocks are offered and used (`-compactblocks`, on by default).
        public var compactBlocks = true
        /// Whether BIP157 filter requests are served (`-peerblockfilters`).
        public var servesBlockFilters = false

        public init() {}
    }

    /// - Parameter now: the clock, in milliseconds.
    public init(
        chain: any NetSyncChain, mempool: any NetSyncMempool, network: any PeerNetwork, settings: Settings = Settings(),
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000) }
    ) {
        self.chain = chain
        self.mempool = mempool
        self.network = network
        self.settings = settings
        self.now = now
        downloads = BlockDownloadTracker(
            downloadTimeoutBase: settings.targetSpacing * 1_000, downloadTimeoutPerPeer: settings.targetSpacing * 500)
    }

    /// What NetSync knows of each established peer (for `getpeerinfo`).
    public struct PeerState: Sendable {
        public let version: PeerVersion
        public let outbound: Bool
        public let blocksInFlight: Int
        public let feeFilter: Int64
        /// Height of the best header it is known to have (-1 when none).
        public let syncedHeaders: Int
    }

    public func peerStates() -> [(PeerID, PeerState)] {
        peers.map { id, peer in
            (id, PeerState(
                version: peer.version, outbound: peer.outbound, blocksInFlight: downloads.inFlight(of: id), feeFilter: peer.feeFilter,
                syncedHeaders: peer.bestKnown?.height ?? -1))
        }
    }

    /// Blocks asked of peers and not received yet.
    public var blocksInFlight: Int { downloads.count }

    /// Peers asked for headers that have not answered yet.
    public var headersInFlight: Int { peers.values.count { $0.awaitingHeaders } }

    /// A peer finished the handshake: ask for header announcements, and for headers when it is
    /// the first peer or we are nearly caught up. A block-relay-only connection carries no
    /// transactions either way.
    public func connected(_ id: PeerID, version: PeerVersion, outbound: Bool, blockRelayOnly: Bool = false) async {
        peers[id] = Peer(version: version, outbound: outbound, blockRelayOnly: blockRelayOnly)
        network.send(.sendHeaders, to: id)
        if settings.compactBlocks { network.send(.sendCompact(announce: false, version: 2), to: id) }
        await askHeadersIfDue(of: [id])
        await announceMempool(to: id)
    }

    public func disconnected(_ id: PeerID) {
        peers[id] = nil
        downloads.remove(id)
        requests.remove(id)
        highBandwidthPeers.removeAll { $0 == id }
        if headersSyncPeer == id { headersSyncPeer = nil }
        orphans.removeAll(from: id)
    }

    /// The timers: stalling and overdue peers are dropped, headers are asked of peers due, free
    /// download slots are filled, transactions are asked for and announced, fee filters sent.
    public func tick() async {
        let status = await chain.status()
        catchingUp = status.isInitialBlockDownload
        for (id, reason) in downloads.overdue(now: now()) where peers[id] != nil {
            network.disconnect(id, reason: reason)
            disconnected(id)
        }
        // The peer syncing our headers has 15 minutes to bring them near the present, if
        // others could take over (Core's headers sync timeout).
        if let id = headersSyncPeer, peers.count > 1, now() - headersSyncStartedAt > Self.headersTimeout,
           status.bestHeaderTime * 1_000 <= now() - Self.recentHeaderAge {
            network.disconnect(id, reason: "headers sync timeout")
            disconnected(id)
        }
        let ids = peers.keys.sorted()
        await askHeadersIfDue(of: ids.filter { peers[$0]?.askedHeaders == false })
        for id in ids { await requestBlocks(from: id) }
        await requestTransactions()
        await flushAnnouncements()
        await sendFeeFilters()
        orphans.expire(now: now() / 1_000)
    }

    /// A block was connected: orphans it confirmed or made impossible go, and refusals are
    /// judged afresh against the new tip.
    public func blockConnected(_ block: Block) {
        orphans.removeForBlock(block)
        recentRejects.removeAll(keepingCapacity: true)
    }

    /// Handles a message from an established peer.
    public func received(_ message: Message, from id: PeerID) async {
        guard peers[id] != nil else { return }
        switch message {
        case let .getHeaders(request):
            network.send(.headers(await chain.headers(after: request.locator, stop: request.stop, limit: Message.maxHeaders)), to: id)
        case let .getBlocks(request):
            // Core's answer: an inv of up to 500 active-chain blocks after the locator's fork point.
            let headers = await chain.headers(after: request.locator, stop: request.stop, limit: Self.maxGetBlocksAnswer)
            if !headers.isEmpty { network.send(.inventory(headers.map { InventoryItem(kind: .block, hash: $0.hash.hash) }), to: id) }
        case let .getData(items):
            await receivedRequests(items, from: id)
        case let .headers(headers):
            await receivedHeaders(headers, from: id)
        case let .block(block):
            await receivedBlock(block, from: id)
        case .transaction where peers[id]?.blockRelayOnly == true:
            network.disconnect(id, reason: "transaction sent in violation of protocol")
        case let .transaction(transaction):
            peers[id]?.knownTransactions.formUnion([transaction.txid.hash, transaction.wtxid.hash])
            await receivedTransaction(transaction, from: id)
        case let .inventory(items):
            await receivedInventory(items, from: id)
        case let .notFound(items):
            receivedNotFound(items, from: id)
        case .sendHeaders:
            peers[id]?.sendsHeaders = true
        case let .sendCompact(announce, version):
            receivedSendCompact(announce: announce, version: version, from: id)
        case let .compactBlock(compact):
            await receivedCompactBlock(compact, from: id)
        case let .getBlockTransactions(request):
            await receivedBlockTransactionsRequest(request, from: id)
        case let .blockTransactions(answer):
            await receivedBlockTransactions(answer, from: id)
        case .getFilters, .getFilterHeaders, .getFilterCheckpoint:
            await receivedFilterRequest(message, from: id)
        case let .feeFilter(rate):
            peers[id]?.feeFilter = rate
        case .mempool:
            // Answered once per connection: asking again cannot make us walk the pool again.
            guard peers[id]?.answeredMempool == false else { break }
            peers[id]?.answeredMempool = true
            await announceMempool(to: id)
        default:
            break
        }
    }
}
