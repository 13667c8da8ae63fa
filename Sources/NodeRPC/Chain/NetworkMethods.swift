import Foundation
import JSONRPC

/// The `network` RPCs that report: `getnetworkinfo`, `getconnectioncount`, `getpeerinfo`,
/// `getnettotals` (those that act are in `NetworkMethods+Control`).
public enum NetworkMethods {
    static let serviceNames: [(bit: UInt64, name: String)] = [
        (1 << 0, "NETWORK"), (1 << 2, "BLOOM"), (1 << 3, "WITNESS"), (1 << 6, "COMPACT_FILTERS"), (1 << 10, "NETWORK_LIMITED"),
        (1 << 11, "P2P_V2"), (1 << 24, "RUSTY"),
    ]

    public static func all(_ context: ChainRPCContext, network directory: (any NetworkControl)?) -> [RPCMethod] {
        reports(context, network: directory) + control(network: directory)
    }

    static func reports(_ context: ChainRPCContext, network directory: (any NetworkControl)?) -> [RPCMethod] {
        [
            RPCMethod("getnetworkinfo", category: "network", description: "Returns an object containing various state info regarding P2P networking.") { _ throws(RPCError) in
                let peers = await directory?.peers() ?? []
                let settings = await context.mempool.settings
                var object = JSONObject()
                object.append("version", .int(Int64(ControlMethods.version)))
                object.append("subversion", .string(ControlMethods.subversion))
                object.append("protocolversion", .int(Int64(ControlMethods.protocolVersion)))
                let services = directory?.localServices ?? 0
                object.append("localservices", .string(hex(services)))
                object.append("localservicesnames", .array(names(services).map { .string($0) }))
                object.append("localrelay", .bool(true))
                object.append("timeoffset", .int(0))
                object.append("networkactive", .bool(directory?.isNetworkActive ?? false))
                object.append("connections", .int(Int64(peers.count)))
                object.append("connections_in", .int(Int64(peers.count { $0.inbound })))
                object.append("connections_out", .int(Int64(peers.count { !$0.inbound })))
                object.append("networks", .array(["ipv4", "ipv6"].map { name in
                    .object(JSONObject([
                        ("name", .string(name)), ("limited", .bool(false)), ("reachable", .bool(true)), ("proxy", .string("")),
                        ("proxy_randomize_credentials", .bool(false)),
                    ]))
                }))
                object.append("relayfee", .amount(settings.minRelayFee.satoshisPerKilovirtualByte))
                object.append("incrementalfee", .amount(settings.incrementalRelayFee.satoshisPerKilovirtualByte))
                object.append("localaddresses", .array([]))
                object.append("warnings", .array([]))
                return .object(object)
            },
            RPCMethod("getconnectioncount", category: "network", description: "Returns the number of connections to other nodes.",
                      result: "n (numeric) The connection count") { _ throws(RPCError) in
                .int(Int64(await directory?.peers().count ?? 0))
            },
            RPCMethod("getpeerinfo", category: "network", description: "Returns data about each connected network peer as a json array of objects.") { _ throws(RPCError) in
                .array((await directory?.peers() ?? []).sorted { $0.id < $1.id }.map { peer in
                    var object = JSONObject()
                    object.append("id", .int(Int64(peer.id)))
                    object.append("addr", .string(peer.address))
                    object.append("network", .string(peer.address.hasPrefix("[") ? "ipv6" : "ipv4"))
                    object.append("services", .string(hex(peer.services)))
                    object.append("servicesnames", .array(names(peer.services).map { .string($0) }))
                    object.append("relaytxes", .bool(peer.relaysTransactions))
                    object.append("bytessent", .int(Int64(peer.bytesSent)))
                    object.append("bytesrecv", .int(Int64(peer.bytesReceived)))
                    object.append("conntime", .int(peer.connectedTime))
                    if let ping = peer.pingTime { object.append("pingtime", .double(Double(ping) / 1_000)) }
                    if let ping = peer.minimumPing { object.append("minping", .double(Double(ping) / 1_000)) }
                    object.append("version", .int(Int64(peer.version)))
                    object.append("subver", .string(peer.userAgent))
                    object.append("inbound", .bool(peer.inbound))
                    object.append("startingheight", .int(Int64(peer.startingHeight)))
                    object.append("synced_headers", .int(Int64(peer.syncedHeaders)))
                    object.append("inflight", .array([]))
                    object.append("blocksinflight", .int(Int64(peer.blocksInFlight)))
                    object.append("minfeefilter", .amount(peer.feeFilter))
                    object.append("bytessent_per_msg", perMessage(peer.bytesSentPerMessage))
                    object.append("bytesrecv_per_msg", perMessage(peer.bytesReceivedPerMessage))
                    object.append("connection_type", .string(peer.connectionType))
                    object.append("transport_protocol_type", .string("v1"))
                    return .object(object)
                })
            },
            RPCMethod("getnettotals", category: "network",
                      description: "Returns information about network traffic, including bytes in, bytes out, and current system time.") { _ throws(RPCError) in
                let totals = directory?.totals() ?? (sent: 0, received: 0)
                return .object(JSONObject([
                    ("totalbytesrecv", .int(Int64(totals.received))), ("totalbytessent", .int(Int64(totals.sent))),
                    ("timemillis", .int(Int64(Date().timeIntervalSince1970 * 1_000))),
                    ("uploadtarget", .object(JSONObject([
                        ("timeframe", .int(86_400)), ("target", .int(0)), ("target_reached", .bool(false)),
                        ("serve_historical_blocks", .bool(true)), ("bytes_left_in_cycle", .int(0)), ("time_left_in_cycle", .int(0)),
                    ]))),
                ]))
            },
        ]
    }

    /// Core's per-message byte object: commands in order, zero counts left out.
    static func perMessage(_ counts: [String: Int]) -> JSONValue {
        .object(JSONObject(counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) }))
    }

    static func hex(_ services: UInt64) -> String {
        let digits = String(services, radix: 16)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }

    static func names(_ services: UInt64) -> [String] {
        serviceNames.filter { services & $0.bit != 0 }.map(\.name)
    }
}
