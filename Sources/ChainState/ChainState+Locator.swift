import ChainTypes

extension ChainState {
    /// A block locator of the active chain (Core's `GetLocator`): the tip, then going back one
    /// block at a time for ten steps and doubling the step after, ending with genesis.
    public func locator() -> [BlockHash] {
        var hashes: [BlockHash] = []
        var height = tip.height
        var step = 1
        while height > 0 {
            if let node = activeNode(at: height) { hashes.append(node.hash) }
            if hashes.count >= 10 { step *= 2 }
            height -= step
        }
        hashes.append(genesis.hash)
        return hashes
    }

    /// The active chain's headers after the first `locator` hash it contains (genesis when none
    /// is), up to `stop` or `limit` headers (Core's `getheaders` answer).
    public func activeHeaders(after locator: [BlockHash], stop: BlockHash, limit: Int) -> [BlockHeader] {
        let fork = locator.lazy.compactMap { self.node($0) }.first { self.isActive($0) } ?? genesis
        var headers: [BlockHeader] = []
        var height = fork.height + 1
        while headers.count < limit, let node = activeNode(at: height) {
            headers.append(node.header)
            if node.hash == stop { break }
            height += 1
        }
        return headers
    }
}
