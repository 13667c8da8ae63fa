import ByteCodec
import ChainCrypto
import ChainParams
import ChainTypes
import Consensus
import Script
import Storage

/// The block tree, the active chain and the UTXO set: the one writer of chain state.
///
/// Not thread-safe: one owner (the node's chain actor) calls it. Script checks inside
/// `connect` fan out over `options.scriptThreads` threads and are joined before anything is
/// committed.
///
/// Durability: a block's data is stored when accepted; when connected, its undo data and index
/// status are written in one batch. UTXO changes stay in `CoinsCache` and are flushed in one
/// atomic batch with the coins' best-block marker. After a crash, start-up finds the coins at
/// some earlier block of the index and reconnects (or disconnects) from there, so the final UTXO
/// set equals an uninterrupted run's.
public final class ChainState {
    public let params: ChainParams
    public let options: ChainStateOptions
    let store: any KeyValueStore
    let coins: CoinsCache
    /// The helpers verifying scripts next to the connecting thread.
    let scriptWorkers: ScriptWorkerPool
    /// Every known header.
    public private(set) var nodes: [BlockHash: BlockIndexNode] = [:]
    /// The active chain, indexed by height.
    public internal(set) var activeChain: [BlockIndexNode] = []
    /// Leaves of the tree whose whole chain has data and is not known invalid.
    var candidateTips: Set<BlockHash> = []
    /// Nodes whose block and all ancestors' blocks are stored.
    var fullyStored: Set<BlockHash> = []
    /// Children of each node.
    var children: [BlockHash: [BlockIndexNode]] = [:]
    /// The most-work known header not marked invalid (Core's `m_best_header`; the first seen
    /// among equals). Nil only while the index loads.
    var bestHeaderNode: BlockIndexNode?
    /// Tip changes since `takeEvents` was last called, when `recordsEvents` is on.
    var events: [ChainEvent] = []
    /// Whether tip changes are recorded for `takeEvents` (off unless someone drains them:
    /// `ChainService` turns it on).
    public var recordsEvents = false
    /// Blocks accepted but not yet connected, kept decoded so connecting does not read them back.
    var recentBlocks: [BlockHash: Block] = [:]
    /// Catch-up progress logging.
    var progress: ProgressReporter
    /// Recently accepted blocks whose contextual checks already ran with the exact weight limit
    /// (their parent was connected or in flight), so connecting them need not repeat them.
    var contextChecked: Set<BlockHash> = []
    /// Why blocks failed while connecting, for reporting to the submitter.
    var lastFailure: [BlockHash: BlockRuleError] = [:]
    var nextSequence = 0

    /// Opens the chain state in `store`, creating it from the network's genesis when empty, and
    /// brings the UTXO set to the best stored chain (crash recovery).
    public init(params: ChainParams, store: any KeyValueStore, options: ChainStateOptions = ChainStateOptions()) throws(ChainStateError) {
        self.params = params
        self.options = options
        self.store = store
        scriptWorkers = ScriptWorkerPool(threads: options.scriptThreads)
        progress = ProgressReporter(targetSpacing: params.targetSpacing)
        _ = Self.connectTimer  // register the histogram at start, before the first block
        do {
            coins = try CoinsCache(store: store)
        } catch {
            throw .storage(error)
        }
        try loadIndex()
        if nodes.isEmpty { try storeGenesis() }
        try restoreActiveChain()
        try buildMissingFilters()
        try activateBestChain()
    }

    /// The tip of the active chain.
    public var tip: BlockIndexNode {
        guard let last = activeChain.last else { preconditionFailure("the active chain always holds genesis") }
        return last
    }

    public var genesis: BlockIndexNode { activeChain[0] }

    /// The most-work known header not marked invalid (Core's `m_best_header`).
    public var bestHeader: BlockIndexNode { bestHeaderNode ?? tip }

    /// Height of the best header.
    public var bestHeaderHeight: Int { bestHeader.height }

    /// Makes `node` the best header when it has more work.
    func considerBestHeader(_ node: BlockIndexNode) {
        if let best = bestHeaderNode, best.chainWork >= node.chainWork { return }
        bestHeaderNode = node
    }

    /// The node for `hash`, if known.
    public func node(_ hash: BlockHash) -> BlockIndexNode? { nodes[hash] }

    /// Whether `node` is on the active chain.
    public func isActive(_ node: BlockIndexNode) -> Bool {
        node.height < activeChain.count && activeChain[node.height] === node
    }

    // MARK: Loading

    private func loadIndex() throws(ChainStateError) {
        var records: [BlockIndexRecord] = []
        var failure: String?
        let visit: ([UInt8], [UInt8]) -> Bool = { _, value in
            guard let record = try? BlockIndexRecord(serialized: value) else {
                failure = "undecodable block index record"
                return false
            }
            records.append(record)
            return true
        }
        do {
            try store.forEach(in: .blockIndex, from: [], visit)
        } catch {
            throw .storage(error)
        }
        if let failure { throw .storage(.corruption(failure)) }
        records.sort { ($0.height, $0.sequence) < ($1.height, $1.sequence) }
        for record in records {
            let hash = record.header.hash
            let parent = record.height == 0 ? nil : nodes[record.header.previousBlockHash]
            if record.height > 0 && parent == nil { throw .inconsistent("block \(hash) has no parent in the index") }
            let node = BlockIndexNode(hash: hash, header: record.header, parent: parent, sequence: record.sequence)
            guard node.height == record.height else { throw .inconsistent("block \(hash) height mismatch") }
            node.status = record.status
            node.transactionCount = record.transactionCount
            node.weight = record.weight
            node.weightLimit = record.weightLimit
            insert(node)
            nextSequence = max(nextSequence, record.sequence + 1)
            noteStored(node)
        }
    }

