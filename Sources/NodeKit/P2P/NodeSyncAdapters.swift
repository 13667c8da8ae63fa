import ChainCrypto
import ChainState
import ChainTypes
import Foundation
import Mempool
import NetSync
import JSONRPC
import NodeRPC

/// The node's chain state as NetSync sees it; blocks from peers go through `ingest`, which
/// validates them in batches and brings the mempool (and subscribers) in line after each.
struct NodeSyncChain: NetSyncChain {
    let context: ChainRPCContext
    let ingest: BlockIngest
    let statusCache: ChainStatusCache

    func status() async -> ChainSyncStatus {
        if let cached = statusCache.current { return cached }
        // Stored while the chain is held, so a newer snapshot is never overwritten by this one.
        let status = try? await context.chain.access { [statusCache] (state: ChainState) throws(ChainStateError) in
            let snapshot = ChainStatusCache.snapshot(of: state)
            statusCache.store(snapshot)
            return snapshot
        }
        return status ?? ChainSyncStatus(tipHeight: 0, bestHeaderHeight: 0, bestHeaderTime: 0, headersLocator: [], isInitialBlockDownload: true)
    }

    func headers(after locator: [BlockHash], stop: BlockHash, limit: Int) async -> [BlockHeader] {
        (try? await context.chain.access { (state: ChainState) throws(ChainStateError) in state.activeHeaders(after: locator, stop: stop, limit: limit) }) ?? []
    }

    func block(_ hash: BlockHash) async -> Block? {
        (try? await context.chain.access { (state: ChainState) throws(ChainStateError) in try state.block(hash) }) ?? nil
    }

    func serializedBlock(_ hash: BlockHash) async -> [UInt8]? {
        (try? await context.chain.access { (state: ChainState) throws(ChainStateError) in try state.serializedBlock(hash) }) ?? nil
    }

    func hasBlock(_ hash: BlockHash) async -> Bool {
        (try? await context.chain.access { (state: ChainState) throws(ChainStateError) in state.node(hash)?.status.contains(.haveData) == true }) ?? false
    }

    func accept(headers: [BlockHeader]) async -> HeadersOutcome {
        let outcome = await context.read { [statusCache] (state: ChainState) throws(RPCError) -> HeadersOutcome in
            defer { statusCache.store(ChainStatusCache.snapshot(of: state)) }
            var last: BlockIndexNode?
            for header in headers {
                do throws(ChainStateError) {
                    last = try state.acceptHeader(header)
                } catch {
                    if case .orphan = error, last == nil { return .unconnected }
                    return .invalid(Self.rejection(error))
                }
            }
            guard let last else { return .invalid(SyncRejection(reason: "no headers", misbehaving: false)) }
            return .accepted(last: last.hash, height: last.height)
        }
        return (try? outcome.get()) ?? .invalid(SyncRejection(reason: "chain unavailable", misbehaving: false))
    }

    func blocksToDownload(toward best: BlockHash, window: Int) async -> DownloadWindow {
        let found = try? await context.chain.access { (state: ChainState) throws(ChainStateError) in
            let (end, nodes) = state.blocksToDownload(toward: best, window: window)
            return DownloadWindow(end: end, blocks: nodes.map { DownloadWindow.Entry(hash: $0.hash, height: $0.height) })
        }
        return found ?? DownloadWindow(end: 0, blocks: [])
    }

    func filters(from startHeight: Int, to stop: BlockHash, limit: Int) async -> FilterBatch? {
        let found = try? await context.chain.access { (state: ChainState) throws(ChainStateError) in
            try state.filterRange(from: startHeight, to: stop, limit: limit)
        }
        guard let range = found ?? nil else { return nil }
        return FilterBatch(
            previousHeader: range.previousHeader,
            entries: range.blocks.map { FilterBatch.Entry(blockHash: $0.0, filter: $0.1.filter, header: $0.1.header) })
    }

    func filterCheckpoints(to stop: BlockHash) async -> [Hash256]? {
        (try? await context.chain.access { (state: ChainState) throws(ChainStateError) in try state.filterCheckpoints(to: stop) }) ?? nil
    }

    func submit(_ block: Block, from peer: PeerID) async -> BlockSubmission {
        await ingest.submit(block, from: peer)
        return .queued
    }

    /// Consensus failures are the peer's fault; unknown parents, duplicates and storage are not.
    static func rejection(_ error: ChainStateError) -> SyncRejection {
        switch error {
        case let .invalid(rule): SyncRejection(reason: rule.description, misbehaving: true)
        case .duplicate: SyncRejection(reason: "duplicate", misbehaving: false)
        default: SyncRejection(reason: error.description, misbehaving: false)
        }
    }
}

/// The node's mempool as NetSync sees it.
struct NodeSyncMempool: NetSyncMempool {
    let context: ChainRPCContext

    func transaction(_ txid: TxID) async -> Transaction? { await context.mempool.entry(txid)?.transaction }

    func transaction(witness wtxid: WTxID) async -> Transaction? { await context.mempool.entry(witnessID: wtxid)?.transaction }

    func accept(_ transaction: Transaction) async -> TransactionAcceptance {
        guard let snapshot = try? await context.snapshot(for: transaction) else { return .rejected }
        do throws(MempoolError) {
            try await context.mempool.accept(transaction, chain: snapshot, now: UnixTime.now)
            return .accepted
        } catch {
            return error == .rejected(.missingInputs) ? .missingInputs : .rejected
        }
    }

    func feeRate(witness wtxid: WTxID) async -> Int64? {
        await context.mempool.entry(witnessID: wtxid)?.feeRate.satoshisPerKilovirtualByte
    }

    func transactionsForCompactBlocks() async -> [Transaction] { await context.mempool.transactions() }

    func identifiers() async -> [(TxID, WTxID)] { await context.mempool.identifiers() }

    func minimumFeeRate() async -> Int64 { await context.mempool.statistics().minimumFeeRate }
}
