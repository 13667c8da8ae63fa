import ChainTypes

/// What the mempool reads of the chain (the node adapts its chain state to this; the mempool
/// never imports `ChainState`). Transactions are judged for the block after the tip.
public protocol MempoolChainView {
    /// Height of the tip; the next block is at `tipHeight + 1`.
    var tipHeight: Int { get }
    /// Median time past of the tip (the next block's lock-time cut-off).
    var tipMedianTimePast: Int64 { get }
    /// Blocks before a coinbase output may be spent.
    var coinbaseMaturity: Int { get }
    /// Median time past of the active block at `height` (0…`tipHeight`), for BIP68 time locks.
    func medianTimePast(atHeight height: Int) -> Int64
    /// The unspent coin at `outpoint` in the chain's UTXO set; throws only when the chain cannot
    /// be read (storage), never for a missing coin.
    func coin(at outpoint: OutPoint) throws -> Coin?
}
