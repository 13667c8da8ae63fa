import ChainState
import ChainTypes
import JSONRPC
import NetSync
import NodeRPC

/// Blocks from peers, validated in batches while more arrive: `ChainState.acceptBlocks`
/// overlaps one block's UTXO checks with the previous block's scripts, as a local catch-up
/// does, and NetSync keeps downloading meanwhile. At most `maxQueued` blocks wait; a submitter
/// past that waits for room (so a fast peer is slowed by TCP, not buffered). Verdicts go to
/// `report`, batch by batch, in order.
actor BlockIngest {
    static let batchSize = 16
    static let maxQueued = 64

    typealias Verdict = (hash: BlockHash, peer: PeerID, rejection: SyncRejection?)

    private var queue: [(block: Block, peer: PeerID)] = []
    private var draining = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private let context: ChainRPCContext
    private let statusCache: ChainStatusCache
    private let report: @Sendable ([Verdict]) -> Void

    init(context: ChainRPCContext, statusCache: ChainStatusCache, report: @escaping @Sendable ([Verdict]) -> Void) {
        self.context = context
        self.statusCache = statusCache
        self.report = report
    }

    func submit(_ block: Block, from peer: PeerID) async {
        while queue.count >= Self.maxQueued { await withCheckedContinuation { waiting.append($0) } }
        queue.append((block, peer))
        guard !draining else { return }
        draining = true
        Task { await self.drain() }
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(Self.batchSize))
            queue.removeFirst(batch.count)
            let room = waiting
            waiting = []
            room.forEach { $0.resume() }
            let blocks = batch.map(\.block)
            let outcome = await context.read { [statusCache] (state: ChainState) throws(RPCError) -> [Int: SyncRejection] in
                defer { statusCache.store(ChainStatusCache.snapshot(of: state)) }
                do throws(ChainStateError) {
                    return try state.acceptBlocks(blocks).mapValues(NodeSyncChain.rejection)
                } catch {
                    throw RPCError(.databaseError, error.description)
                }
            }
            await context.followChain()
            let refused: [Int: SyncRejection]
            switch outcome {
            case let .success(found): refused = found
            case let .failure(error):
                refused = Dictionary(uniqueKeysWithValues: batch.indices.map { ($0, SyncRejection(reason: error.message, misbehaving: false)) })
            }
            report(batch.enumerated().map { index, entry in (entry.block.hash, entry.peer, refused[index]) })
        }
        draining = false
    }
}
