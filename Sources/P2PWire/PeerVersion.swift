/// What a peer told about itself during the handshake (`version`, and `wtxidrelay` /
/// `sendaddrv2` before `verack`).
public struct PeerVersion: Equatable, Sendable {
    public var version: Int32
    public var services: ServiceFlags
    public var userAgent: String
    public var startHeight: Int32
    /// Whether it wants transaction announcements (`version`'s relay flag).
    public var relay: Bool
    /// It announces and fetches transactions by wtxid (BIP339).
    public var wtxidRelay: Bool
    /// It wants `addrv2` (BIP155).
    public var addressesV2: Bool

    public init(
        version: Int32, services: ServiceFlags, userAgent: String, startHeight: Int32, relay: Bool, wtxidRelay: Bool, addressesV2: Bool
    ) {
        self.version = version
        self.services = services
        self.userAgent = userAgent
        self.startHeight = startHeight
        self.relay = relay
        self.wtxidRelay = wtxidRelay
        self.addressesV2 = addressesV2
    }
}
