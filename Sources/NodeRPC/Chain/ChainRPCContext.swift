import Addresses
import ChainParams
import ChainState
import ChainTypes
import Foundation
import JSONRPC

/// What the chain RPC methods share: the chain actor, the network, the node's start time and
/// a way to ask the node to stop.
public struct ChainRPCContext: Sendable {
    public let chain: ChainService
    public let params: ChainParams
    public let startTime: Date
    public let requestShutdown: @Sendable () -> Void
    /// Transactions accepted by `sendrawtransaction` and waiting to be mined.
    public let pending: PendingTransactions

    public init(chain: ChainService, params: ChainParams, startTime: Date = Date(), pending: PendingTransactions = PendingTransactions(),
                requestShutdown: @escaping @Sendable () -> Void) {
        self.chain = chain
        self.params = params
        self.startTime = startTime
        self.pending = pending
        self.requestShutdown = requestShutdown
    }

    /// Runs `body` on the chain actor, mapping chain errors to RPC errors.
    func access<T: Sendable>(_ body: @escaping @Sendable (ChainState) throws(RPCError) -> T) async throws(RPCError) -> T {
        let result: Result<T, RPCError>
        do throws(ChainStateError) {
            result = try await chain.access { (state: ChainState) throws(ChainStateError) -> Result<T, RPCError> in
                do throws(RPCError) {
                    return .success(try body(state))
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            throw RPCError(.databaseError, error.description)
        }
        return try result.get()
    }

    /// Parses a block hash argument (64 hex characters) as Core's `ParseHashV`.
    static func blockHash(_ text: String, name: String = "blockhash") throws(RPCError) -> BlockHash {
        BlockHash(try ParameterParsing.hash(text, name: name))
    }

    /// Decodes an address of this network or throws Core's -5.
    func scriptPubKey(forAddress text: String) throws(RPCError) -> [UInt8] {
        guard let address = Address(text, prefixes: params.addressPrefixes) else {
            throw RPCError(.invalidAddressOrKey, "Error: Invalid address")
        }
        return address.scriptPubKey
    }
}
