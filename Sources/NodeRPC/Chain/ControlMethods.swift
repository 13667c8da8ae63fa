import Foundation
import JSONRPC

/// The `control` basics: `uptime`, `stop`.
public enum ControlMethods {
    /// The version reported by `getnetworkinfo` (Core's format: 0.1.0 → 100).
    public static let version = 100
    public static let subversion = "/rustyd:0.1.0/"
    public static let protocolVersion = 70016

    public static func all(_ context: ChainRPCContext) -> [RPCMethod] {
        [
            RPCMethod("uptime", category: "control", description: "Returns the total uptime of the server.",
                      result: "ttt (numeric) The number of seconds that the server has been running") { _ throws(RPCError) in
                .int(Int64(Date().timeIntervalSince(context.startTime)))
            },
            RPCMethod("stop", category: "control", description: "Request a graceful shutdown of the node.") { _ throws(RPCError) in
                context.requestShutdown()
                return .string("Rusty Coin server stopping")
            },
        ]
    }
}
