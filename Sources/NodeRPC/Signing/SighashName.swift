import JSONRPC
import Script

/// Sighash type names as `signrawtransactionwithkey` takes them (Core's `SighashFromStr`).
public enum SighashName {
    /// The names `asm` shows (Core's `mapSigHashTypes`) plus `DEFAULT` (taproot's 0x00).
    private static let values: [String: UInt8] =
        Dictionary(uniqueKeysWithValues: ScriptFormatting.sighashNames.map { ($0.value, $0.key) })
        .merging(["DEFAULT": SighashType.default]) { current, _ in current }

    /// The hash type named `name`, or RPC_INVALID_PARAMETER "'x' is not a valid sighash parameter.".
    public static func parse(_ name: String) throws(RPCError) -> UInt8 {
        guard let value = values[name] else {
            throw RPCError.invalidParameter("'\(name)' is not a valid sighash parameter.")
        }
        return value
    }
}
