import ChainCrypto
import ChainTypes
import P2PWire

/// A connection, as the sync logic names it.
public struct PeerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (lhs: PeerID, rhs: PeerID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "peer=\(rawValue)" }
}

/// The chain as sync and relay need it (the node adapts its chain state).
public protocol NetSyncChain: Sendable {
    /// The tip, the best header and how to ask for headers after it.
    func status() async -> ChainSyncStatus
    /// The active headers after the locator's fork point, up to `stop` or `limit`.
    func headers(after locator: [BlockHash], stop: BlockHash, limit: Int) async -> [BlockHeader]
    /// A stored block.
    func block(_ hash: BlockHash) async -> Block?
    /// A stored block's bytes, as peers are served them.
    func serializedBlock(_ hash: BlockHash) async -> [UInt8]?
    /// Whether the block's data is stored.
    func hasBlock(_ hash: BlockHash) async -> Bool
    /// Accepts a peer's headers, in order.
    func accept(headers: [BlockHeader]) async -> HeadersOutcome
    /// The missing blocks toward a header a peer has (see `DownloadWindow`).
    func blocksToDownload(toward best: BlockHash, window: Int) async -> DownloadWindow
    /// Hands over a peer's block: judged at once (`.checked`), or queued for validation with
    /// others, its verdict reported later through `NetSync.blockChecked`.
    func submit(_ block: Block, from peer: PeerID) async -> BlockSubmission
    /// BIP157: the basic filters of the blocks from `startHeight` to `stop` on its branch; nil
    /// for a request not to answer (unknown stop, start past it, more than `limit`, no index).
    func filters(from startHeight: Int, to stop: BlockHash, limit: Int) async -> FilterBatch?
    /// BIP157: the filter headers at every 1,000th height up to `stop`.
    func filterCheckpoints(to stop: BlockHash) async -> [Hash256]?
}

/// Something new a peer sent.
public enum Delivery: Sendable {
    case block, transaction
}

/// What became of a submitted block.
public enum BlockSubmission: Equatable, Sendable {
    /// Judged: nil when valid (or already known), else the reason.
    case checked(SyncRejection?)
    /// Queued for validation; the verdict comes through `NetSync.blockChecked`.
    case queued
}

/// Basic block filters of consecutive blocks, for `cfilter`/`cfheaders`.
public struct FilterBatch: Sendable {
    public struct Entry: Sendable {
        public let blockHash: BlockHash
        public let filter: [UInt8]
        public let header: Hash256
        public init(blockHash: BlockHash, filter: [UInt8], header: Hash256) {
            self.blockHash = blockHash
            self.filter = filter
            self.header = header
        }
    }

    /// The filter header of the block before the first.
    public let previousHeader: Hash256
    public let entries: [Entry]

    public init(previousHeader: Hash256, entries: [Entry]) {
        self.previousHeader = previousHeader
        self.entries = entries
    }
}

/// The chain's state as sync needs it.
public struct ChainSyncStatus: Equatable, Sendable {
    public var tipHeight: Int
    public var bestHeaderHeight: Int
    /// Unix seconds of the best header.
    public var bestHeaderTime: Int64
    /// A locator from the best header's parent (Core's `getheaders` start).
    public var headersLocator: [BlockHash]
    public var isInitialBlockDownload: Bool

    public init(tipHeight: Int, bestHeaderHeight: Int, bestHeaderTime: Int64, headersLocator: [BlockHash], isInitialBlockDownload: Bool) {
        self.tipHeight = tipHeight
        self.bestHeaderHeight = bestHeaderHeight
        self.bestHeaderTime = bestHeaderTime
        self.headersLocator = headersLocator
        self.isInitialBlockDownload = isInitialBlockDownload
    }
}

/// What became of a peer's headers.
public enum HeadersOutcome: Equatable, Sendable {
    /// All known now; the last one and its height.
    case accepted(last: BlockHash, height: Int)
    /// The first one's parent is unknown (the peer is further ahead than it thinks we are).
    case unconnected
    case invalid(SyncRejection)
}

/// The missing blocks of a branch, after the last block it shares with the active chain: in
/// height order up to one past `end`, the last height of the download window.
public struct DownloadWindow: Sendable {
    public struct Entry: Equatable, Sendable {
        public let hash: BlockHash
        public let height: Int
        public init(hash: BlockHash, height: Int) {
            self.hash = hash
            self.height = height
        }
    }

    public var end: Int
    public var blocks: [Entry]

    public init(end: Int, blocks: [Entry]) {
        self.end = end
        self.blocks = blocks
    }
}

/// What the mempool made of a transaction from a peer.
public enum TransactionAcceptance: Equatable, Sendable {
    case accepted
    /// Some inputs are unknown: perhaps an orphan whose parents have not arrived.
    case missingInputs
    case rejected
}

/// The mempool as relay needs it.
public protocol NetSyncMempool: Sendable {
    func transaction(_ txid: TxID) async -> Transaction?
    func transaction(witness wtxid: WTxID) async -> Transaction?
    /// Judges a transaction from a peer.
    func accept(_ transaction: Transaction) async -> TransactionAcceptance
    /// A pooled transaction's fee rate in sat/kvB (with its priority delta), nil when it is not
    /// in the pool.
    func feeRate(witness wtxid: WTxID) async -> Int64?
    /// Every pooled transaction (candidates for rebuilding compact blocks).
    func transactionsForCompactBlocks() async -> [Transaction]
    /// The ids of every pooled transaction (announced to a new peer).
    func identifiers() async -> [(TxID, WTxID)]
    /// The fee rate (sat/kvB) below which the pool refuses transactions now: our `feefilter`.
    func minimumFeeRate() async -> Int64
}

/// Sending to and dropping peers (the node's connections).
public protocol PeerNetwork: Sendable {
    func send(_ message: Message, to peer: PeerID)
    func disconnect(_ peer: PeerID, reason: String)
    /// Disconnects a peer that broke the rules and discourages its address.
    func punish(_ peer: PeerID, reason: String)
    /// The peer gave us a block or transaction we did not have (peers that do are protected
    /// from inbound eviction).
    func delivered(_ delivery: Delivery, by peer: PeerID)
    /// Whether the peer's outgoing queue has room (it reads what it asked for); when it has
    /// none, the node tells NetSync `resume` once it drained.
    func hasRoom(for peer: PeerID) -> Bool
}

/// Why a peer's header or block was refused; `misbehaving` ones cost the peer its connection.
public struct SyncRejection: Error, Equatable, Sendable {
    public let reason: String
    public let misbehaving: Bool
    public init(reason: String, misbehaving: Bool) {
        self.reason = reason
        self.misbehaving = misbehaving
    }
}
