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
    /// The active chain's height and locator.
    func tip() async -> (height: Int, locator: [BlockHash])
    /// The active headers after the locator's fork point, up to `stop` or `limit`.
    func headers(after locator: [BlockHash], stop: BlockHash, limit: Int) async -> [BlockHeader]
    /// A stored block.
    func block(_ hash: BlockHash) async -> Block?
    /// Whether the block's data is stored.
    func hasBlock(_ hash: BlockHash) async -> Bool
    /// Accepts headers; returns the hashes among them (or before them) whose blocks should be
    /// fetched, in chain order, or the reason they are invalid.
    func accept(headers: [BlockHeader]) async -> Result<[BlockHash], SyncRejection>
    /// Accepts a block; nil when it was valid (or already known), else the reason.
    func accept(block: Block) async -> SyncRejection?
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
}

/// Sending to and dropping peers (the node's connections).
public protocol PeerNetwork: Sendable {
    func send(_ message: Message, to peer: PeerID)
    func disconnect(_ peer: PeerID, reason: String)
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
