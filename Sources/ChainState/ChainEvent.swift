import ChainTypes

/// A change of the active chain, as listeners (the mempool, later peers and subscribers) see
/// it, in the order it happened.
public enum ChainEvent: Sendable {
    /// `block` became the tip, at `height`.
    case connected(Block, height: Int)
    /// `block`, at `height`, stopped being the tip (a reorg or `invalidateblock`).
    case disconnected(Block, height: Int)
}
