import Foundation
import JSONRPC

extension NetworkMethods {
    public static let p2pDisabled = RPCError(.clientP2PDisabled, "Error: Peer-to-peer functionality missing or disabled")

    /// The `network` RPCs that act: `addnode`, `getaddednodeinfo`, `disconnectnode`, `ping`,
    /// `setban`, `listbanned`, `clearbanned`, `setnetworkactive`, `getnodeaddresses`.
    static func control(network directory: (any NetworkControl)?) -> [RPCMethod] {
        @Sendable func network() throws(RPCError) -> any NetworkControl {
            guard let directory else { throw p2pDisabled }
            return directory
        }
        return [
            RPCMethod("addnode", category: "network", description: "Attempts to add or remove a node from the addnode list, or try a connection to a node once.",
                      arguments: [.required("node", .string, "The address of the peer to connect to"),
                                  .required("command", .string, "'add' to add a node to the list, 'remove' to remove a node from the list, 'onetry' to try a connection to the node once"),
                                  .optional("v2transport", .bool, default: "false", "Attempt to connect using BIP324 v2 transport protocol (ignored)")]) { args throws(RPCError) in
                let command = try args.string(1)
                guard ["add", "remove", "onetry"].contains(command) else {
                    throw RPCError(.miscError, "addnode \"node\" \"command\": command must be 'add', 'remove' or 'onetry'")
                }
                try network().addNode(try args.string(0), command: command)
                return .null
            },
            RPCMethod("getaddednodeinfo", category: "network", description: "Returns information about the given added node, or all added nodes",
                      arguments: [.optional("node", .string, default: "all nodes", "If provided, return information about this specific node, otherwise all nodes are returned.")]) { args throws(RPCError) in
                var nodes = try network().addedNodes()
                if let wanted = try args.optionalString(0) {
                    nodes = nodes.filter { $0.node == wanted }
                    guard !nodes.isEmpty else { throw RPCError(.clientNodeNotAdded, "Error: Node has not been added.") }
                }
                return .array(nodes.map { node in
                    .object(JSONObject([
                        ("addednode", .string(node.node)), ("connected", .bool(node.connectedAt != nil)),
                        ("addresses", .array(node.connectedAt.map { [.object(JSONObject([("address", .string($0)), ("connected", .string("outbound"))]))] } ?? [])),
                    ]))
                })
            },
            RPCMethod("disconnectnode", category: "network", description: "Immediately disconnects from the specified peer node.",
                      arguments: [.optional("address", .string, default: "fallback to nodeid", "The IP address/port of the node"),
                                  .optional("nodeid", .number, default: "fallback to address", "The node ID (see getpeerinfo for node IDs)")]) { args throws(RPCError) in
                let address = try args.optionalString(0)
                let id = try args.optionalInt(1)
                switch (address, id) {
                case let (address?, nil): try network().disconnect(address: address, id: nil)
                case let (nil, id?), let ("", id?): try network().disconnect(address: nil, id: id)
                default: throw RPCError(.invalidParams, "Only one of address and nodeid should be provided.")
                }
                return .null
            },
            RPCMethod("ping", category: "network", description: "Requests that a ping be sent to all other nodes, to measure ping time.") { _ throws(RPCError) in
                try network().pingAll()
                return .null
            },
            RPCMethod("setban", category: "network", description: "Attempts to add or remove an IP/Subnet from the banned list.",
                      arguments: [.required("subnet", .string, "The IP/Subnet (see getpeerinfo for nodes IP) with an optional netmask (default is /32 = single IP)"),
                                  .required("command", .string, "'add' to add an IP/Subnet to the list, 'remove' to remove an IP/Subnet from the list"),
                                  .optional("bantime", .number, default: "0", "time in seconds how long (or until when if [absolute] is set) the IP is banned (0 or empty means using the default time of 24h)"),
                                  .optional("absolute", .bool, default: "false", "If set, the bantime must be an absolute timestamp expressed in UNIX epoch time")]) { args throws(RPCError) in
                let command = try args.string(1)
                guard command == "add" || command == "remove" else {
                    throw RPCError(.miscError, "setban \"subnet\" \"command\": command must be 'add' or 'remove'")
                }
                try network().setBan(try args.string(0), command: command, banTime: try args.optionalInt64(2) ?? 0, absolute: try args.optionalBool(3) ?? false)
                return .null
            },
            RPCMethod("listbanned", category: "network", description: "List all manually banned IPs/Subnets.") { _ throws(RPCError) in
                let now = Int64(Date().timeIntervalSince1970)
                return .array(try network().bans().map { ban in
                    .object(JSONObject([
                        ("address", .string(ban.subnet)), ("ban_created", .int(ban.created)), ("banned_until", .int(ban.until)),
                        ("ban_duration", .int(ban.until - ban.created)), ("time_remaining", .int(ban.until - now)),
                    ]))
                })
            },
            RPCMethod("clearbanned", category: "network", description: "Clear all banned IPs.") { _ throws(RPCError) in
                try network().clearBans()
                return .null
            },
            RPCMethod("setnetworkactive", category: "network", description: "Disable/enable all p2p network activity.",
                      arguments: [.required("state", .bool, "true to enable networking, false to disable")]) { args throws(RPCError) in
                let node = try network()
                node.setNetworkActive(try args.bool(0))
                return .bool(node.isNetworkActive)
            },
            RPCMethod("getnodeaddresses", category: "network", description: "Return known addresses, after filtering for quality and recency.",
                      arguments: [.optional("count", .number, default: "1", "The maximum number of addresses to return. Specify 0 to return all known addresses."),
                                  .optional("network", .string, default: "all networks", "Return only addresses of the specified network. Can be one of: ipv4, ipv6, onion, i2p, cjdns.")]) { args throws(RPCError) in
                let count = try args.optionalInt(0) ?? 1
                guard count >= 0 else { throw RPCError(.invalidParameter, "Address count out of range") }
                let wanted = try args.optionalString(1)
                if let wanted, !["ipv4", "ipv6", "onion", "i2p", "cjdns"].contains(wanted) {
                    throw RPCError(.invalidParameter, "Network not recognized: \(wanted)")
                }
                return .array(try network().knownAddresses(count: count, network: wanted).map { known in
                    .object(JSONObject([
                        ("time", .int(known.time)), ("services", .int(Int64(bitPattern: known.services))), ("address", .string(known.address)),
                        ("port", .int(Int64(known.port))), ("network", .string(known.network)),
                    ]))
                })
            },
            RPCMethod("addpeeraddress", category: "hidden", description: "Add the address of a potential peer to an address manager table. This RPC is for testing only.",
                      arguments: [.required("address", .string, "The IP address of the peer"),
                                  .required("port", .number, "The port of the peer"),
                                  .optional("tried", .bool, default: "false", "If true, attempt to add the peer to the tried addresses table")]) { args throws(RPCError) in
                let added = try network().addPeerAddress(try args.string(0), port: try args.int(1, in: 0...65_535), tried: try args.optionalBool(2) ?? false)
                return .object(JSONObject([("success", .bool(added))]))
            },
        ]
    }
}
