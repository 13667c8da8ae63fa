import ChainTypes

/// A mempool entry with its place among the others, as `getmempoolentry` reports it (Core's
/// counts, sizes and fees include the transaction itself).
public struct MempoolEntryView: Sendable {
    public let entry: MempoolEntry
    /// Its fee plus its `prioritisetransaction` delta.
    public let modifiedFee: Amount
    /// Pool parents and children.
    public let depends: [TxID]
    public let spentBy: [TxID]
    public let ancestorCount: Int
    public let ancestorSize: Int
    /// Modified fees of the transaction with its ancestors, and with its descendants.
    public let ancestorFees: Amount
    public let descendantCount: Int
    public let descendantSize: Int
    public let descendantFees: Amount
}

extension Mempool {
    /// `txid`'s entry with its relatives, or nil when it is not in the pool.
    public func view(_ txid: TxID) -> MempoolEntryView? {
        guard let entry = entries[txid] else { return nil }
        let modified = modifiedFee(of: entry)
        func totals(_ relatives: Set<TxID>) -> (count: Int, size: Int, fees: Amount) {
            relatives.reduce((1, entry.virtualSize, modified)) { sum, relative in
                guard let other = entries[relative] else { return sum }
                return (sum.0 + 1, sum.1 + other.virtualSize, Amount(satoshis: sum.2.satoshis &+ modifiedFee(of: other).satoshis))
            }
        }
        let ancestors = totals(ancestors(of: txid)), descendants = totals(descendants(of: txid))
        return MempoolEntryView(
            entry: entry, modifiedFee: modified, depends: parents(of: txid), spentBy: children(of: txid), ancestorCount: ancestors.count,
            ancestorSize: ancestors.size, ancestorFees: ancestors.fees, descendantCount: descendants.count,
            descendantSize: descendants.size, descendantFees: descendants.fees)
    }
}
