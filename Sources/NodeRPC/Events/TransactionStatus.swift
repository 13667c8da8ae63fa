import ChainTypes
import JSONRPC
import Mempool

/// Where one transaction stands, as the `txstatus` topic reports it.
public enum TransactionStatus: Equatable, Sendable {
    /// Neither in the mempool nor known to be confirmed (yet).
    case unknown
    /// In the mempool.
    case accepted
    /// In the active chain at `height`, `depth` blocks deep (1: in the tip).
    case confirmed(depth: Int, block: BlockHash, height: Int)
    /// At least the configured final depth deep.
    case final(depth: Int, block: BlockHash, height: Int)
    /// Left the mempool or the chain without confirming: `replaced`, `conflict`, `expired`,
    /// `evicted` or `reorg`.
    case removed(reason: String)

    /// The notification for `txid`.
    func message(txid: TxID) -> JSONObject {
        var object = JSONObject([("topic", .string("txstatus")), ("txid", .string(txid.description))])
        switch self {
        case .unknown: object["status"] = "unknown"
        case .accepted: object["status"] = "accepted"
        case let .confirmed(depth, block, height), let .final(depth, block, height):
            if case .final = self { object["status"] = "final" } else { object["status"] = "confirmed" }
            object["depth"] = .int(Int64(depth))
            object["blockhash"] = .string(block.description)
            object["height"] = .int(Int64(height))
        case let .removed(reason):
            object["status"] = "removed"
            object["reason"] = .string(reason)
        }
        return object
    }
}
