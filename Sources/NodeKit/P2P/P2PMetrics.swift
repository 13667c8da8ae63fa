import Metrics
import P2P
import Synchronization

/// The P2P figures on `/metrics`: peers by direction and connection type, bytes by message
/// command, misbehaviour disconnects, blocks and header requests in flight (sync progress itself
/// is the chain's `rustyd_header_height`, `rustyd_block_height` and `rustyd_verification_progress`).
enum P2PMetrics {
    private static let byteCounters = Mutex<[String: Counter]>([:])

    /// Counts a message's bytes (commands are a bounded set: unknown ones are `*other*`).
    static func record(_ command: String, bytes: Int, _ direction: TrafficMeter.Direction) {
        let name = direction == .sent ? "sent" : "received"
        let counter = byteCounters.withLock { counters in
            if let known = counters[name + command] { return known }
            let made = Counter(label: "rustyd_p2p_bytes_total", dimensions: [("direction", name), ("command", command)])
            counters[name + command] = made
            return made
        }
        counter.increment(by: bytes)
    }

    static func misbehaviourDisconnect() {
        Counter(label: "rustyd_p2p_misbehaviour_disconnects_total").increment()
    }

    /// Sets the peer gauges from the open connections.
    static func peers(_ connections: [PeerRegistry.Connection]) {
        for type in PeerRegistry.ConnectionType.allCases {
            let count = connections.count { $0.type == type }
            Gauge(label: "rustyd_p2p_peers", dimensions: [("direction", type == .inbound ? "inbound" : "outbound"), ("type", type.rawValue)]).record(count)
        }
    }

    static func inFlight(blocks: Int, headerRequests: Int) {
        Gauge(label: "rustyd_p2p_blocks_in_flight").record(blocks)
        Gauge(label: "rustyd_p2p_header_requests_in_flight").record(headerRequests)
    }
}
