import ChainTypes
import Foundation
import JSONRPC
import Mempool

/// The mempool RPCs with Bitcoin Core's names, arguments and result shapes.
public enum MempoolMethods {
    public static func all(_ context: ChainRPCContext) -> [RPCMethod] {
        [
            RPCMethod("getmempoolinfo", category: "blockchain", description: "Returns details on the active state of the TX memory pool.") { _ throws(RPCError) in
                let pool = await context.mempool.statistics()
                let settings = await context.mempool.settings
                let minimum = JSONValue.amount(settings.minRelayFee.satoshisPerKilovirtualByte)
                var info = JSONObject()
                info["loaded"] = .bool(true)
                info["size"] = .int(Int64(pool.count))
                info["bytes"] = .int(Int64(pool.virtualBytes))
                info["usage"] = .int(Int64(pool.usage))
                info["total_fee"] = .amount(pool.totalFee.satoshis)
                info["maxmempool"] = .int(Int64(settings.maxMempoolBytes))
                info["mempoolminfee"] = .amount(pool.minimumFeeRate)
                info["minrelaytxfee"] = minimum
                info["incrementalrelayfee"] = .amount(settings.incrementalRelayFee.satoshisPerKilovirtualByte)
                info["unbroadcastcount"] = .int(0)
                info["fullrbf"] = .bool(true)
                info["permitbaremultisig"] = .bool(settings.permitBareMultisig)
                info["maxdatacarriersize"] = .int(Int64(settings.dataCarrierBytes ?? 0))
                return .object(info)
            },
            RPCMethod("getrawmempool", category: "blockchain", description: "Returns all transaction ids in memory pool as a json array of string transaction ids.",
                      arguments: [.optional("verbose", .bool, default: "false", "True for a json object, false for array of transaction ids"),
                                  .optional("mempool_sequence", .bool, default: "false", "If verbose=false, returns a json object with transaction list and mempool sequence number attached.")]) { args throws(RPCError) in
                let verbose = try args.optionalBool(0) ?? false
                if try args.optionalBool(1) ?? false {
                    guard !verbose else { throw RPCError(.invalidParameter, "Verbose results cannot contain mempool sequence values.") }
                    let (txids, sequence) = await context.mempool.txidsWithSequence()
                    return .object(JSONObject([
                        ("txids", .array(txids.map { .string($0.description) })), ("mempool_sequence", .int(Int64(sequence))),
                    ]))
                }
                guard verbose else { return .array(await context.mempool.txidsWithSequence().txids.map { .string($0.description) }) }
                let views = await context.mempool.views()
                return .object(JSONObject(views.map { ($0.entry.transaction.txid.description, entryJSON($0)) }))
            },
            RPCMethod("getmempoolentry", category: "blockchain", description: "Returns mempool data for given transaction",
                      arguments: [.required("txid", .hex, "The transaction id (must be in mempool)")]) { args throws(RPCError) in
                let txid = TxID(try ParameterParsing.hash(try args.string(0), name: "txid"))
                guard let view = await context.mempool.view(txid) else { throw RPCError(.invalidAddressOrKey, "Transaction not in mempool") }
                return entryJSON(view)
            },
            RPCMethod("prioritisetransaction", category: "mining",
                      description: "Accepts the transaction into mined blocks at a higher (or lower) priority",
                      arguments: [.required("txid", .hex, "The transaction id."),
                                  .optional("dummy", .number, default: "null", "API-Compatibility for previous API. Must be zero or null."),
                                  .required("fee_delta", .number, "The fee value (in satoshis) to add (or subtract, if negative).")]) { args throws(RPCError) in
                let txid = TxID(try ParameterParsing.hash(try args.string(0), name: "txid"))
                if args.isPresent(1), args[1] != .int(0) {
                    throw RPCError(.invalidParameter, "Priority is no longer supported, dummy argument to prioritisetransaction must be 0.")
                }
                await context.mempool.prioritise(txid, by: Int64(try args.int(2)))
                return .bool(true)
            },
            RPCMethod("estimatesmartfee", category: "util",
                      description: "Estimates the approximate fee per kilobyte needed for a transaction to begin confirmation within conf_target blocks if possible and return the number of blocks for which the estimate is valid.",
                      arguments: [.required("conf_target", .number, "Confirmation target in blocks (1 - 1008)"),
                                  .optional("estimate_mode", .string, default: "economical", "The fee estimate mode: unset, economical or conservative")]) { args throws(RPCError) in
                let requested = try args.int(0)
                guard (1...1008).contains(requested) else { throw RPCError(.invalidParameter, "Invalid conf_target, must be between 1 and 1008") }
                if args.isPresent(1) {
                    guard ["unset", "economical", "conservative"].contains(try args.string(1).lowercased()) else {
                        throw RPCError(.invalidParameter, "Invalid estimate_mode parameter, must be one of: \"unset\", \"economical\", \"conservative\"")
                    }
                }
                let target = min(requested, FeeEstimator.maxTarget)
                guard let rate = await context.mempool.estimateFee(target: target) else {
                    return .object(JSONObject([("errors", .array(["Insufficient data or no feerate found"])), ("blocks", .int(Int64(target)))]))
                }
                return .object(JSONObject([("feerate", .amount(rate.satoshisPerKilovirtualByte)), ("blocks", .int(Int64(target)))]))
            },
            RPCMethod("savemempool", category: "blockchain", description: "Dumps the mempool to disk.") { _ throws(RPCError) in
                .object(JSONObject([("filename", .string(try await context.saveMempool()))]))
            },
        ] + ["getmempoolancestors", "getmempooldescendants"].map { name in relativesMethod(name, context) }
    }

