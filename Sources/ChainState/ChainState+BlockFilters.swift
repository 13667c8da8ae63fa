import BlockFilters
import ByteCodec
import ChainCrypto
import ChainTypes
import Storage

/// A block's BIP158 basic filter and its filter header, as `-blockfilterindex` stores them.
public struct BlockFilterRecord: Equatable, Sendable, BinaryCodable {
    public var header: Hash256
    public var filter: [UInt8]

    public init(header: Hash256, filter: [UInt8]) {
        self.header = header
        self.filter = filter
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        header = try Hash256(from: &reader)
        filter = try reader.readBytes(reader.remaining)
    }

    public func encode(to writer: inout ByteWriter) {
        header.encode(to: &writer)
        writer.write(filter)
    }
}

extension ChainState {
    /// The filter record of `block` (connected on `parent`, spending what `undo` lists): its
    /// filter over the scripts it creates and spends, chained to the parent's filter header.
    func filterRecord(of block: Block, undo: BlockUndo, parent: BlockIndexNode?) throws(ChainStateError) -> BlockFilterRecord {
        var previous = Hash256.zero
        if let parent {
            guard let record = try blockFilter(parent.hash) else { throw .inconsistent("no filter for \(parent.hash), the parent of \(block.hash)") }
            previous = record.header
        }
        return Self.filterRecord(of: block, undo: undo, previousHeader: previous)
    }

    /// The filter of `block` over the scripts it creates and those `undo` says it spent,
    /// chained to `previousHeader`.
    static func filterRecord(of block: Block, undo: BlockUndo, previousHeader: Hash256) -> BlockFilterRecord {
        let filter = BasicBlockFilter(block: block, spentScripts: undo.spentCoins.joined().map(\.output.scriptPubKey))
        return BlockFilterRecord(header: filter.header(previous: previousHeader), filter: filter.encoded)
    }

    /// The stored filter record of a block (nil when none: index off, or block never connected).
    public func blockFilter(_ hash: BlockHash) throws(ChainStateError) -> BlockFilterRecord? {
        do {
            guard let bytes = try store.value(forKey: hash.hash.bytes, in: .blockFilter) else { return nil }
            return try BlockFilterRecord(serialized: bytes)
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            throw .storage(.corruption("block filter of \(hash) does not decode: \(error)"))
        }
    }

    /// Builds the filters the active chain lacks (the index was just turned on, or genesis),
    /// from the stored blocks and undo data, in one batch per 1,000 blocks.
    func buildMissingFilters() throws(ChainStateError) {
        guard options.blockFilterIndex else { return }
        // Filters are built in chain order: walk back from the tip to the last block with one.
        var start = activeChain.count
        while start > 0, try blockFilter(activeChain[start - 1].hash) == nil { start -= 1 }
        guard start < activeChain.count else { return }
        var batch = WriteBatch()
        var previous: BlockFilterRecord? = start == 0 ? nil : try blockFilter(activeChain[start - 1].hash)
        for height in start..<activeChain.count {
            let node = activeChain[height]
            guard let block = try self.block(node.hash) else { throw .inconsistent("block data for \(node.hash) missing") }
            let record = Self.filterRecord(of: block, undo: try undo(node.hash), previousHeader: previous?.header ?? .zero)
            batch.put(record.serialized, forKey: node.hash.hash.bytes, in: .blockFilter)
            previous = record
            if batch.count >= 1_000 {
                try write(batch)
                batch = WriteBatch()
            }
        }
        try write(batch)
    }
}

extension ChainState {
    /// BIP157 `getcfilters`/`getcfheaders`: the filter records of the blocks from `startHeight` to
    /// `stop` on `stop`'s branch, with the filter header before the first. Nil for a request not
    /// to answer: `stop` unknown or never connected, `startHeight` past it, more than `limit`
    /// blocks, or filters missing.
    public func filterRange(
        from startHeight: Int, to stop: BlockHash, limit: Int
    ) throws(ChainStateError) -> (previousHeader: Hash256, blocks: [(BlockHash, BlockFilterRecord)])? {
        guard let stopNode = nodes[stop], stopNode.status.contains(.validScripts), startHeight >= 0, startHeight <= stopNode.height,
              stopNode.height - startHeight < limit else { return nil }
        var blocks: [(BlockHash, BlockFilterRecord)] = []
        var node: BlockIndexNode? = stopNode
        while let current = node, current.height >= startHeight {
            guard let record = try blockFilter(current.hash) else { return nil }
            blocks.append((current.hash, record))
            node = current.parent
        }
        var previous = Hash256.zero
        if let parent = node {
            guard let record = try blockFilter(parent.hash) else { return nil }
            previous = record.header
        }
        return (previous, blocks.reversed())
    }

    /// BIP157 `getcfcheckpt`: the filter headers at every 1,000th height up to `stop` on its
    /// branch; nil when `stop` is unknown or filters are missing.
    public func filterCheckpoints(to stop: BlockHash) throws(ChainStateError) -> [Hash256]? {
        guard let stopNode = nodes[stop], stopNode.status.contains(.validScripts) else { return nil }
        var headers: [Hash256] = []
        var height = 1_000
        while height <= stopNode.height {
            guard let node = stopNode.ancestor(at: height), let record = try blockFilter(node.hash) else { return nil }
            headers.append(record.header)
            height += 1_000
        }
        return headers
    }
}
