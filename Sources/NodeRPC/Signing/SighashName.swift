import JSONRPC
import Script

/// Sighash type names as `signrawtransactionwithkey` takes them (Core's `SighashFromStr`).
public enum SighashName {
    private static let values: [String: UInt8] = [
        "DEFAULT": SighashType.default, "ALL": SighashType.all, "ALL|ANYONECANPAY": 0x81, "NONE": SighashType.none,
        "NONE|ANYONECANPAY": 0x82, "SINGLE": SighashType.single, "SINGLE|ANYONECANPAY": 0x83,
    ]

    /// The hash type named `name`, or RPC_INVALID_PARAMETER "'x' is not a valid sighash parameter.".
    public static func parse(_ name: String) throws(RPCError) -> UInt8 {
        guard let value = values[name] else {
            throw RPCError.invalidParameter("'\(name)' is not a valid sighash parameter.")
        }
        return value
    }
}
