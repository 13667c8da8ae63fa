import ChainParams
import Testing
@testable import P2P
@testable import P2PWire

/// The version handshake and keep-alive without I/O, in Bitcoin Core's order and with its
/// refusals.
@Suite struct PeerHandshakeTests {
    func version(_ number: Int32 = 70016, nonce: UInt64 = 1, relay: Bool = true) -> VersionMessage {
        VersionMessage(
            version: number, services: [.network, .witness], time: 1_700_000_000,
            receiver: NetworkAddress(services: [], ipv4: (127, 0, 0, 1), port: 18444),
            sender: NetworkAddress(services: [], ipv4: (127, 0, 0, 1), port: 18444), nonce: nonce, userAgent: "/test:1/", startHeight: 5,
            relay: relay)
    }

    @Test func outboundSpeaksFirstAndCompletesOnVerack() {
        let local = version(nonce: 42)
        var handshake = PeerHandshake(direction: .outbound, localVersion: local, now: 0)
        #expect(handshake.start() == [.send(.version(local))])
        #expect(handshake.received(.verack).isEmpty, "a verack before the version is ignored")
        #expect(handshake.received(.version(version(nonce: 7))) == [.send(.wtxidRelay), .send(.sendAddrV2), .send(.verack)])
        #expect(handshake.received(.wtxidRelay).isEmpty && handshake.received(.sendAddrV2).isEmpty)
        let completed = handshake.received(.verack)
        guard case let .completed(peer)? = completed.first else {
            Issue.record("not completed: \(completed)")
            return
        }
        #expect(peer.wtxidRelay && peer.addressesV2 && peer.userAgent == "/test:1/" && peer.startHeight == 5 && handshake.isEstablished)
        // Negotiation after verack ends the connection, as Core.
        #expect(handshake.received(.wtxidRelay) == [.disconnect(reason: "wtxidrelay received after verack")])
    }

    @Test func inboundAnswersAndOlderPeersGetNoBIP339() {
        let local = version(nonce: 42)
        var handshake = PeerHandshake(direction: .inbound, localVersion: local, now: 0)
        #expect(handshake.start().isEmpty)
        #expect(handshake.received(.ping(nonce: 1)).isEmpty, "nothing before the version")
        #expect(handshake.received(.version(version(70015, nonce: 9))) == [.send(.version(local)), .send(.verack)])
        #expect(handshake.received(.version(version(nonce: 10))).isEmpty, "a repeated version is ignored")
        guard case let .completed(peer)? = handshake.received(.verack).first else {
            Issue.record("not completed")
            return
        }
        #expect(!peer.wtxidRelay && !peer.addressesV2 && peer.version == 70015)
    }

    @Test func refusesObsoleteSelfAndSlowPeers() {
        var obsolete = PeerHandshake(direction: .inbound, localVersion: version(nonce: 42), now: 0)
        #expect(obsolete.received(.version(version(31_799))) == [.disconnect(reason: "peer using obsolete version 31799")])
        var mirror = PeerHandshake(direction: .inbound, localVersion: version(nonce: 42), now: 0)
        #expect(mirror.received(.version(version(nonce: 42))) == [.disconnect(reason: "connected to self")])
        var slow = PeerHandshake(direction: .outbound, localVersion: version(nonce: 42), now: 100)
        #expect(slow.tick(now: 159).isEmpty)
        #expect(slow.tick(now: 160) == [.disconnect(reason: "version handshake timeout")])
        #expect(slow.received(.version(version())).isEmpty, "closed: nothing more")
    }

    @Test func pingsKeepTheConnectionAndMeasureIt() {
        var pings = PingTracker()
        #expect(pings.received(.ping(nonce: 5), now: 0) == [.send(.pong(nonce: 5))])
        #expect(pings.tick(now: 0, nonce: 77) == [.send(.ping(nonce: 77))])
        #expect(pings.tick(now: 200_000, nonce: 78).isEmpty, "one ping outstanding at a time")
        #expect(pings.received(.pong(nonce: 76), now: 3_000).isEmpty && pings.roundTrip == nil, "a wrong nonce is ignored")
        #expect(pings.received(.pong(nonce: 77), now: 3_250) == [.measured(roundTrip: 3_250)])
        #expect(pings.roundTrip == 3_250)
        #expect(pings.tick(now: 119_999, nonce: 80).isEmpty && pings.tick(now: 120_000, nonce: 80) == [.send(.ping(nonce: 80))])
        #expect(pings.tick(now: 120_000 + 20 * 60_000, nonce: 81) == [.disconnect(reason: "ping timeout")])
    }
}
