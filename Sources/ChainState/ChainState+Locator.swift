import ChainTypes

extension ChainState {
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

extension ChainState {
    /// A locator of the best header's parent (Core asks peers for headers from there, so that
    /// the answer names the best header again when the peer has it, telling us what it has).
    public func headersLocator() -> [BlockHash] { locator(from: bestHeader.parent ?? bestHeader) }

    /// A block locator from `start` back along its branch (Core's `GetLocator`): one block at a
    /// time for ten steps, then doubling the step, ending with genesis.
    public func locator(from start: BlockIndexNode) -> [BlockHash] {
        var hashes: [BlockHash] = []
        var node: BlockIndexNode? = start
        var step = 1
        while let current = node {
            hashes.append(current.hash)
            if hashes.count >= 10 { step *= 2 }
            if current.height == 0 { break }
            node = current.ancestor(at: max(0, current.height - step))
        }
        return hashes
    }

    /// The blocks to fetch toward `target` (a header a peer has), as Core's
    /// `FindNextBlocksToDownload` sees them: after the last block `target` shares with the active
    /// chain, the heights up to `window` past it and one more (so a caller can tell a full window
    /// from the end of the branch), whose data is missing, in height order. `windowEnd` is the
    /// last height inside the window. Nothing for an unknown or invalid header.
    public func blocksToDownload(toward target: BlockHash, window: Int) -> (windowEnd: Int, blocks: [BlockIndexNode]) {
        guard let target = nodes[target], !target.status.isFailed else { return (0, []) }
        var fork = target.ancestor(at: min(target.height, tip.height))
        while let node = fork, !isActive(node) { fork = node.parent }
        let forkHeight = fork?.height ?? 0
        let windowEnd = forkHeight + window
        var blocks: [BlockIndexNode] = []
        var node = target.ancestor(at: min(target.height, windowEnd + 1))
        while let current = node, current.height > forkHeight {
            if !current.status.contains(.haveData) { blocks.append(current) }
            node = current.parent
        }
        return (windowEnd, blocks.reversed())
    }
}
