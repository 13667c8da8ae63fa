import ByteCodec
import ChainState
import ChainTypes
import Consensus
import Foundation
import JSONRPC
import Mining

/// The `mining` and `generating` categories.
public enum MiningMethods {
    /// Assembles, solves and (with `submit`) accepts one block on the tip.
    static func assemble(
        on chain: ChainState, candidates: some TransactionSource, payoutScript: [UInt8], time: Int64, maxTries: Int, submit: Bool
    ) throws(ChainStateError) -> Block? {
        let view = try chain.nextBlockView()
        var template = BlockAssembler.makeTemplate(
            chain: view, payoutScript: payoutScript, transactions: candidates, time: time,
            extraNonce: UInt32(truncatingIfNeeded: view.height))
        let params = chain.params
        guard BlockAssembler.solve(&template.block, maxTries: maxTries, isValid: { params.checkProofOfWork($0) }) else { return nil }
        if submit { try chain.acceptBlock(template.block) }
        return template.block
    }

    /// The given transactions as candidates with their fees from the UTXO set (generateblock).
    static func candidates(for transactions: [Transaction], on chain: ChainState) throws(RPCError) -> [CandidateTransaction] {
        var result: [CandidateTransaction] = []
        for transaction in transactions {
            guard let fee = (try? chain.fee(of: transaction)) ?? nil else {
                throw RPCError(.verifyError, "TestBlockValidity failed: bad-txns-inputs-missingorspent")
            }
            result.append(CandidateTransaction(transaction: transaction, fee: fee, sigopCost: 0))
        }
        return result
    }

    /// A hex-encoded block from a client, or Core's "Block decode failed".
    static func decodeBlock(_ hex: String) throws(RPCError) -> Block {
        guard let bytes = [UInt8](hex: hex), let block = try? Block(serialized: bytes) else {
            throw RPCError(.deserializationError, "Block decode failed")
        }
        return block
    }

    static func rpcError(_ error: ChainStateError) -> RPCError {
        if case let .invalid(rule) = error { return RPCError(.verifyError, "TestBlockValidity failed: \(rule.reason)") }
        return RPCError(.databaseError, "\(error)")
    }

    /// Mines one block paying `payoutScript` on the tip, with the pending transactions or the
    /// given ones. Returns nil if `maxTries` hashes were not enough.
    static func mineBlock(
        _ context: ChainRPCContext, payoutScript: [UInt8], transactions: [Transaction]? = nil, maxTries: Int, submit: Bool = true
    ) async throws(RPCError) -> Block? {
        let pending = transactions == nil ? await context.mempoolCandidates() : []
        let now = Int64(Date().timeIntervalSince1970)
        let block = try await context.access { (chain: ChainState) throws(RPCError) -> Block? in
            func attempt(_ candidates: some TransactionSource) throws(ChainStateError) -> Block? {
                try assemble(on: chain, candidates: candidates, payoutScript: payoutScript, time: now, maxTries: maxTries, submit: submit)
            }
            // Named transactions go in as given; the mempool's are chosen by fee rate.
            let named = try transactions.map { (given) throws(RPCError) in try candidates(for: given, on: chain) }
            do throws(ChainStateError) {
                if let named { return try attempt(FixedTransactions(named)) }
                return try attempt(MempoolTransactions(pending))
            } catch {
                // A queued transaction went stale (e.g. after a reorg): mine without the queue.
                guard case .invalid = error, transactions == nil, !pending.isEmpty else { throw rpcError(error) }
            }
            do throws(ChainStateError) {
                return try attempt(FixedTransactions())
            } catch {
                throw rpcError(error)
            }
        }
        return block
    }

