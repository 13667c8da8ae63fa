import ByteCodec
import Foundation
import ChainState
import ChainTypes
import Consensus
import JSONRPC
import Mempool
import Mining

/// Chain-backed raw transaction methods: `sendrawtransaction` (through the mempool) and
/// `getrawtransaction`.
public enum RawTransactionMethods {
    /// Default `maxfeerate` of `sendrawtransaction`: 0.10 coin per kvB.
    static let defaultMaxFeeRate: Int64 = 10_000_000

    public static func all(_ context: ChainRPCContext) -> [RPCMethod] {
        [
            RPCMethod("sendrawtransaction", category: "rawtransactions", description: "Submit a raw transaction (serialized, hex-encoded) to be included in the next block.",
                      arguments: [.required("hexstring", .hex, "The hex string of the raw transaction"),
                                  .optional("maxfeerate", .amount, default: "0.10", "Reject transactions whose fee rate is higher than the specified value, expressed in coins/kvB."),
                                  .optional("maxburnamount", .amount, default: "0.00", "Reject transactions with provably unspendable outputs (e.g. 'datacarrier' outputs that use the OP_RETURN opcode) greater than the specified value, expressed in coins.")]) { args throws(RPCError) in
                guard let bytes = [UInt8](hex: try args.string(0)), let transaction = try? Transaction(serialized: bytes) else {
                    throw RPCError(.deserializationError, "TX decode failed. Make sure the tx has at least one input.")
                }
                var maxFeeRate = defaultMaxFeeRate
                if args.isPresent(1) { maxFeeRate = try ParameterParsing.amount(args[1]).satoshis }
                try PackageMethods.checkBurn(transaction, limit: args.isPresent(2) ? try ParameterParsing.amount(args[2]) : .zero)
                if await context.mempool.contains(transaction.txid) { return .string(transaction.txid.description) }
                // Core judges in a test acceptance, checks the fee cap, then accepts; judging once
                // with the cap checked after every rule gives the same answers and verifies the
                // signatures once.
                let snapshot = try await context.snapshot(for: transaction)
                do throws(MempoolError) {
                    try await context.mempool.accept(
                        transaction, chain: snapshot, now: Int64(Date().timeIntervalSince1970),
                        feeCap: FeeRate(satoshisPerKilovirtualByte: maxFeeRate))
                } catch {
                    throw ChainRPCContext.rpcError(error)
                }
                return .string(transaction.txid.description)
            },
            RPCMethod("getrawtransaction", category: "rawtransactions", description: "Return the raw transaction data.",
                      arguments: [.required("txid", .hex, "The transaction id"),
                                  .optional("verbosity|verbose", .number, default: "0", "0 for hex-encoded data, 1 for a JSON object"),
                                  .optional("blockhash", .hex, default: "", "The block in which to look for the transaction")]) { args throws(RPCError) in
                let txid = TxID(try ParameterParsing.hash(try args.string(0), name: "parameter 1"))
                var verbosity = 0
                if args.isPresent(1) {
                    if let flag = args[1].boolValue { verbosity = flag ? 1 : 0 } else { verbosity = try args.int(1) }
                }
                let blockHash = args.isPresent(2) ? try ChainRPCContext.blockHash(try args.string(2)) : nil
                if let pendingTransaction = await context.mempool.entry(txid)?.transaction {
                    return verbosity == 0 ? .string(pendingTransaction.serialized.hexString)
                        : .object(TransactionFormatting.verboseJSON(pendingTransaction, prefixes: context.params.addressPrefixes, position: nil))
                }
                let level = verbosity
                let params = context.params
                return try await context.access { (chain: ChainState) throws(RPCError) -> JSONValue in
                    if let blockHash, chain.node(blockHash) == nil { throw RPCError(.invalidAddressOrKey, "Block hash not found") }
                    let found: (Transaction, BlockIndexNode)?
                    do throws(ChainStateError) {
                        found = try chain.transaction(txid, in: blockHash)
                    } catch {
                        throw RPCError(.databaseError, "\(error)")
                    }
                    guard let (transaction, node) = found else {
                        if blockHash != nil { throw RPCError(.invalidAddressOrKey, "No such transaction found in the provided block.") }
                        if chain.options.transactionIndex {
                            throw RPCError(.invalidAddressOrKey, "No such mempool or blockchain transaction. Use gettransaction for wallet transactions.")
                        }
                        throw RPCError(.invalidAddressOrKey, "No such mempool transaction. Use -txindex or provide a block hash to enable blockchain transaction queries. Use gettransaction for wallet transactions.")
                    }
                    if level == 0 { return .string(transaction.serialized.hexString) }
                    let active = chain.isActive(node)
                    let position = active
                        ? TransactionFormatting.ChainPosition(
                            blockHash: node.hash, confirmations: chain.tip.height - node.height + 1, blockTime: Int64(node.header.time))
                        : TransactionFormatting.ChainPosition(staleBlock: node.hash)
                    return .object(TransactionFormatting.verboseJSON(
                        transaction, prefixes: params.addressPrefixes, position: position, inActiveChain: blockHash == nil ? nil : active))
                }
            },
        ]
    }
}
