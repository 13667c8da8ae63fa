import P2PWire

/// What a peer state machine (`PeerHandshake`, `PingTracker`) asks its caller to do.
public enum PeerAction: Equatable, Sendable {
    case send(Message)
    case disconnect(reason: String)
    /// The handshake is done; what the peer is.
    case completed(PeerVersion)
    /// A ping was answered after this many milliseconds.
    case measured(roundTrip: Int64)
}
