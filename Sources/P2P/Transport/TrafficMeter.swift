import Synchronization

/// Bytes one connection sent and received, by message command (Core's
/// `mapSendBytesPerMsgType`/`mapRecvBytesPerMsgType`; unknown commands count as `*other*`),
/// each figure also passed to `onRecord` (the node's totals and metrics).
public final class TrafficMeter: Sendable {
    public enum Direction: Sendable {
        case sent, received
    }

    public struct Totals: Equatable, Sendable {
        public var sent = 0
        public var received = 0
    }

    private let counts = Mutex<[String: Totals]>([:])
    private let onRecord: @Sendable (String, Int, Direction) -> Void

    public init(onRecord: @escaping @Sendable (String, Int, Direction) -> Void = { _, _, _ in }) {
        self.onRecord = onRecord
    }

    /// Counts a framed message (header included).
    public func record(_ command: String, bytes: Int, _ direction: Direction) {
        counts.withLock { counts in
            switch direction {
            case .sent: counts[command, default: Totals()].sent += bytes
            case .received: counts[command, default: Totals()].received += bytes
            }
        }
        onRecord(command, bytes, direction)
    }

    /// Bytes by command.
    public var byCommand: [String: Totals] { counts.withLock { $0 } }

    /// Bytes in all.
    public var totals: Totals {
        counts.withLock { $0.values.reduce(into: Totals()) { $0.sent += $1.sent; $0.received += $1.received } }
    }
}
