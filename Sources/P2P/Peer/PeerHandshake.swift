import P2PWire

/// The version handshake of one connection, as Bitcoin Core runs it, without I/O: the caller
/// feeds it what arrives and the clock, and carries out the actions it returns.
///
/// Outbound connections speak first. On the peer's `version` the node answers (inbound) with
/// its own, signals `wtxidrelay` (BIP339) and `sendaddrv2` (BIP155) to peers of version 70016
/// or later, and sends `verack`; the handshake is complete at the peer's `verack`. As Core:
/// messages before `version` and repeated `version`s are ignored; versions below 31800,
/// connections to ourselves, and `wtxidrelay`/`sendaddrv2` after `verack` end the connection;
/// so does a handshake not finished within the timeout (60 s, Core's `-peertimeout`).
public struct PeerHandshake: Sendable {
    public enum Direction: Sendable { case inbound, outbound }

    /// Core's `MIN_PEER_PROTO_VERSION`, `WTXID_RELAY_VERSION`, and its own version.
    public static let minimumVersion: Int32 = 31_800
    public static let wtxidRelayVersion: Int32 = 70_016
    public static let protocolVersion: Int32 = 70_016
    public static let timeoutSeconds: Int64 = 60

    enum State: Equatable, Sendable {
        case awaitingVersion
        case awaitingVerack
        case established
        case closed
    }

    public let direction: Direction
    /// The `version` this node sends.
    public let localVersion: VersionMessage
    private(set) var state = State.awaitingVersion
    private var peer: PeerVersion?
    private let deadline: Int64

    /// A handshake begun at `now` (Unix seconds).
    public init(direction: Direction, localVersion: VersionMessage, now: Int64) {
        self.direction = direction
        self.localVersion = localVersion
        deadline = now + Self.timeoutSeconds
    }

    public var isEstablished: Bool { state == .established }

    /// What to do on connecting: an outbound connection sends its `version` first.
    public func start() -> [PeerAction] {
        direction == .outbound ? [.send(.version(localVersion))] : []
    }

    /// What to do about a message from the peer.
    public mutating func received(_ message: Message) -> [PeerAction] {
        switch (state, message) {
        case (.closed, _):
            return []
        case let (.awaitingVersion, .version(version)):
            return receivedVersion(version)
        case (.awaitingVersion, _), (_, .version):
            // Core: ignored before the version, and a repeated version is ignored too.
            return []
        case (.awaitingVerack, .wtxidRelay):
            let version = peer?.version ?? 0
            peer?.wtxidRelay = version >= Self.wtxidRelayVersion
            return []
        case (.awaitingVerack, .sendAddrV2):
            peer?.addressesV2 = true
            return []
        case (.awaitingVerack, .verack):
            guard let peer else { return [] }
            state = .established
            return [.completed(peer)]
        case (.established, .wtxidRelay):
            return close("wtxidrelay received after verack")
        case (.established, .sendAddrV2):
            return close("sendaddrv2 received after verack")
        default:
            return []
        }
    }

    /// What to do at `now`: nothing, or disconnect when the handshake took too long.
    public mutating func tick(now: Int64) -> [PeerAction] {
        guard state == .awaitingVersion || state == .awaitingVerack, now >= deadline else { return [] }
        return close("version handshake timeout")
    }

    private mutating func receivedVersion(_ version: VersionMessage) -> [PeerAction] {
        if version.version < Self.minimumVersion { return close("peer using obsolete version \(version.version)") }
        if direction == .inbound && version.nonce == localVersion.nonce && version.nonce != 0 { return close("connected to self") }
        peer = PeerVersion(
            version: version.version, services: version.services, userAgent: version.userAgent, startHeight: version.startHeight,
            relay: version.relay, wtxidRelay: false, addressesV2: false)
        state = .awaitingVerack
        var actions: [PeerAction] = direction == .inbound ? [.send(.version(localVersion))] : []
        if min(version.version, localVersion.version) >= Self.wtxidRelayVersion {
            actions += [.send(.wtxidRelay), .send(.sendAddrV2)]
        }
        return actions + [.send(.verack)]
    }

    private mutating func close(_ reason: String) -> [PeerAction] {
        state = .closed
        return [.disconnect(reason: reason)]
    }
}
