import ChainTypes

/// The part of the chain one acceptance needs, read in one go from the node's chain state (the
/// tip, the coins a transaction touches, median times past at their heights), so the mempool can
/// judge it on its own actor.
public struct ChainSnapshot: MempoolChainView, Sendable {
    public var tipHeight: Int
    public var tipMedianTimePast: Int64
    public var coinbaseMaturity: Int
    public var coins: [OutPoint: Coin]
    /// Median time past by height (heights not listed answer the tip's).
    public var medianTimePasts: [Int: Int64]

    public init(
        tipHeight: Int, tipMedianTimePast: Int64, coinbaseMaturity: Int, coins: [OutPoint: Coin] = [:], medianTimePasts: [Int: Int64] = [:]
    ) {
        self.tipHeight = tipHeight
        self.tipMedianTimePast = tipMedianTimePast
        self.coinbaseMaturity = coinbaseMaturity
        self.coins = coins
        self.medianTimePasts = medianTimePasts
    }

    public func medianTimePast(atHeight height: Int) -> Int64 { medianTimePasts[height] ?? tipMedianTimePast }

    public func coin(at outpoint: OutPoint) -> Coin? { coins[outpoint] }

    /// What a snapshot for `transaction` must look up: the outpoints it spends, and its own
    /// outputs (present when it is already confirmed).
    public static func outpoints(for transaction: Transaction) -> [OutPoint] {
        transaction.inputs.map(\.previousOutput)
            + transaction.outputs.indices.map { OutPoint(txid: transaction.txid, index: UInt32($0)) }
    }

    /// The heights whose median time past BIP68 time locks on `coins` need (each coin's
    /// height minus one, as Core's `CalculateSequenceLocks`).
    public static func lockHeights(for coins: some Sequence<Coin>) -> Set<Int> {
        Set(coins.map { max($0.height - 1, 0) })
    }
}
