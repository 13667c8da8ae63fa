import ByteCodec
import ChainState
import ChainTypes
import Consensus
import JSONRPC

/// The `blockchain` category: Bitcoin Core's names, parameters and result shapes.
public enum BlockchainMethods {
    public static func all(_ context: ChainRPCContext) -> [RPCMethod] {
        [
            RPCMethod("getblockcount", category: "blockchain", description: "Returns the height of the most-work fully-validated chain.",
                      result: "n (numeric) The current block count") { _ throws(RPCError) in
                try await context.access { .int(Int64($0.tip.height)) }
            },
            RPCMethod("getbestblockhash", category: "blockchain", description: "Returns the hash of the best (tip) block in the most-work fully-validated chain.",
                      result: "\"hex\" (string) the block hash, hex-encoded") { _ throws(RPCError) in
                try await context.access { .string($0.tip.hash.description) }
            },
            RPCMethod("getblockhash", category: "blockchain", description: "Returns hash of block in best-block-chain at height provided.",
                      arguments: [.required("height", .number, "The height index")]) { args throws(RPCError) in
                let height = try args.int(0)
                return try await context.access { (chain: ChainState) throws(RPCError) -> JSONValue in
                    guard let node = chain.activeNode(at: height) else { throw RPCError(.invalidParameter, "Block height out of range") }
                    return .string(node.hash.description)
                }
            },
            RPCMethod("getblockheader", category: "blockchain", description: "Returns information about a block header.",
                      arguments: [.required("blockhash", .hex, "The block hash"),
                                  .optional("verbose", .bool, default: "true", "true for a json object, false for the hex-encoded data")]) { args throws(RPCError) in
                let hash = try ChainRPCContext.blockHash(try args.string(0))
                let verbose = try args.optionalBool(1) ?? true
                return try await context.access { (chain: ChainState) throws(RPCError) -> JSONValue in
                    guard let node = chain.node(hash) else { throw RPCError(.invalidAddressOrKey, "Block not found") }
                    return verbose ? .object(BlockFormatting.header(node, in: chain)) : .string(node.header.serialized.hexString)
                }
            },
            RPCMethod("getblock", category: "blockchain", description: "Returns block data: hex (verbosity 0), an object (1), or an object with decoded transactions (2).",
                      arguments: [.required("blockhash", .hex, "The block hash"),
                                  .optional("verbosity|verbose", .number, default: "1", "0 for hex-encoded data, 1 for a JSON object, 2 for JSON object with transaction data, and 3 for JSON object with transaction data including prevout information for inputs")]) { args throws(RPCError) in
                let hash = try ChainRPCContext.blockHash(try args.string(0))
                var verbosity = 1
                if args.isPresent(1) {
                    if let flag = args[1].boolValue { verbosity = flag ? 1 : 0 } else { verbosity = try args.int(1) }
                }
                let level = verbosity
                let params = context.params
                return try await context.access { (chain: ChainState) throws(RPCError) -> JSONValue in
                    guard let node = chain.node(hash) else { throw RPCError(.invalidAddressOrKey, "Block not found") }
                    let block: Block
                    do {
                        guard let stored = try chain.block(hash) else { throw RPCError(.miscError, "Block not available (not fully downloaded)") }
                        block = stored
                    } catch let error as RPCError {
                        throw error
                    } catch {
                        throw RPCError(.databaseError, "\(error)")
                    }
                    if level <= 0 { return .string(block.serialized.hexString) }
                    let transactions: [JSONValue]
                    if level == 1 {
                        transactions = block.transactions.map { .string($0.txid.description) }
                    } else {
                        // Verbosity 2 adds each fee, 3 also each input's prevout, from the undo data.
                        let spent = chain.spentCoins(of: hash)
                        transactions = block.transactions.enumerated().map { index, transaction in
                            let coins = index > 0 ? spent.flatMap { index - 1 < $0.count ? $0[index - 1] : nil } : nil
                            return .object(TransactionFormatting.json(
                                transaction, prefixes: params.addressPrefixes, spentCoins: coins, showPrevouts: level >= 3))
                        }
                    }
                    return .object(BlockFormatting.block(block, node: node, in: chain, transactions: transactions))
                }
            },
            RPCMethod("getblockchaininfo", category: "blockchain", description: "Returns an object containing various state info regarding blockchain processing.") { _ throws(RPCError) in
                let network = context.params.network
                return try await context.access { chain in
                    let tip = chain.tip
                    var object = JSONObject()
                    object.append("chain", .string(network == .main ? "main" : network.rawValue))
                    object.append("blocks", .int(Int64(tip.height)))
                    object.append("headers", .int(Int64(chain.bestHeaderHeight)))
                    object.append("bestblockhash", .string(tip.hash.description))
                    object.append("bits", .string(BlockFormatting.hex32(tip.header.bits)))
                    object.append("target", .string(UInt256(compact: tip.header.bits).description))
                    object.append("difficulty", .double(ProofOfWork.difficulty(bits: tip.header.bits)))
                    object.append("time", .int(Int64(tip.header.time)))
                    object.append("mediantime", .int(tip.medianTimePast))
                    object.append("verificationprogress", .double(chain.verificationProgress))
                    object.append("initialblockdownload", .bool(chain.isInitialBlockDownload))
                    object.append("chainwork", .string(tip.chainWork.description))
                    object.append("size_on_disk", .int(0))
                    object.append("pruned", .bool(false))
                    object.append("warnings", .array([]))
                    return .object(object)
                }
            },
            RPCMethod("getchaintips", category: "blockchain", description: "Return information about all known tips in the block tree, including the main chain as well as orphaned branches.") { _ throws(RPCError) in
                try await context.access { chain in
                    .array(chain.chainTips().map { tip in
                        .object(JSONObject([
                            ("height", .int(Int64(tip.height))), ("hash", .string(tip.hash.description)),
                            ("branchlen", .int(Int64(tip.branchLength))), ("status", .string(tip.status.rawValue)),
                        ]))
                    })
                }
            },
            RPCMethod("getdifficulty", category: "blockchain", description: "Returns the proof-of-work difficulty as a multiple of the minimum difficulty.") { _ throws(RPCError) in
                try await context.access { .double(ProofOfWork.difficulty(bits: $0.tip.header.bits)) }
            },
            RPCMethod("gettxout", category: "blockchain", description: "Returns details about an unspent transaction output.",
                      arguments: [.required("txid", .hex, "The transaction id"), .required("n", .number, "vout number"),
                                  .optional("include_mempool", .bool, default: "true", "Whether to include the mempool.")]) { args throws(RPCError) in
                let txid = TxID(try ParameterParsing.hash(try args.string(0), name: "txid"))
                let index = try args.int(1, in: 0...Int(UInt32.max))
                let params = context.params
                return try await context.access { (chain: ChainState) throws(RPCError) -> JSONValue in
                    let coin: Coin?
                    do throws(ChainStateError) {
                        coin = try chain.coin(at: OutPoint(txid: txid, index: UInt32(index)))
                    } catch {
                        throw RPCError(.databaseError, "\(error)")
                    }
                    guard let coin else { return .null }
                    return .object(JSONObject([
                        ("bestblock", .string(chain.tip.hash.description)),
                        ("confirmations", .int(Int64(chain.tip.height - coin.height + 1))),
                        ("value", .amount(coin.output.value.satoshis)),
                        ("scriptPubKey", .object(ScriptFormatting.scriptPubKeyJSON(coin.output.scriptPubKey, prefixes: params.addressPrefixes))),
                        ("coinbase", .bool(coin.isCoinbase)),
                    ]))
                }
            },
            RPCMethod("gettxoutsetinfo", category: "blockchain", description: "Returns statistics about the unspent transaction output set.",
                      arguments: [.optional("hash_type", .string, default: "hash_serialized_3", "Which UTXO set hash should be calculated. Options: 'hash_serialized_3', 'none'.")]) { args throws(RPCError) in
                let hashType = try args.optionalString(0) ?? "hash_serialized_3"
                guard hashType == "hash_serialized_3" || hashType == "none" else {
                    throw RPCError(.invalidParameter, "\(hashType) is not a valid hash_type")
                }
                return try await context.access { (chain: ChainState) throws(RPCError) -> JSONValue in
                    let stats: UTXOSetStatistics
                    do throws(ChainStateError) {
                        stats = try chain.utxoStatistics()
                    } catch {
                        throw RPCError(.internalError, "Unable to read UTXO set: \(error)")
                    }
                    var object = JSONObject()
                    object.append("height", .int(Int64(stats.height)))
                    object.append("bestblock", .string(stats.bestBlock.description))
                    object.append("txouts", .int(Int64(stats.outputs)))
                    object.append("bogosize", .int(Int64(stats.bogoSize)))
                    if hashType == "hash_serialized_3" { object.append("hash_serialized_3", .string(stats.serializedHash.displayHex)) }
                    object.append("total_amount", .amount(stats.totalAmount.satoshis))
                    object.append("transactions", .int(Int64(stats.transactions)))
                    object.append("disk_size", .int(Int64(stats.diskSize)))
                    return .object(object)
                }
            },
            RPCMethod("verifychain", category: "blockchain", description: "Verifies blockchain database.",
                      arguments: [.optional("checklevel", .number, default: "3", "How thorough the block verification is (0-4)."),
                                  .optional("nblocks", .number, default: "6", "The number of blocks to check (0 = all).")]) { args throws(RPCError) in
                let level = try args.optionalInt(0) ?? 3
                let count = try args.optionalInt(1) ?? 6
                return try await context.access { chain in .bool(chain.verifyChain(level: level, blocks: count)) }
            },
            validityMethod(
                "invalidateblock", "Permanently marks a block as invalid, as if it violated a consensus rule.",
                argument: "the hash of the block to mark as invalid", context) { chain, hash throws(ChainStateError) in
                try chain.invalidateBlock(hash)
            },
            validityMethod(
                "reconsiderblock", "Removes invalidity status of a block, its ancestors and its descendants, reconsider them for activation.",
                argument: "the hash of the block to reconsider", context) { chain, hash throws(ChainStateError) in
                try chain.reconsiderBlock(hash)
            },
        ]
    }

    /// `invalidateblock` / `reconsiderblock`: `change` applied to the named block; an unknown
    /// block is Core's -5 "Block not found", any other failure -20.
    private static func validityMethod(
        _ name: String, _ description: String, argument: String, _ context: ChainRPCContext,
        change: @escaping @Sendable (ChainState, BlockHash) throws(ChainStateError) -> Void
    ) -> RPCMethod {
        RPCMethod(name, category: "blockchain", description: description,
                  arguments: [.required("blockhash", .hex, argument)]) { args throws(RPCError) in
            let hash = try ChainRPCContext.blockHash(try args.string(0))
            return try await context.access { (chain: ChainState) throws(RPCError) -> JSONValue in
                do throws(ChainStateError) {
                    try change(chain, hash)
                } catch .unknownBlock {
                    throw RPCError(.invalidAddressOrKey, "Block not found")
                } catch {
                    throw RPCError(.databaseError, "\(error)")
                }
                return .null
            }
        }
    }
}