    public static func all(_ context: ChainRPCContext) -> [RPCMethod] {
        [
            RPCMethod("generatetoaddress", category: "generating", description: "Mine blocks immediately to a specified address (before the RPC call returns).",
                      arguments: [.required("nblocks", .number, "How many blocks are generated."),
                                  .required("address", .string, "The address to send the newly generated coins to."),
                                  .optional("maxtries", .number, default: "1000000", "How many iterations to try.")],
                      result: "[\"hex\", ...] hashes of blocks generated") { args throws(RPCError) in
                let count = try args.int(0)
                let script = try context.scriptPubKey(forAddress: try args.string(1))
                var tries = try args.optionalInt(2, in: 0...Int(Int32.max)) ?? 1_000_000
                var hashes: [JSONValue] = []
                for _ in 0..<max(0, count) {
                    guard tries > 0, let block = try await mineBlock(context, payoutScript: script, maxTries: tries) else { break }
                    tries -= 1
                    hashes.append(.string(block.hash.description))
                }
                return .array(hashes)
            },
            RPCMethod("generateblock", category: "generating", description: "Mine a set of ordered transactions to a specified address and return the block hash.",
                      arguments: [.required("output", .string, "The address to send the newly generated coins to."),
                                  .required("transactions", .array, "An array of hex strings of raw transactions (txids of pending transactions are accepted too)."),
                                  .optional("submit", .bool, default: "true", "Whether to submit the block before the RPC call returns or to return it as hex.")]) { args throws(RPCError) in
                let script = try context.scriptPubKey(forAddress: try args.string(0))
                var transactions: [Transaction] = []
                let pending = await context.mempoolCandidates()
                for item in try args.array(1) {
                    guard let text = item.stringValue else { throw RPCError(.typeError, "Expected type string") }
                    if text.utf8.count == 64, let txid = TxID(displayHex: text) {
                        guard let candidate = pending.first(where: { $0.transaction.txid == txid }) else {
                            throw RPCError(.invalidAddressOrKey, "Transaction \(text) not in mempool.")
                        }
                        transactions.append(candidate.transaction)
                    } else {
                        guard let bytes = [UInt8](hex: text), let transaction = try? Transaction(serialized: bytes) else {
                            throw RPCError(.deserializationError, "Transaction decode failed for \(text). Make sure the tx has at least one input.")
                        }
                        transactions.append(transaction)
                    }
                }
                let submit = try args.optionalBool(2) ?? true
                guard let block = try await mineBlock(context, payoutScript: script, transactions: transactions, maxTries: .max, submit: submit) else {
                    throw RPCError(.miscError, "Failed to make block.")
                }
                var object = JSONObject()
                object.append("hash", .string(block.hash.description))
                if !submit { object.append("hex", .string(block.serialized.hexString)) }
                return .object(object)
            },
            RPCMethod("submitblock", category: "mining", description: "Attempts to submit new block to network.",
                      arguments: [.required("hexdata", .hex, "the hex-encoded block data to submit"),
                                  .optional("dummy", .string, default: "ignored", "dummy value, for compatibility with BIP22.")]) { args throws(RPCError) in
                let block = try decodeBlock(try args.string(0))
                guard block.transactions.first?.isCoinbase == true else {
                    throw RPCError(.deserializationError, "Block does not start with a coinbase")
                }
                let outcome = try await context.access { (chain: ChainState) throws(RPCError) -> JSONValue in
                    do throws(ChainStateError) {
                        try chain.acceptBlock(block)
                        return .null
                    } catch {
                        switch error {
                        case .duplicate: return .string("duplicate")
                        case let .invalid(rule): return .string(rule.reason)
                        case .orphan: return .string("prev-blk-not-found")
                        default: throw RPCError(.databaseError, "\(error)")
                        }
                    }
                }
                return outcome
            },
            RPCMethod("getblocktemplate", category: "mining", description: "Returns data needed to construct a block to work on (BIP22/23), or checks a proposal.",
                      arguments: [.optional("template_request", .object, default: "{}", "Format of the template: {\"mode\": \"template\"|\"proposal\", \"rules\": [\"segwit\"], \"data\": \"hex\"}")]) { args throws(RPCError) in
                try await BlockTemplateMethod.run(context, request: args.isPresent(0) ? try args.object(0) : JSONObject())
            },
            RPCMethod("getmininginfo", category: "mining", description: "Returns a json object containing mining-related information.") { _ throws(RPCError) in
                let pooled = await context.mempool.count
                let network = context.params.network
                return try await context.access { (chain: ChainState) throws(RPCError) -> JSONValue in
                    let tip = chain.tip
                    var object = JSONObject()
                    object.append("blocks", .int(Int64(tip.height)))
                    object.append("bits", .string(BlockFormatting.hex32(tip.header.bits)))
                    object.append("difficulty", .double(ProofOfWork.difficulty(bits: tip.header.bits)))
                    object.append("target", .string(UInt256(compact: tip.header.bits).description))
                    object.append("networkhashps", .double(chain.networkHashesPerSecond(blocks: 120)))
                    object.append("pooledtx", .int(Int64(pooled)))
                    object.append("chain", .string(network.rawValue))
                    if let next = try? chain.nextBlockView() {
                        object.append("next", .object(JSONObject([
                            ("height", .int(Int64(next.height))), ("bits", .string(BlockFormatting.hex32(next.bits))),
                            ("difficulty", .double(ProofOfWork.difficulty(bits: next.bits))),
                            ("target", .string(UInt256(compact: next.bits).description)),
                        ])))
                    }
                    object.append("warnings", .array([]))
                    return .object(object)
                }
            },
        ]
    }
}