    private func storeGenesis() throws(ChainStateError) {
        let genesis = params.genesisBlock
        let node = BlockIndexNode(hash: genesis.hash, header: genesis.header, parent: nil, sequence: nextSequence)
        nextSequence += 1
        node.status = [.haveData, .haveUndo, .validScripts]
        node.transactionCount = genesis.transactions.count
        node.weight = genesis.weight
        node.weightLimit = params.blockWeight.initialLimit
        var batch = WriteBatch()
        batch.put(genesis.serialized, forKey: node.hash.hash.bytes, in: .blocks)
        batch.put(BlockUndo().serialized, forKey: node.hash.hash.bytes, in: .undo)
        batch.put(BlockIndexRecord(node: node).serialized, forKey: node.hash.hash.bytes, in: .blockIndex)
        try write(batch, durable: true)
        insert(node)
        noteStored(node)
    }

    /// Sets the active chain to the chain ending at the coins' best block.
    private func restoreActiveChain() throws(ChainStateError) {
        let genesisHash = params.genesisBlock.hash
        guard let genesis = nodes[genesisHash] else { throw .inconsistent("genesis block missing from the index") }
        var tip = genesis
        if coins.bestBlock.hash != .zero {
            guard let node = nodes[coins.bestBlock] else {
                throw .inconsistent("UTXO set is at \(coins.bestBlock), which the block index does not have")
            }
            tip = node
        } else {
            coins.bestBlock = genesisHash
        }
        var chain: [BlockIndexNode] = []
        var node: BlockIndexNode? = tip
        while let current = node {
            chain.append(current)
            node = current.parent
        }
        guard chain.last === genesis else { throw .inconsistent("UTXO tip does not descend from this network's genesis") }
        activeChain = chain.reversed()
    }

    // MARK: Storage helpers

    func write(_ batch: WriteBatch, durable: Bool = false) throws(ChainStateError) {
        do {
            try store.write(batch, durable: durable)
        } catch {
            throw .storage(error)
        }
    }

    /// The stored bytes of the block `hash`, if any, unchecked (for serving peers, who check).
    public func serializedBlock(_ hash: BlockHash) throws(ChainStateError) -> [UInt8]? {
        do {
            return try store.value(forKey: hash.hash.bytes, in: .blocks)
        } catch {
            throw .storage(error)
        }
    }

    /// The stored block for `hash`, if any.
    public func block(_ hash: BlockHash) throws(ChainStateError) -> Block? {
        guard let bytes = try serializedBlock(hash) else { return nil }
        let block: Block
        do {
            block = try Block(serialized: bytes)
        } catch {
            throw .storage(.corruption("stored block \(hash) does not decode: \(error)"))
        }
        guard block.hash == hash else { throw .storage(.corruption("stored block \(hash) has another header")) }
        return block
    }

    func undo(_ hash: BlockHash) throws(ChainStateError) -> BlockUndo {
        do {
            guard let bytes = try store.value(forKey: hash.hash.bytes, in: .undo) else {
                throw ChainStateError.inconsistent("undo data for \(hash) missing")
            }
            return try BlockUndo(serialized: bytes)
        } catch let error as ChainStateError {
            throw error
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            throw .storage(.corruption("undo data for \(hash) does not decode: \(error)"))
        }
    }

    func persist(_ node: BlockIndexNode, into batch: inout WriteBatch) {
        batch.put(BlockIndexRecord(node: node).serialized, forKey: node.hash.hash.bytes, in: .blockIndex)
    }

    /// Records that `node`'s data is stored, and propagates "whole chain stored" to
    /// descendants that were waiting for it.
    func noteStored(_ node: BlockIndexNode) {
        guard node.status.contains(.haveData), !node.status.isFailed else { return }
        guard node.parent.map({ fullyStored.contains($0.hash) }) ?? true else { return }
        var pending = [node]
        while let current = pending.popLast() {
            fullyStored.insert(current.hash)
            if let parent = current.parent { candidateTips.remove(parent.hash) }
            let children = childrenWithData(of: current)
            if children.isEmpty { candidateTips.insert(current.hash) }
            pending += children
        }
    }

    private func childrenWithData(of node: BlockIndexNode) -> [BlockIndexNode] {
        (children[node.hash] ?? []).filter { $0.status.contains(.haveData) && !$0.status.isFailed && !fullyStored.contains($0.hash) }
    }

    /// Adds a node to the tree.
    func insert(_ node: BlockIndexNode) {
        nodes[node.hash] = node
        if !node.status.isFailed { considerBestHeader(node) }
        if let parent = node.parent { children[parent.hash, default: []].append(node) }
    }
}
