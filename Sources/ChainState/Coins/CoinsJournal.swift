import ChainTypes

/// The cache entries a block's changes replaced, oldest first, so `CoinsCache.rollBack` can
/// restore them if the block fails.
struct CoinsJournal {
    private(set) var replaced: [(OutPoint, CoinsCache.Entry?)] = []

    mutating func record(_ outpoint: OutPoint, _ previous: CoinsCache.Entry?) {
        replaced.append((outpoint, previous))
    }
}