    /// `getmempoolancestors` / `getmempooldescendants`: txids, or entries by txid when verbose.
    static func relativesMethod(_ name: String, _ context: ChainRPCContext) -> RPCMethod {
        let descendants = name == "getmempooldescendants"
        let description = descendants
            ? "If txid is in the mempool, returns all in-mempool descendants."
            : "If txid is in the mempool, returns all in-mempool ancestors."
        return RPCMethod(name, category: "blockchain", description: description,
                         arguments: [.required("txid", .hex, "The transaction id (must be in mempool)"),
                                     .optional("verbose", .bool, default: "false", "True for a json object, false for array of transaction ids")]) { args throws(RPCError) in
            let txid = TxID(try ParameterParsing.hash(try args.string(0), name: "txid"))
            guard let views = await context.mempool.relatives(of: txid, descendants: descendants) else {
                throw RPCError(.invalidAddressOrKey, "Transaction not in mempool")
            }
            guard try args.optionalBool(1) ?? false else { return .array(views.map { .string($0.entry.transaction.txid.description) }) }
            return .object(JSONObject(views.map { ($0.entry.transaction.txid.description, entryJSON($0)) }))
        }
    }

    /// Core's mempool entry object (`getmempoolentry`, `getrawmempool true`).
    static func entryJSON(_ view: MempoolEntryView) -> JSONValue {
        let entry = view.entry
        // BIP125 signalling: any input with a sequence below 0xfffffffe (ancestors' signals are
        // not inherited here; every transaction is replaceable anyway, as with Core's full RBF).
        let signals = entry.transaction.inputs.contains { $0.sequence < 0xffff_fffe }
        var fees = JSONObject()
        fees["base"] = .amount(entry.fee.satoshis)
        fees["modified"] = .amount(view.modifiedFee.satoshis)
        fees["ancestor"] = .amount(view.ancestorFees.satoshis)
        fees["descendant"] = .amount(view.descendantFees.satoshis)
        var object = JSONObject()
        object["vsize"] = .int(Int64(entry.virtualSize))
        object["weight"] = .int(Int64(entry.transaction.weight))
        object["time"] = .int(entry.time)
        object["height"] = .int(Int64(entry.height))
        object["descendantcount"] = .int(Int64(view.descendantCount))
        object["descendantsize"] = .int(Int64(view.descendantSize))
        object["ancestorcount"] = .int(Int64(view.ancestorCount))
        object["ancestorsize"] = .int(Int64(view.ancestorSize))
        object["wtxid"] = .string(entry.transaction.wtxid.description)
        object["fees"] = .object(fees)
        object["depends"] = .array(view.depends.map { .string($0.description) })
        object["spentby"] = .array(view.spentBy.map { .string($0.description) })
        object["bip125-replaceable"] = .bool(signals)
        object["unbroadcast"] = .bool(false)
        return .object(object)
    }
}
