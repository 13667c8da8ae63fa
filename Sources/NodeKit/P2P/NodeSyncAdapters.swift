import ChainState
import ChainTypes
import Foundation
import Mempool
import NetSync
import JSONRPC
import NodeRPC

/// The node's chain state as NetSync sees it; blocks taken from peers bring the mempool (and
/// subscribers) in line before the next message is handled.
struct NodeSyncChain: NetSyncChain {
    let context: ChainRPCContext

    func tip() async -> (height: Int, locator: [BlockHash]) {
        (try? await context.chain.access { (state: ChainState) throws(ChainStateError) in (state.tip.height, state.locator()) }) ?? (0, [])
    }

    func headers(after locator: [BlockHash], stop: BlockHash, limit: Int) async -> [BlockHeader] {
        (try? await context.chain.access { (state: ChainState) throws(ChainStateError) in state.activeHeaders(after: locator, stop: stop, limit: limit) }) ?? []
    }

    func block(_ hash: BlockHash) async -> Block? {
        (try? await context.chain.access { (state: ChainState) throws(ChainStateError) in try state.block(hash) }) ?? nil
    }

    func hasBlock(_ hash: BlockHash) async -> Bool {
        (try? await context.chain.access { (state: ChainState) throws(ChainStateError) in state.node(hash)?.status.contains(.haveData) == true }) ?? false
    }

    func accept(headers: [BlockHeader]) async -> Result<[BlockHash], SyncRejection> {
        let outcome = await context.read { (state: ChainState) throws(RPCError) -> Result<[BlockHash], SyncRejection> in
            var wanted: [BlockHash] = []
            for header in headers {
                do throws(ChainStateError) {
                    let node = try state.acceptHeader(header)
                    if !node.status.contains(.haveData) { wanted.append(node.hash) }
                } catch {
                    return .failure(Self.rejection(error))
                }
            }
            return .success(wanted)
        }
        return (try? outcome.get()) ?? .failure(SyncRejection(reason: "chain unavailable", misbehaving: false))
    }

    func accept(block: Block) async -> SyncRejection? {
        let outcome = await context.read { (state: ChainState) throws(RPCError) -> SyncRejection? in
            do throws(ChainStateError) {
                _ = try state.acceptBlock(block)
                return nil
            } catch {
                return Self.rejection(error)
            }
        }
        await context.followChain()
        return (try? outcome.get()) ?? SyncRejection(reason: "chain unavailable", misbehaving: false)
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
            try await context.mempool.accept(transaction, chain: snapshot, now: Int64(Date().timeIntervalSince1970))
            return .accepted
        } catch {
            return error == .rejected(.missingInputs) ? .missingInputs : .rejected
        }
    }
}
