import ChainTypes

/// What the node tells its subscribers (`/ws`), in the order it happened. The mempool actor
/// publishes them because it sees both sides in one order: the tip changes it follows and its
/// own additions and removals.
public enum NodeEvent: Sendable {
    case transactionAdded(Transaction, mempoolSequence: UInt64)
    case transactionRemoved(Transaction, reason: MempoolRemovalReason, mempoolSequence: UInt64)
    /// `block` was connected at `height` (its transactions confirmed).
    case blockConnected(Block, height: Int)
    /// `block`, at `height`, was disconnected.
    case blockDisconnected(Block, height: Int)
    /// After a batch of tip changes, `block` (at `height`) is the new tip.
    case tipChanged(Block, height: Int)
}
