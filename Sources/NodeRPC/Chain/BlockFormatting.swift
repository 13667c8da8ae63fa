import ChainState
import ChainTypes
import Consensus
import JSONRPC

/// Bitcoin Core's block and header JSON (`blockheaderToJSON`, `blockToJSON`).
enum BlockFormatting {
    static func hex32(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// The header fields, in Core's order.
    static func header(_ node: BlockIndexNode, in chain: ChainState) -> JSONObject {
        let header = node.header
        var object = JSONObject()
        object.append("hash", .string(node.hash.description))
        object.append("confirmations", .int(Int64(chain.isActive(node) ? chain.tip.height - node.height + 1 : -1)))
        object.append("height", .int(Int64(node.height)))
        object.append("version", .int(Int64(header.version)))
        object.append("versionHex", .string(hex32(UInt32(bitPattern: header.version))))
        object.append("merkleroot", .string(header.merkleRoot.displayHex))
        object.append("time", .int(Int64(header.time)))
        object.append("mediantime", .int(node.medianTimePast))
        object.append("nonce", .int(Int64(header.nonce)))
        object.append("bits", .string(hex32(header.bits)))
        object.append("target", .string(UInt256(compact: header.bits).description))
        object.append("difficulty", .double(ProofOfWork.difficulty(bits: header.bits)))
        object.append("chainwork", .string(node.chainWork.description))
        object.append("nTx", .int(Int64(node.transactionCount)))
        if let parent = node.parent { object.append("previousblockhash", .string(parent.hash.description)) }
        if chain.isActive(node), let next = chain.activeNode(at: node.height + 1) {
            object.append("nextblockhash", .string(next.hash.description))
        }
        return object
    }

    /// The block fields: header fields, sizes, weight, then `tx` from `transactions`.
    static func block(_ block: Block, node: BlockIndexNode, in chain: ChainState, transactions: [JSONValue]) -> JSONObject {
        var object = header(node, in: chain)
        object.append("strippedsize", .int(Int64(block.strippedSize)))
        object.append("size", .int(Int64(block.totalSize)))
        object.append("weight", .int(Int64(block.weight)))
        object.append("tx", .array(transactions))
        return object
    }
}
