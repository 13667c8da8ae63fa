import ChainTypes
import Consensus
import Storage

/// Why the chain state refused a block or could not go on.
public enum ChainStateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The block or header breaks a consensus rule.
    case invalid(BlockRuleError)
    /// The block is already known and stored.
    case duplicate
    /// Its parent is unknown.
    case orphan(parent: BlockHash)
    /// Storage failed: the node must stop.
    case storage(StorageError)
    /// Stored data contradicts itself (needs -reindex).
    case inconsistent(String)
    /// The requested block is not in the index.
    case unknownBlock(BlockHash)

    public var description: String {
        switch self {
        case let .invalid(error): "invalid: \(error)"
        case .duplicate: "duplicate"
        case let .orphan(parent): "previous block \(parent) not found"
        case let .storage(error): "\(error)"
        case let .inconsistent(message): "inconsistent chain state: \(message)"
        case let .unknownBlock(hash): "block \(hash) not found"
        }
    }
}

extension ChainStateError {
    /// Maps an error thrown inside a chain-state update: chain-state errors pass through,
    /// storage errors become `.storage`, anything else is an internal inconsistency.
    init(from error: any Error) {
        switch error {
        case let error as ChainStateError: self = error
        case let error as StorageError: self = .storage(error)
        default: self = .inconsistent("unexpected error \(error)")
        }
    }
}
