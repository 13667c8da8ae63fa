import Addresses
import ChainParams
import ChainState
import ChainTypes
import Foundation
import JSONRPC
import Mempool
import Mining

/// What the chain RPC methods share: the chain actor, the network, the node's start time and
/// a way to ask the node to stop.
public struct ChainRPCContext: Sendable {
    public let chain: ChainService
    public let params: ChainParams
    public let startTime: Date
    public let requestShutdown: @Sendable () -> Void
    /// Transactions accepted by `sendrawtransaction`, waiting to be mined.
    public let mempool: MempoolService
    /// Where `savemempool` (and, with `-persistmempool`, shutdown) writes the mempool
    /// (`<datadir>/mempool.dat`), if anywhere.
    public let mempoolFile: String?
    /// Applies tip changes to the mempool one batch at a time.
    let follower = SerialJobQueue()

    public init(chain: ChainService, params: ChainParams, startTime: Date = Date(), mempool: MempoolService = MempoolService(),
                mempoolFile: String? = nil, requestShutdown: @escaping @Sendable () -> Void) {
        self.chain = chain
        self.params = params
        self.startTime = startTime
        self.mempool = mempool
        self.mempoolFile = mempoolFile
        self.requestShutdown = requestShutdown
    }

    /// Runs `body` on the chain actor, mapping chain errors to RPC errors; tip changes it caused
    /// reach the mempool before this returns.
    func access<T: Sendable>(_ body: @escaping @Sendable (ChainState) throws(RPCError) -> T) async throws(RPCError) -> T {
        let result = await read(body)
        await followChain()
        return try result.get()
    }

