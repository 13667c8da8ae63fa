import ChainParams
import ChainTypes
import JSONRPC

/// Bitcoin Core's raw-transaction RPC methods that need no chain state of their own
/// (`decoderawtransaction`, `decodescript`, `createrawtransaction`,
/// `signrawtransactionwithkey`). Anything chain-related comes in as a closure, so this target
/// does not depend on `ChainState`.
public enum RawTransactionRPC {
    /// Looks up an unspent output the node knows (chain tip UTXO set and mempool), or nil.
    public typealias CoinLookup = @Sendable (OutPoint) async -> TxOut?

    /// The help category of these methods.
    public static let category = "rawtransactions"

    /// Every method of this enum for the network of `chainParams`; `coinLookup` lets
    /// `signrawtransactionwithkey` find coins that `prevtxs` does not list.
    public static func methods(chainParams: ChainParams, coinLookup: CoinLookup? = nil) -> [RPCMethod] {
        [
            decodeRawTransaction(chainParams: chainParams),
            decodeScript(chainParams: chainParams),
            createRawTransaction(chainParams: chainParams),
            signRawTransactionWithKey(chainParams: chainParams, coinLookup: coinLookup),
        ]
    }
}
