import JSONRPC

/// Every RPC method the node serves today.
public enum NodeMethods {
    public static func all(_ context: ChainRPCContext) -> [RPCMethod] {
        BlockchainMethods.all(context) + MiningMethods.all(context) + RawTransactionMethods.all(context) + ControlMethods.all(context)
    }
}
