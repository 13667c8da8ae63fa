/// A named key space in a store (a RocksDB column family).
public struct ColumnFamily: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }
    public var description: String { name }

    /// Headers and validation status of every known block.
    public static let blockIndex = ColumnFamily("blockindex")
    /// Full blocks by hash.
    public static let blocks = ColumnFamily("blocks")
    /// Per-block undo data (the coins each block spent).
    public static let undo = ColumnFamily("undo")
    /// The UTXO set.
    public static let coins = ColumnFamily("coins")
    /// Chain-wide markers (best block of the coins, format version).
    public static let chainMeta = ColumnFamily("meta")
    /// Optional transaction index.
    public static let txIndex = ColumnFamily("txindex")
    /// Optional BIP158 basic filters and their headers, by block hash (`-blockfilterindex`).
    public static let blockFilter = ColumnFamily("blockfilter")

    /// The families the chain state uses; extensions add their own.
    public static let chainFamilies: [ColumnFamily] = [.blockIndex, .blocks, .undo, .coins, .chainMeta, .txIndex, .blockFilter]
}
