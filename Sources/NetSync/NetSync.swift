import ChainCrypto
import ChainTypes
import Foundation
import Mempool
import P2PWire

/// Serving, sync and relay over established peers: answers `getheaders` and `getdata` from the
/// chain and mempool, takes headers and blocks (headers first: a peer's headers, then their
/// blocks, at most 16 in flight per peer), takes transactions into the mempool and announces
/// what is new to the other peers (headers to those who asked with `sendheaders`, else `inv`;
/// transactions by wtxid to BIP339 peers).
public actor NetSync {
    /// Core's `MAX_BLOCKS_IN_TRANSIT_PER_PEER`.
    public static let maxBlocksInFlight = 16

    struct Peer {
        var version: PeerVersion
        var outbound: Bool
        var sendsHeaders = false
        var feeFilter: Int64 = 0
        /// Blocks asked of this peer and not yet received, and those still to ask for.
        var inFlight: Set<BlockHash> = []
        var queued: [BlockHash] = []
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
    }

    /// Entries a peer's known-inventory sets hold at most.
    static let maxKnown = 50_000

    /// At most this many requested objects may wait for a peer that does not read (Core's
    /// `MAX_INV_SZ` per `getdata`, twice); more disconnects it.
    public static let maxPendingRequests = 2 * Message.maxInventory

    private let chain: any NetSyncChain
    private let mempool: any NetSyncMempool
    private let network: any PeerNetwork
    private let now: @Sendable () -> Int64
    private var peers: [PeerID: Peer] = [:]
    /// Transactions waiting for their parents, by the peer that sent them.
    private(set) var orphans = OrphanPool<PeerID>()

    public init(
        chain: any NetSyncChain, mempool: any NetSyncMempool, network: any PeerNetwork,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        self.chain = chain
        self.mempool = mempool
        self.network = network
        self.now = now
    }

    /// What NetSync knows of each established peer (for `getpeerinfo`).
    public struct PeerState: Sendable {
        public let version: PeerVersion
        public let outbound: Bool
        public let blocksInFlight: Int
        public let feeFilter: Int64
    }

    public func peerStates() -> [(PeerID, PeerState)] {
        peers.map { id, peer in
            (id, PeerState(version: peer.version, outbound: peer.outbound, blocksInFlight: peer.inFlight.count, feeFilter: peer.feeFilter))
        }
    }

    /// A peer finished the handshake: ask for header announcements, and for headers if it has
    /// more blocks than we do.
    public func connected(_ id: PeerID, version: PeerVersion, outbound: Bool) async {
        peers[id] = Peer(version: version, outbound: outbound)
        network.send(.sendHeaders, to: id)
        let tip = await chain.tip()
        if Int(version.startHeight) > tip.height { network.send(.getHeaders(LocatorRequest(version: 70016, locator: tip.locator, stop: BlockHash(.zero))), to: id) }
    }

    public func disconnected(_ id: PeerID) {
        peers[id] = nil
        orphans.removeAll(from: id)
    }

    /// A block was connected: orphans it confirmed or made impossible go.
    public func blockConnected(_ block: Block) {
        orphans.removeForBlock(block)
    }

    /// Handles a message from an established peer.
    public func received(_ message: Message, from id: PeerID) async {
        guard peers[id] != nil else { return }
        switch message {
        case let .getHeaders(request):
            network.send(.headers(await chain.headers(after: request.locator, stop: request.stop, limit: Message.maxHeaders)), to: id)
        case let .getData(items):
            guard let pending = peers[id]?.pendingRequests.count, pending + items.count <= Self.maxPendingRequests else {
                network.disconnect(id, reason: "too many pending getdata requests")
                return
            }
            peers[id]?.pendingRequests += items
            await serveRequests(of: id)
        case let .headers(headers):
            await receivedHeaders(headers, from: id)
        case let .block(block):
            await receivedBlock(block, from: id)
        case let .transaction(transaction):
            peers[id]?.knownTransactions.formUnion([transaction.txid.hash, transaction.wtxid.hash])
            await receivedTransaction(transaction, from: id)
        case let .inventory(items):
            await receivedInventory(items, from: id)
        case .sendHeaders:
            peers[id]?.sendsHeaders = true
        case let .feeFilter(rate):
            peers[id]?.feeFilter = rate
        case .getAddresses:
            network.send(.addresses([]), to: id)
        default:
            break
        }
    }

    /// Tells peers about a new tip (not those known to have it).
    public func announce(block: Block) {
        for (id, peer) in peers.sorted(by: { $0.key < $1.key }) where !peer.knownBlocks.contains(block.hash) {
            peers[id]?.knownBlocks.insert(block.hash)
            network.send(peer.sendsHeaders ? .headers([block.header]) : .inventory([InventoryItem(kind: .block, hash: block.hash.hash)]), to: id)
        }
    }

    /// Tells peers that want transactions about one that entered the mempool.
    public func announce(_ transaction: Transaction) {
        for (id, peer) in peers.sorted(by: { $0.key < $1.key }) where peer.version.relay {
            let hash = peer.version.wtxidRelay ? transaction.wtxid.hash : transaction.txid.hash
            guard !peer.knownTransactions.contains(hash) else { continue }
            peers[id]?.knownTransactions.insert(hash)
            network.send(.inventory([InventoryItem(kind: peer.version.wtxidRelay ? .witnessTransactionID : .transaction, hash: hash)]), to: id)
        }
    }

    /// Judges a peer's transaction: accepted ones are announced and free their waiting
    /// children; one with unknown inputs waits in the orphan pool while its parents are asked
    /// of the peer that sent it (Core's orphan handling).
    private func receivedTransaction(_ transaction: Transaction, from id: PeerID) async {
        switch await mempool.accept(transaction) {
        case .accepted:
            announce(transaction)
            await acceptOrphans(after: transaction)
        case .missingInputs:
            guard orphans.add(transaction, from: id, now: now()) else { return }
            var parents: [InventoryItem] = []
            for txid in Set(transaction.inputs.map(\.previousOutput.txid)).sorted(by: { $0.description < $1.description })
            where await mempool.transaction(txid) == nil {
                parents.append(InventoryItem(kind: .witnessTransaction, hash: txid.hash))
            }
            if !parents.isEmpty { network.send(.getData(parents), to: id) }
        case .rejected:
            break
        }
    }

    /// Tries again the orphans waiting for `parent` (and, as they are accepted, theirs).
    private func acceptOrphans(after parent: Transaction) async {
        var freed = [parent]
        while let next = freed.popLast() {
            for child in orphans.children(of: next) {
                switch await mempool.accept(child) {
                case .accepted:
                    orphans.remove(child.wtxid)
                    announce(child)
                    freed.append(child)
                case .rejected:
                    orphans.remove(child.wtxid)
                case .missingInputs:
                    break  // still waiting for another parent
                }
            }
        }
    }

    /// The peer drained its queue: serve what it still waits for.
    public func resume(_ id: PeerID) async {
        await serveRequests(of: id)
    }

    /// Serves the peer's pending requests while its queue has room (so a peer asking for many
    /// blocks and reading slowly holds at most about one block in memory, as Core pauses).
    private func serveRequests(of id: PeerID) async {
        var missing: [InventoryItem] = []
        while network.hasRoom(for: id), let item = peers[id]?.pendingRequests.popFirst() {
            switch item.kind {
            case .block, .witnessBlock:
                if let block = await chain.block(BlockHash(item.hash)) { network.send(.block(block), to: id) }
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

    private func receivedHeaders(_ headers: [BlockHeader], from id: PeerID) async {
        guard let last = headers.last else { return }
        peers[id]?.knownBlocks.formUnion(headers.map(\.hash))
        switch await chain.accept(headers: headers) {
        case let .failure(rejection):
            if rejection.misbehaving { network.disconnect(id, reason: "invalid header: \(rejection.reason)") }
        case let .success(wanted):
            let asked = peers.values.reduce(into: Set<BlockHash>()) { asked, peer in
                asked.formUnion(peer.inFlight)
                asked.formUnion(peer.queued)
            }
            let fresh = wanted.filter { !asked.contains($0) }
            peers[id]?.queued += fresh
            requestBlocks(from: id)
            // A full batch: there are probably more.
            if headers.count == Message.maxHeaders {
                network.send(.getHeaders(LocatorRequest(version: 70016, locator: [last.hash], stop: BlockHash(.zero))), to: id)
            }
        }
    }

    private func requestBlocks(from id: PeerID) {
        guard var peer = peers[id] else { return }
        var asking: [InventoryItem] = []
        while peer.inFlight.count < Self.maxBlocksInFlight, !peer.queued.isEmpty {
            let hash = peer.queued.removeFirst()
            peer.inFlight.insert(hash)
            asking.append(InventoryItem(kind: .witnessBlock, hash: hash.hash))
        }
        peers[id] = peer
        if !asking.isEmpty { network.send(.getData(asking), to: id) }
    }

    private func receivedBlock(_ block: Block, from id: PeerID) async {
        peers[id]?.inFlight.remove(block.hash)
        peers[id]?.knownBlocks.insert(block.hash)
        if let rejection = await chain.accept(block: block), rejection.misbehaving {
            network.disconnect(id, reason: "invalid block: \(rejection.reason)")
            return
        }
        requestBlocks(from: id)
    }

    private func receivedInventory(_ items: [InventoryItem], from id: PeerID) async {
        var wanted: [InventoryItem] = []
        for item in items {
            switch item.kind {
            case .block, .witnessBlock:
                peers[id]?.knownBlocks.insert(BlockHash(item.hash))
                if await !chain.hasBlock(BlockHash(item.hash)) {
                    network.send(.getHeaders(LocatorRequest(version: 70016, locator: await chain.tip().locator, stop: BlockHash(item.hash))), to: id)
                }
            case .transaction, .witnessTransactionID:
                peers[id]?.knownTransactions.insert(item.hash)
                let known = item.kind == .transaction ? await mempool.transaction(TxID(item.hash)) != nil
                    : await mempool.transaction(witness: WTxID(item.hash)) != nil
                if !known { wanted.append(item.kind == .transaction ? InventoryItem(kind: .witnessTransaction, hash: item.hash) : item) }
            default:
                break
            }
        }
        if !wanted.isEmpty { network.send(.getData(wanted), to: id) }
    }
}
