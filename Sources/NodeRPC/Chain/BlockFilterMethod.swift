import ChainState
import ChainTypes
import JSONRPC

/// `getblockfilter` (BIP157/158 basic filters kept by `-blockfilterindex`), with Core's errors.
enum BlockFilterMethod {
    static func method(_ context: ChainRPCContext) -> RPCMethod {
        RPCMethod("getblockfilter", category: "blockchain", description: "Retrieve a BIP 157 content filter for a particular block.",
                  arguments: [.required("blockhash", .hex, "The hash of the block"),
                              .optional("filtertype", .string, default: "basic", "The type name of the filter")]) { args throws(RPCError) in
            let hash = try ChainRPCContext.blockHash(try args.string(0))
            let type = try args.optionalString(1) ?? "basic"
            guard type == "basic" else { throw RPCError(.invalidAddressOrKey, "Unknown filtertype") }
            return try await context.access { (chain: ChainState) throws(RPCError) -> JSONValue in
                guard chain.options.blockFilterIndex else { throw RPCError(.miscError, "Index is not enabled for filtertype basic") }
                guard chain.node(hash) != nil else { throw RPCError(.invalidAddressOrKey, "Block not found") }
                let record: BlockFilterRecord?
                do {
                    record = try chain.blockFilter(hash)
                } catch {
                    throw RPCError(.databaseError, "\(error)")
                }
                guard let record else { throw RPCError(.miscError, "Filter not found. Block was not connected to active chain.") }
                return .object(JSONObject([("filter", .string(record.filter.hexString)), ("header", .string(record.header.description))]))
            }
        }
    }
}
