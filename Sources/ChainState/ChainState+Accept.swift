import ChainParams
import ChainTypes
import Consensus
import Storage

extension ChainState {
    /// What became of a submitted block.
    public enum AcceptOutcome: Equatable, Sendable {
        /// Stored; `becameTip` tells whether the active chain now ends at it.
        case accepted(becameTip: Bool)
    }

    /// Checks a header against its parent: proof of work, difficulty, time, version.
    func checkHeader(_ header: BlockHeader, parent: BlockIndexNode) throws(BlockRuleError) {
        guard params.checkProofOfWork(header) else { throw .highHash }
        let expectedBits: UInt32
        do {
            expectedBits = try DifficultyAdjustment.nextWorkRequired(parent: parent.header, parentHeight: parent.height, params: params)
        } catch {
            throw .badDifficultyBits
        }
        if header.bits != expectedBits { throw .badDifficultyBits }
        try ContextualBlockCheck.checkHeader(header, context: blockContext(parent: parent), now: options.now())
    }

    /// Adds a header to the tree after checking it, or returns the known node.
    @discardableResult
    public func acceptHeader(_ header: BlockHeader) throws(ChainStateError) -> BlockIndexNode {
        let hash = header.hash
        if let known = nodes[hash] {
            if known.status.isFailed { throw .invalid(.duplicateInvalid) }
            return known
        }
        guard let parent = nodes[header.previousBlockHash] else { throw .orphan(parent: header.previousBlockHash) }
        if parent.status.isFailed { throw .invalid(.badPrevBlock) }
        do {
            try checkHeader(header, parent: parent)
        } catch {
            throw .invalid(error)
        }
        let node = BlockIndexNode(hash: hash, header: header, parent: parent, sequence: nextSequence)
        nextSequence += 1
        var batch = WriteBatch()
        persist(node, into: &batch)
        try write(batch)
        insert(node)
        return node
    }

    /// Validates and stores a block, then moves the active chain to the most-work chain.
    /// Throws `.invalid` with Core's reject reason for a block that breaks a rule.
    @discardableResult
    public func acceptBlock(_ block: Block) throws(ChainStateError) -> AcceptOutcome {
        let node = try store(block)
        defer { forgetRecent() }
        try activateBestChain()
        try checkOutcome(of: node)
        return .accepted(becameTip: tip === node)
    }

    /// Accepts `blocks` in order, as during catch-up: each block that extends the most-work chain
    /// starts connecting as soon as it is stored, so checking and storing the next block, the UTXO
    /// checks of this one and the scripts of the one before all overlap. Other blocks (forks,
    /// gaps) are connected once at the end. Returns the error of each block that was refused, by
    /// index; throws only when the node must stop (storage).
    public func acceptBlocks(_ blocks: [Block]) throws(ChainStateError) -> [Int: ChainStateError] {
        var refused: [Int: ChainStateError] = [:]
        var stored: [(Int, BlockIndexNode)] = []
        var inFlight: PendingConnection?
        defer {
            abandon(&inFlight)
            forgetRecent()
        }
        for (index, block) in blocks.enumerated() {
            let node: BlockIndexNode
            do {
                node = try store(block)
            } catch {
                if case .storage = error { throw error }
                refused[index] = error
                continue
            }
            stored.append((index, node))
            if !tip.status.isFailed, node.parent === (inFlight?.node ?? tip), bestCandidate() === node {
                _ = try advance(&inFlight, to: node)
            }
        }
        _ = try settle(&inFlight)
        try flushIfNeeded()
        try activateBestChain()
        for (index, node) in stored {
            do {
                try checkOutcome(of: node)
            } catch {
                refused[index] = error
            }
        }
        return refused
    }

    /// Drops the per-acceptance caches once the chain has moved.
    private func forgetRecent() {
        recentBlocks.removeAll(keepingCapacity: true)
        contextChecked.removeAll(keepingCapacity: true)
    }

    /// Reports a block that failed while connecting (itself, or an ancestor).
    private func checkOutcome(of node: BlockIndexNode) throws(ChainStateError) {
        if node.status.contains(.failed), let reason = lastFailure[node.hash] { throw .invalid(reason) }
        // An ancestor failed while connecting: the block is stored but can never be active.
        if node.status.isFailed { throw .invalid(.badPrevBlock) }
    }

    /// Checks a block as Core's `ProcessNewBlock`/`AcceptBlock` and stores it, without moving
    /// the chain; the block stays decoded in `recentBlocks` for the activation that follows.
    private func store(_ block: Block) throws(ChainStateError) -> BlockIndexNode {
        let hash = block.hash
        if let known = nodes[hash], known.status.contains(.haveData) {
            if known.status.isFailed { throw .invalid(.duplicateInvalid) }
            throw .duplicate
        }
        // Proof of work and the context-free rules come first, and a block failing them leaves
        // no trace (not even its header).
        let parent = nodes[block.header.previousBlockHash]
        // Without the parent the weight limit is unknown: check against the largest possible.
        let limit = parent.map { self.weightLimit(childOf: $0) } ?? params.blockWeight.maximumLimit
        do {
            guard params.checkProofOfWork(block.header) else { throw BlockRuleError.highHash }
            try BlockCheck.check(block, maxBlockWeight: limit)
        } catch let error as BlockRuleError {
            throw .invalid(error)
        } catch {
            throw .inconsistent("unexpected error \(error)")
        }
        guard let parent else { throw .orphan(parent: block.header.previousBlockHash) }
        let context = blockContext(parent: parent)
        let node = try acceptHeader(block.header)
        do {
            try ContextualBlockCheck.check(block, context: context)
        } catch {
            // A mutated copy says nothing about the header: forget this copy only.
            if !error.isMutation { try markFailed(node, reason: error) }
            throw .invalid(error)
        }
        if exactWeightLimit(childOf: parent) != nil { contextChecked.insert(hash) }
        node.status.insert(.haveData)
        node.transactionCount = block.transactions.count
        node.weight = block.weight
        // Serialized straight into the batch, which is sized for it up front.
        var batch = WriteBatch(reservingBytes: block.totalSize + 512)
        batch.put(in: .blocks, key: { hash.hash.encode(to: &$0) }, value: { block.encode(to: &$0) })
        persist(node, into: &batch)
        try write(batch)
        noteStored(node)
        recentBlocks[hash] = block
        return node
    }

    /// Marks a block and its descendants invalid (`invalidateblock`) and reorganizes away.
    public func invalidateBlock(_ hash: BlockHash) throws(ChainStateError) {
        guard let node = nodes[hash] else { throw .unknownBlock(hash) }
        guard node.parent != nil else { throw .invalid(.init("genesis", "cannot invalidate genesis")) }
        while isActive(node) { try disconnectTip() }
        try markFailed(node, reason: nil)
        try activateBestChain()
    }

    /// Clears the invalid marks of a block, its ancestors and descendants (`reconsiderblock`).
    public func reconsiderBlock(_ hash: BlockHash) throws(ChainStateError) {
        guard let node = nodes[hash] else { throw .unknownBlock(hash) }
        var batch = WriteBatch()
        func clear(_ marked: BlockIndexNode) {
            guard marked.status.isFailed else { return }
            marked.status.remove([.failed, .failedParent])
            persist(marked, into: &batch)
        }
        var ancestor: BlockIndexNode? = node
        while let current = ancestor {
            clear(current)
            ancestor = current.parent
        }
        descendants(of: node).forEach(clear)
        try write(batch)
        lastFailure[hash] = nil
        rebuildCandidates()
        try activateBestChain()
    }
}
