import ChainState
import ChainTypes
import JSONRPC

/// Every RPC method the node serves today.
public enum NodeMethods {
    public static func all(_ context: ChainRPCContext) -> [RPCMethod] {
        let coins: RawTransactionRPC.CoinLookup = { outpoint in
            try? await context.access { (chain: ChainState) throws(RPCError) -> TxOut? in
                (try? chain.coin(at: outpoint))??.output
            }
        }
        return BlockchainMethods.all(context) + MiningMethods.all(context) + RawTransactionMethods.all(context)
            + ControlMethods.all(context) + RawTransactionRPC.methods(chainParams: context.params, coinLookup: coins)
            + UtilRPC.methods(chainParams: context.params)
    }
}
