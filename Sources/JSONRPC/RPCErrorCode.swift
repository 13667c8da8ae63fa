/// A JSON-RPC error code, with Bitcoin Core's codes (src/rpc/protocol.h) as constants.
public struct RPCErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The numeric code sent in the error object.
    public var rawValue: Int

    /// The code `rawValue`.
    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    public var description: String { String(rawValue) }

    // Standard JSON-RPC 2.0 errors.

    /// RPC_INVALID_REQUEST: the request object is malformed (HTTP 400 in legacy mode).
    public static let invalidRequest = RPCErrorCode(rawValue: -32600)
    /// RPC_METHOD_NOT_FOUND: no such method (HTTP 404 in legacy mode).
    public static let methodNotFound = RPCErrorCode(rawValue: -32601)
    /// RPC_INVALID_PARAMS.
    public static let invalidParams = RPCErrorCode(rawValue: -32602)
    /// RPC_INTERNAL_ERROR.
    public static let internalError = RPCErrorCode(rawValue: -32603)
    /// RPC_PARSE_ERROR: the body is not JSON.
    public static let parseError = RPCErrorCode(rawValue: -32700)

    // General application-defined errors.

    /// RPC_MISC_ERROR: an error without a more specific code (also wrong argument counts).
    public static let miscError = RPCErrorCode(rawValue: -1)
    /// RPC_TYPE_ERROR: a value has the wrong type.
    public static let typeError = RPCErrorCode(rawValue: -3)
    /// RPC_INVALID_ADDRESS_OR_KEY: an invalid address, key, or unknown block/transaction.
    public static let invalidAddressOrKey = RPCErrorCode(rawValue: -5)
    /// RPC_OUT_OF_MEMORY.
    public static let outOfMemory = RPCErrorCode(rawValue: -7)
    /// RPC_INVALID_PARAMETER: an invalid, missing or duplicate parameter.
    public static let invalidParameter = RPCErrorCode(rawValue: -8)
    /// RPC_DATABASE_ERROR.
    public static let databaseError = RPCErrorCode(rawValue: -20)
    /// RPC_DESERIALIZATION_ERROR: a serialized object could not be decoded.
    public static let deserializationError = RPCErrorCode(rawValue: -22)
    /// RPC_VERIFY_ERROR: general error during transaction or block submission.
    public static let verifyError = RPCErrorCode(rawValue: -25)
    /// RPC_VERIFY_REJECTED: transaction or block rejected by network rules.
    public static let verifyRejected = RPCErrorCode(rawValue: -26)
    /// RPC_VERIFY_ALREADY_IN_CHAIN: transaction already in the chain.
    public static let verifyAlreadyInChain = RPCErrorCode(rawValue: -27)
    /// RPC_IN_WARMUP: the node is still starting.
    public static let inWarmup = RPCErrorCode(rawValue: -28)
    /// RPC_METHOD_DEPRECATED.
    public static let methodDeprecated = RPCErrorCode(rawValue: -32)

    // P2P client errors.

    /// RPC_CLIENT_NOT_CONNECTED (also "Shutting down").
    public static let clientNotConnected = RPCErrorCode(rawValue: -9)
    /// RPC_CLIENT_IN_INITIAL_DOWNLOAD.
    public static let clientInInitialDownload = RPCErrorCode(rawValue: -10)
    /// RPC_CLIENT_NODE_ALREADY_ADDED.
    public static let clientNodeAlreadyAdded = RPCErrorCode(rawValue: -23)
    /// RPC_CLIENT_NODE_NOT_ADDED.
    public static let clientNodeNotAdded = RPCErrorCode(rawValue: -24)
    /// RPC_CLIENT_NODE_NOT_CONNECTED.
    public static let clientNodeNotConnected = RPCErrorCode(rawValue: -29)
    /// RPC_CLIENT_INVALID_IP_OR_SUBNET.
    public static let clientInvalidIPOrSubnet = RPCErrorCode(rawValue: -30)
    /// RPC_CLIENT_P2P_DISABLED.
    public static let clientP2PDisabled = RPCErrorCode(rawValue: -31)
    /// RPC_CLIENT_MEMPOOL_DISABLED.
    public static let clientMempoolDisabled = RPCErrorCode(rawValue: -33)
    /// RPC_CLIENT_NODE_CAPACITY_REACHED.
    public static let clientNodeCapacityReached = RPCErrorCode(rawValue: -34)

    // Wallet errors.

    /// RPC_WALLET_ERROR.
    public static let walletError = RPCErrorCode(rawValue: -4)
    /// RPC_WALLET_INSUFFICIENT_FUNDS.
    public static let walletInsufficientFunds = RPCErrorCode(rawValue: -6)
    /// RPC_WALLET_INVALID_LABEL_NAME.
    public static let walletInvalidLabelName = RPCErrorCode(rawValue: -11)
    /// RPC_WALLET_KEYPOOL_RAN_OUT.
    public static let walletKeypoolRanOut = RPCErrorCode(rawValue: -12)
    /// RPC_WALLET_UNLOCK_NEEDED.
    public static let walletUnlockNeeded = RPCErrorCode(rawValue: -13)
    /// RPC_WALLET_PASSPHRASE_INCORRECT.
    public static let walletPassphraseIncorrect = RPCErrorCode(rawValue: -14)
    /// RPC_WALLET_WRONG_ENC_STATE.
    public static let walletWrongEncryptionState = RPCErrorCode(rawValue: -15)
    /// RPC_WALLET_ENCRYPTION_FAILED.
    public static let walletEncryptionFailed = RPCErrorCode(rawValue: -16)
    /// RPC_WALLET_ALREADY_UNLOCKED.
    public static let walletAlreadyUnlocked = RPCErrorCode(rawValue: -17)
    /// RPC_WALLET_NOT_FOUND.
    public static let walletNotFound = RPCErrorCode(rawValue: -18)
    /// RPC_WALLET_NOT_SPECIFIED.
    public static let walletNotSpecified = RPCErrorCode(rawValue: -19)
    /// RPC_WALLET_ALREADY_LOADED.
    public static let walletAlreadyLoaded = RPCErrorCode(rawValue: -35)
    /// RPC_WALLET_ALREADY_EXISTS.
    public static let walletAlreadyExists = RPCErrorCode(rawValue: -36)
}
