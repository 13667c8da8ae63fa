import ChainTypes
import Foundation
import JSONRPC
import Mempool
import Script

/// `testmempoolaccept` and `submitpackage`: one or more transactions judged together, with
/// Bitcoin Core's arguments, errors and result shapes.
public enum PackageMethods {
    public static func all(_ context: ChainRPCContext) -> [RPCMethod] {
        [
            RPCMethod("testmempoolaccept", category: "rawtransactions",
                      description: "Returns result of mempool acceptance tests indicating if raw transaction(s) (serialized, hex-encoded) would be accepted by mempool.\n\nIf multiple transactions are passed in, parents must come before children and package policies apply: the transactions cannot conflict with any mempool transactions or each other.\n\nIf one transaction fails, other transactions may not be fully validated (the 'allowed' key will be blank).",
                      arguments: [.required("rawtxs", .array, "An array of hex strings of raw transactions."),
                                  .optional("maxfeerate", .amount, default: "0.10", "Reject transactions whose fee rate is higher than the specified value, expressed in coins/kvB.")]) { args throws(RPCError) in
                let transactions = try decodePackage(args[0])
                let maxFeeRate = args.isPresent(1) ? try ParameterParsing.amount(args[1]).satoshis : RawTransactionMethods.defaultMaxFeeRate
                let snapshot = try await context.snapshot(for: transactions)
                let acceptance: PackageAcceptance
                do throws(MempoolError) {
                    acceptance = try await context.mempool.testPackage(transactions, chain: snapshot, now: Int64(Date().timeIntervalSince1970))
                } catch {
                    throw ChainRPCContext.rpcError(error)
                }
                return .array(testResults(transactions, acceptance, maxFeeRate: FeeRate(satoshisPerKilovirtualByte: maxFeeRate)))
            },
            RPCMethod("submitpackage", category: "rawtransactions",
                      description: "Submit a package of raw transactions (serialized, hex) to local node.\nThe package will be validated according to consensus and mempool policy rules. If any transaction passes, it will be accepted to mempool.\nThis RPC is experimental and the interface may be unstable.",
                      arguments: [.required("package", .array, "An array of raw transactions. The package must solely consist of a child transaction and all of its unconfirmed parents, if any. None of the parents may depend on each other. The package must be topologically sorted, with the child being the last element in the array."),
                                  .optional("maxfeerate", .amount, default: "0.10", "Reject transactions whose fee rate is higher than the specified value, expressed in coins/kvB. Fee rates larger than 1BTC/kvB are rejected. Set to 0 to accept any fee rate."),
                                  .optional("maxburnamount", .amount, default: "0.00", "Reject transactions with provably unspendable outputs (e.g. 'datacarrier' outputs that use the OP_RETURN opcode) greater than the specified value, expressed in coins.")]) { args throws(RPCError) in
                let transactions = try decodePackage(args[0])
                let maxFeeRate = args.isPresent(1) ? try ParameterParsing.amount(args[1]).satoshis : RawTransactionMethods.defaultMaxFeeRate
                let maxBurn = args.isPresent(2) ? try ParameterParsing.amount(args[2]) : .zero
                for transaction in transactions { try checkBurn(transaction, limit: maxBurn) }
                if transactions.count > 1 && !PackageRules.isChildWithParentsTree(transactions) {
                    throw RPCError(.verifyError, "package topology disallowed. not child-with-parents or parents depend on each other.")
                }
                let snapshot = try await context.snapshot(for: transactions)
                let acceptance: PackageAcceptance
                do throws(MempoolError) {
                    acceptance = try await context.mempool.acceptPackage(
                        transactions, chain: snapshot, now: Int64(Date().timeIntervalSince1970),
                        maxFeeRate: maxFeeRate > 0 ? FeeRate(satoshisPerKilovirtualByte: maxFeeRate) : nil)
                } catch {
                    throw ChainRPCContext.rpcError(error)
                }
                return .object(submitResult(transactions, acceptance))
            },
        ]
    }

    /// The `rawtxs` / `package` argument: 1 to 25 hex transactions.
    static func decodePackage(_ argument: JSONValue) throws(RPCError) -> [Transaction] {
        guard let raw = argument.arrayValue else { throw RPCError(.typeError, "Expected type array, got \(argument.typeName)") }
        guard (1...PackageRules.maxCount).contains(raw.count) else {
            throw RPCError(.invalidParameter, "Array must contain between 1 and \(PackageRules.maxCount) transactions.")
        }
        return try raw.map { (value: JSONValue) throws(RPCError) -> Transaction in
            guard let hex = value.stringValue else { throw RPCError(.typeError, "Expected type string, got \(value.typeName)") }
            guard let bytes = [UInt8](hex: hex), let transaction = try? Transaction(serialized: bytes) else {
                throw RPCError(.deserializationError, "TX decode failed: \(hex.prefix(16))… Make sure the tx has at least one input.")
            }
            return transaction
        }
    }

