import ChainTypes

/// What consensus needs to know of an output a transaction spends: the output and the block
/// that created it (height, and whether by its coinbase).
public protocol SpentCoin {
    var output: TxOut { get }
    var height: Int { get }
    var isCoinbase: Bool { get }
}