    /// Runs `body` on the chain actor without bringing the mempool in line afterwards (for reads,
    /// and for the mempool's own reads while it follows the chain).
    public func read<T: Sendable>(_ body: @escaping @Sendable (ChainState) throws(RPCError) -> T) async -> Result<T, RPCError> {
        do throws(ChainStateError) {
            return try await chain.access { (state: ChainState) throws(ChainStateError) -> Result<T, RPCError> in
                do throws(RPCError) {
                    return .success(try body(state))
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            return .failure(RPCError(.databaseError, error.description))
        }
    }

    /// Brings the mempool in line with whatever the last chain call changed (blocks mined,
    /// submitted, invalidated or reconsidered), before the RPC call returns. Calls are applied
    /// one after another, in the order the chain made the changes.
    public func followChain() async {
        await follower.run { [self] in
            let events = await chain.takeEvents()
            if !events.isEmpty { await apply(events) }
        }
    }

    /// Parses a block hash argument (64 hex characters) as Core's `ParseHashV`.
    static func blockHash(_ text: String, name: String = "blockhash") throws(RPCError) -> BlockHash {
        BlockHash(try ParameterParsing.hash(text, name: name))
    }

    /// Decodes an address of this network or throws Core's -5.
    func scriptPubKey(forAddress text: String) throws(RPCError) -> [UInt8] {
        guard let address = Address(text, prefixes: params.addressPrefixes) else {
            throw RPCError(.invalidAddressOrKey, "Error: Invalid address")
        }
        return address.scriptPubKey
    }
}

extension ChainRPCContext {
    /// What accepting `transaction` reads from the chain: the tip, the coins it spends or would
    /// create, and the median times past its sequence locks refer to.
    public func snapshot(for transaction: Transaction) async throws(RPCError) -> ChainSnapshot {
        try await snapshot(for: [transaction])
    }

    /// What accepting `transactions` (a package) reads from the chain.
    func snapshot(for transactions: [Transaction]) async throws(RPCError) -> ChainSnapshot {
        let maturity = params.coinbaseMaturity
        // A read: whoever changed the chain brings the mempool in line (and the follower itself
        // takes snapshots while it does).
        return try await read { (chain: ChainState) throws(RPCError) -> ChainSnapshot in
            var coins: [OutPoint: Coin] = [:]
            for outpoint in transactions.flatMap(ChainSnapshot.outpoints(for:)) {
                do throws(ChainStateError) {
                    if let coin = try chain.coin(at: outpoint) { coins[outpoint] = coin }
                } catch {
                    throw RPCError(.databaseError, error.description)
                }
            }
            var times: [Int: Int64] = [:]
            for height in ChainSnapshot.lockHeights(for: coins.values) { times[height] = chain.activeNode(at: height)?.medianTimePast }
            return ChainSnapshot(
                tipHeight: chain.tip.height, tipMedianTimePast: chain.tip.medianTimePast, coinbaseMaturity: maturity, coins: coins,
                medianTimePasts: times)
        }.get()
    }

    /// The mempool's transactions as block-assembly candidates, parents first.
    func mempoolCandidates() async -> [CandidateTransaction] {
        await mempool.entriesInArrivalOrder().map {
            CandidateTransaction(transaction: $0.entry.transaction, fee: $0.entry.fee, sigopCost: $0.entry.sigopCost, modifiedFee: $0.modifiedFee)
        }
    }

    /// Core's RPC error for a transaction the mempool refused (`sendrawtransaction`).
    static func rpcError(_ error: MempoolError) -> RPCError {
        switch error {
        case let .chainUnavailable(message):
            return RPCError(.databaseError, message)
        case .feeAboveMaximum:
            return RPCError(.verifyError, "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)")
        case let .rejected(rejection):
            switch rejection {
            case .missingInputs: return RPCError(.verifyError, "bad-txns-inputs-missingorspent")
            case .alreadyKnown: return RPCError(.verifyAlreadyInChain, "Transaction already in block chain")
            default: return RPCError(.verifyRejected, rejection.description)
            }
        }
    }
}

extension ChainRPCContext {
    /// Writes the mempool to `mempoolFile` (a new file renamed over the old, so a crash leaves
    /// one or the other); returns the path.
    public func saveMempool() async throws(RPCError) -> String {
        guard let path = mempoolFile else { throw RPCError(.miscError, "This node keeps no mempool file") }
        let bytes = await mempool.savedBytes()
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw RPCError(.miscError, "Unable to dump mempool to disk: \(error)")
        }
        return path
    }

    /// Accepts the transactions saved in `mempoolFile` again, against the current tip and with
    /// their original entry times; those older than the expiry or no longer valid are dropped.
    /// Returns how many were accepted and how many not (or nil when there is no file).
    public func loadMempool(now: Int64) async throws(MempoolLoadError) -> (accepted: Int, dropped: Int)? {
        guard let path = mempoolFile, FileManager.default.fileExists(atPath: path) else { return nil }
        let records: [MempoolFile.Record]
        let otherDeltas: [TxID: Int64]
        do {
            (records, otherDeltas) = try MempoolFile.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        } catch {
            throw MempoolLoadError(description: "cannot read \(path): \(error)")
        }
        for (txid, delta) in otherDeltas { await mempool.prioritise(txid, by: delta) }
        for record in records where record.feeDelta != 0 { await mempool.prioritise(record.transaction.txid, by: record.feeDelta) }
        let expiry = await mempool.settings.expirySeconds
        var accepted = 0
        for record in records where record.time > now - expiry {
            guard let snapshot = try? await snapshot(for: record.transaction) else { continue }
            do throws(MempoolError) {
                try await mempool.accept(record.transaction, chain: snapshot, now: record.time)
                accepted += 1
            } catch {
                continue
            }
        }
        return (accepted, records.count - accepted)
    }
}

/// A saved mempool that could not be read.
public struct MempoolLoadError: Error, CustomStringConvertible {
    public let description: String
}

extension ChainRPCContext {
    /// Brings the mempool in line with tip changes, as Core after a reorg: connected blocks take
    /// their transactions and conflicts out; transactions of disconnected blocks that were not
    /// confirmed again are offered back, oldest block first; pool transactions spending outputs
    /// of ones that did not come back leave with their descendants.
    public func apply(_ events: [ChainEvent]) async {
        var disconnected: [Transaction] = []
        var confirmed: Set<TxID> = []
        for event in events {
            switch event {
            case let .connected(block, height):
                await mempool.blockConnected(block, height: height)
                confirmed.formUnion(block.transactions.map(\.txid))
            case let .disconnected(block, height):
                await mempool.blockDisconnected(block, height: height)
                // Blocks come off newest first; keep the transactions in chain order.
                disconnected.insert(contentsOf: block.transactions.dropFirst(), at: 0)
            }
        }
        if case let .connected(tip, height) = events.last { await mempool.tipChanged(to: tip, height: height) }
        guard !disconnected.isEmpty else { return }
        let now = Int64(Date().timeIntervalSince1970)
        var returned: Set<TxID> = []
        for transaction in disconnected where !confirmed.contains(transaction.txid) {
            guard let snapshot = try? await snapshot(for: transaction) else { continue }
            do throws(MempoolError) {
                try await mempool.accept(transaction, chain: snapshot, now: now)
                returned.insert(transaction.txid)
            } catch {
                continue
            }
        }
        await mempool.removeSpending(Set(disconnected.map(\.txid)).subtracting(returned).subtracting(confirmed))
    }
}
