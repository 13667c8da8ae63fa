import ChainCrypto
import ChainTypes
import P2PWire

/// A block being rebuilt from a `cmpctblock` (BIP152): the prefilled transactions at their
/// indexes, the others matched by short id against the transactions we have (mempool and
/// orphans); what is still missing is asked for with `getblocktxn`, as Core's
/// `PartiallyDownloadedBlock`.
struct PartialBlock {
    enum Failure: Error, Equatable {
        /// The peer sent something no honest peer sends (an index past the block's end, or the
        /// wrong number of transactions in `blocktxn`).
        case invalid(String)
        /// Not the peer's fault (two transactions of the block share a short id, or the rebuilt
        /// block does not hash to its merkle root): the full block is fetched instead.
        case fallBack(String)
    }

    let header: BlockHeader
    private var slots: [Transaction?]
    /// Indexes of the transactions still to get, in order.
    private(set) var missing: [Int]

    init(_ compact: CompactBlock, candidates: [Transaction]) throws(Failure) {
        header = compact.header
        let count = compact.shortIDs.count + compact.prefilled.count
        guard count > 0 else { throw .invalid("empty compact block") }
        slots = [Transaction?](repeating: nil, count: count)
        for entry in compact.prefilled {
            guard entry.index < count else { throw .invalid("prefilled index out of range") }
            slots[entry.index] = entry.transaction
        }
        // The remaining slots, in order, take the short ids.
        var slotOfID: [UInt64: Int] = [:]
        slotOfID.reserveCapacity(compact.shortIDs.count)
        var ids = compact.shortIDs.makeIterator()
        for index in slots.indices where slots[index] == nil {
            guard let id = ids.next() else { break }
            guard slotOfID.updateValue(index, forKey: id) == nil else { throw .fallBack("short id collision in the block") }
        }
        let key = CompactBlock.shortIDKey(header: compact.header, nonce: compact.nonce)
        var collided: Set<Int> = []
        for candidate in candidates where !slotOfID.isEmpty {
            guard let slot = slotOfID[CompactBlock.shortID(candidate.wtxid.hash, key: key)], !collided.contains(slot) else { continue }
            if let found = slots[slot], found.wtxid != candidate.wtxid {
                // Two of our transactions share the id: ask for it rather than guess.
                slots[slot] = nil
                collided.insert(slot)
            } else {
                slots[slot] = candidate
            }
        }
        let filled = slots
        missing = filled.indices.filter { filled[$0] == nil }
    }

    /// Fills the missing transactions from `blocktxn`, in order.
    mutating func fill(_ transactions: [Transaction]) throws(Failure) {
        guard transactions.count == missing.count else { throw .invalid("blocktxn with \(transactions.count) transactions for \(missing.count) missing") }
        for (index, transaction) in zip(missing, transactions) { slots[index] = transaction }
        missing = []
    }

    /// The block once complete; a block whose transactions do not hash to the header's merkle
    /// root is a short-id collision we could not see.
    func block() throws(Failure) -> Block? {
        guard missing.isEmpty else { return nil }
        let block = Block(header: header, transactions: slots.compactMap { $0 })
        guard block.computeMerkleRoot().root == header.merkleRoot else { throw .fallBack("rebuilt block does not match its merkle root") }
        return block
    }
}
