import ByteCodec
import ChainState
import ChainTypes
import Consensus
import Foundation
import JSONRPC
import Mining

/// `getblocktemplate` (BIP22 templates, BIP23 proposals) with Bitcoin Core's fields.
enum BlockTemplateMethod {
    static func run(_ context: ChainRPCContext, request: JSONObject) async throws(RPCError) -> JSONValue {
        let mode = request["mode"]?.stringValue ?? "template"
        if mode == "proposal" {
            guard let hex = request["data"]?.stringValue else { throw RPCError(.typeError, "Missing data String key for proposal") }
            let block = try MiningMethods.decodeBlock(hex)
            return try await context.access { (chain: ChainState) throws(RPCError) -> JSONValue in
                do throws(ChainStateError) {
                    try chain.checkProposal(block)
                    return .null
                } catch {
                    if case let .invalid(rule) = error { return .string(rule.reason) }
                    throw RPCError(.databaseError, "\(error)")
                }
            }
        }
        guard mode == "template" else { throw RPCError(.invalidParameter, "Invalid mode") }
        let rules = request["rules"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard rules.contains("segwit") else {
            throw RPCError(.invalidParameter, "getblocktemplate must be called with the segwit rule set (call with {\"rules\": [\"segwit\"]})")
        }
        let candidates = await context.mempoolCandidates()
        let pooled = candidates.count
        let now = Int64(Date().timeIntervalSince1970)
        return try await context.access { (chain: ChainState) throws(RPCError) -> JSONValue in
            let view: MiningChainView
            do throws(ChainStateError) {
                view = try chain.nextBlockView()
            } catch {
                throw RPCError(.internalError, "\(error)")
            }
            // The payout script is the miner's to fill in; the template's coinbase only fixes the value.
            let template = BlockAssembler.makeTemplate(
                chain: view, payoutScript: [], transactions: MempoolTransactions(candidates), time: now)
            let included = Array(template.block.transactions.dropFirst())
            var positions: [TxID: Int] = [:]
            for (index, transaction) in included.enumerated() { positions[transaction.txid] = index + 1 }
            let transactions: [JSONValue] = included.enumerated().map { index, transaction in
                let depends = transaction.inputs.compactMap { positions[$0.previousOutput.txid] }.sorted().map { JSONValue.int(Int64($0)) }
                return .object(JSONObject([
                    ("data", .string(transaction.serialized.hexString)), ("txid", .string(transaction.txid.description)),
                    ("hash", .string(transaction.wtxid.description)), ("depends", .array(depends)),
                    ("fee", .int(template.fees[index].satoshis)), ("sigops", .int(Int64(template.sigopCosts[index]))),
                    ("weight", .int(Int64(transaction.weight))),
                ]))
            }
            let commitment = template.block.transactions[0].outputs[1].scriptPubKey
            var object = JSONObject()
            object.append("capabilities", .array([.string("proposal")]))
            object.append("version", .int(Int64(template.block.header.version)))
            object.append("rules", .array([.string("csv"), .string("!segwit"), .string("taproot")]))
            object.append("vbavailable", .object(JSONObject()))
            object.append("vbrequired", .int(0))
            object.append("previousblockhash", .string(view.parentHash.description))
            object.append("transactions", .array(transactions))
            object.append("coinbaseaux", .object(JSONObject()))
            object.append("coinbasevalue", .int(template.coinbaseValue.satoshis))
            object.append("longpollid", .string(view.parentHash.description + String(pooled)))
            object.append("target", .string(UInt256(compact: view.bits).description))
            object.append("mintime", .int(view.parentMedianTimePast + 1))
            object.append("mutable", .array([.string("time"), .string("transactions"), .string("prevblock")]))
            object.append("noncerange", .string("00000000ffffffff"))
            object.append("sigoplimit", .int(Int64(view.maxSigopCost)))
            object.append("sizelimit", .int(Int64(view.maxWeight)))
            object.append("weightlimit", .int(Int64(view.maxWeight)))
            object.append("curtime", .int(Int64(template.block.header.time)))
            object.append("bits", .string(BlockFormatting.hex32(view.bits)))
            object.append("height", .int(Int64(view.height)))
            object.append("default_witness_commitment", .string(commitment.hexString))
            return .object(object)
        }
    }
}
