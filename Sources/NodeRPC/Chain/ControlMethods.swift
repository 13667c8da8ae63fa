import Foundation
import JSONRPC

/// The `control` and `network` basics: `uptime`, `stop`, `getnetworkinfo`.
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
            RPCMethod("getnetworkinfo", category: "network", description: "Returns an object containing various state info regarding P2P networking.") { _ throws(RPCError) in
                var object = JSONObject()
                object.append("version", .int(Int64(version)))
                object.append("subversion", .string(subversion))
                object.append("protocolversion", .int(Int64(protocolVersion)))
                object.append("localservices", .string("0000000000000000"))
                object.append("localservicesnames", .array([]))
                object.append("localrelay", .bool(true))
                object.append("timeoffset", .int(0))
                object.append("networkactive", .bool(false))
                object.append("connections", .int(0))
                object.append("connections_in", .int(0))
                object.append("connections_out", .int(0))
                object.append("networks", .array([]))
                object.append("relayfee", .amount(1_000))
                object.append("incrementalfee", .amount(1_000))
                object.append("localaddresses", .array([]))
                object.append("warnings", .array([.string("P2P networking is not part of this build yet")]))
                return .object(object)
            },
        ]
    }
}
