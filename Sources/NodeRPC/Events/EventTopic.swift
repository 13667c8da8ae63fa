import ChainCrypto
import ChainTypes

/// A `/ws` topic: Bitcoin Core's ZMQ topics, and one transaction's lifecycle.
public enum EventTopic: Hashable, Sendable, CustomStringConvertible {
    /// The new tip's hash after tip changes (ZMQ `hashblock`).
    case hashBlock
    /// The new tip, serialized (ZMQ `rawblock`).
    case rawBlock
    /// Every transaction entering the mempool, connected or disconnected in a block (ZMQ `hashtx`).
    case hashTransaction
    /// The same, serialized (ZMQ `rawtx`).
    case rawTransaction
    /// Blocks connected (`C`) and disconnected (`D`), transactions added to (`A`) and removed
    /// from (`R`) the mempool with the mempool sequence (ZMQ `sequence`).
    case sequence
    /// One transaction: accepted, confirmed (depth), final, or removed (reason).
    case transactionStatus(TxID)

    /// The stream topics (all but `txstatus:<txid>`).
    static let streams: [EventTopic] = [.hashBlock, .rawBlock, .hashTransaction, .rawTransaction, .sequence]

    /// Parses `hashblock`, `rawblock`, `hashtx`, `rawtx`, `sequence` or `txstatus:<txid>`.
    public init?(_ text: String) {
        if let stream = Self.streams.first(where: { $0.description == text }) {
            self = stream
        } else if text.hasPrefix("txstatus:"), let hash = Hash256(displayHex: text.dropFirst(9)) {
            self = .transactionStatus(TxID(hash))
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .hashBlock: "hashblock"
        case .rawBlock: "rawblock"
        case .hashTransaction: "hashtx"
        case .rawTransaction: "rawtx"
        case .sequence: "sequence"
        case let .transactionStatus(txid): "txstatus:\(txid)"
        }
    }
}
