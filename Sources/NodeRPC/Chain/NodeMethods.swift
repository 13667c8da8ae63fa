import ChainState
import ChainTypes
import JSONRPC

/// Every RPC method the node serves today.
public enum NodeMethods {
    /// The methods over `context`; the network ones read `peers` (none without P2P).
    public static func all(_ context: ChainRPCContext, network: (any NetworkControl)? = nil) -> [RPCMethod] {
        // The UTXO set and the mempool's outputs, as Core's signing view.
        let coins: RawTransactionRPC.CoinLookup = { outpoint in
            if let parent = await context.mempool.entry(outpoint.txid)?.transaction, Int(outpoint.index) < parent.outputs.count {
                return parent.outputs[Int(outpoint.index)]
            }
            return try? await context.access { (chain: ChainState) throws(RPCError) -> TxOut? in
                (try? chain.coin(at: outpoint))??.output
            }
        }
        return BlockchainMethods.all(context) + MiningMethods.all(context) + RawTransactionMethods.all(context) + MempoolMethods.all(context)
            + PackageMethods.all(context) + [BlockFilterMethod.method(context)]
            + ControlMethods.all(context) + NetworkMethods.all(context, network: network) + RawTransactionRPC.methods(chainParams: context.params, coinLookup: coins)
            + UtilRPC.methods(chainParams: context.params)
    }
}
