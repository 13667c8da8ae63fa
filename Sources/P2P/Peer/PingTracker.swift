import P2PWire

/// Keeps a connection alive and measures it, as Core: a `ping` with a fresh nonce every two
/// minutes when none is outstanding, the round trip taken from the matching `pong` (others are
/// ignored), and the connection given up after 20 minutes without an answer. Pings from the
/// peer are answered; the `ping` RPC sends one at once. Times are milliseconds.
public struct PingTracker: Sendable {
    public static let interval: Int64 = 120_000
    public static let timeout: Int64 = 20 * 60_000

    private var outstanding: (nonce: UInt64, sentAt: Int64)?
    private var lastSent: Int64?
    /// The last measured round trip (ms).
    public private(set) var roundTrip: Int64?

    public init() {}

    /// What to do at `now`; `nonce` is a fresh random number for a new ping.
    public mutating func tick(now: Int64, nonce: UInt64) -> [PeerAction] {
        if let outstanding, now - outstanding.sentAt >= Self.timeout { return [.disconnect(reason: "ping timeout")] }
        guard outstanding == nil, lastSent.map({ now - $0 >= Self.interval }) ?? true else { return [] }
        return pingNow(now: now, nonce: nonce)
    }

    /// A ping now, replacing any outstanding one (Core's `ping` RPC).
    public mutating func pingNow(now: Int64, nonce: UInt64) -> [PeerAction] {
        let nonce = nonce == 0 ? 1 : nonce
        outstanding = (nonce, now)
        lastSent = now
        return [.send(.ping(nonce: nonce))]
    }

    /// What to do about a `ping` or `pong` from the peer.
    public mutating func received(_ message: Message, now: Int64) -> [PeerAction] {
        switch message {
        case let .ping(nonce):
            return [.send(.pong(nonce: nonce))]
        case let .pong(nonce):
            guard let outstanding, outstanding.nonce == nonce else { return [] }
            roundTrip = now - outstanding.sentAt
            self.outstanding = nil
            return [.measured(roundTrip: now - outstanding.sentAt)]
        default:
            return []
        }
    }
}