    /// Core's `maxburnamount` check: provably unspendable outputs may carry at most `limit`.
    static func checkBurn(_ transaction: Transaction, limit: Amount) throws(RPCError) {
        for output in transaction.outputs where output.value > limit {
            if ScriptPattern.isUnspendable(output.scriptPubKey) || !ScriptFormatting.hasValidOps(output.scriptPubKey) {
                throw RPCError(.verifyError, "Unspendable output exceeds maximum configured by user (maxburnamount)")
            }
        }
    }

    /// `testmempoolaccept`'s array: per transaction txid and wtxid, then the verdict; none after
    /// the first refusal (or a fee above `maxFeeRate`), and a `package-error` for a package
    /// broken as a whole.
    static func testResults(_ transactions: [Transaction], _ acceptance: PackageAcceptance, maxFeeRate: FeeRate) -> [JSONValue] {
        var exitEarly = false
        return transactions.map { transaction in
            var result = JSONObject([("txid", .string(transaction.txid.description)), ("wtxid", .string(transaction.wtxid.description))])
            if let failure = acceptance.failure, acceptance.outcomes.isEmpty { result["package-error"] = .string(failure.description) }
            guard !exitEarly, let outcome = acceptance.outcomes[transaction.wtxid] else { return .object(result) }
            switch outcome {
            case let .accepted(entry, effectiveFeeRate, includes):
                let cap = maxFeeRate.fee(virtualSize: entry.virtualSize)
                if cap > .zero && entry.fee > cap {
                    result["allowed"] = .bool(false)
                    result["reject-reason"] = .string("max-fee-exceeded")
                    exitEarly = true
                } else {
                    result["allowed"] = .bool(true)
                    result["vsize"] = .int(Int64(entry.virtualSize))
                    result["fees"] = fees(entry, effectiveFeeRate: effectiveFeeRate, includes: includes)
                }
            case let .rejected(rejection):
                result["allowed"] = .bool(false)
                result["reject-reason"] = .string(rejection.reason)
                if rejection != .missingInputs { result["reject-details"] = .string(rejection.description) }
            case .inMempool:
                result["allowed"] = .bool(false)
                result["reject-reason"] = .string(MempoolRejection.alreadyInMempool.reason)
            }
            return .object(result)
        }
    }

    /// `submitpackage`'s object: `package_msg`, `tx-results` by wtxid, `replaced-transactions`.
    static func submitResult(_ transactions: [Transaction], _ acceptance: PackageAcceptance) -> JSONObject {
        var results = JSONObject()
        for transaction in transactions {
            var result = JSONObject([("txid", .string(transaction.txid.description))])
            switch acceptance.outcomes[transaction.wtxid] {
            case nil:
                result["error"] = .string("unevaluated")
            case let .inMempool(_, otherWitness?):
                result["other-wtxid"] = .string(otherWitness.description)
            case let .inMempool(entry, nil):
                result["vsize"] = .int(Int64(entry.virtualSize))
                result["fees"] = .object(JSONObject([("base", .amount(entry.fee.satoshis))]))
            case let .accepted(entry, effectiveFeeRate, includes):
                result["vsize"] = .int(Int64(entry.virtualSize))
                result["fees"] = fees(entry, effectiveFeeRate: effectiveFeeRate, includes: includes)
            case let .rejected(rejection):
                result["error"] = .string(rejection.description)
            }
            results[transaction.wtxid.description] = .object(result)
        }
        return JSONObject([
            ("package_msg", .string(acceptance.failure?.description ?? "success")),
            ("tx-results", .object(results)),
            ("replaced-transactions", .array(acceptance.replaced.map { .string($0.description) })),
        ])
    }

    private static func fees(_ entry: MempoolEntry, effectiveFeeRate: FeeRate, includes: [WTxID]) -> JSONValue {
        .object(JSONObject([
            ("base", .amount(entry.fee.satoshis)),
            ("effective-feerate", .amount(effectiveFeeRate.satoshisPerKilovirtualByte)),
            ("effective-includes", .array(includes.map { .string($0.description) })),
        ]))
    }
}
