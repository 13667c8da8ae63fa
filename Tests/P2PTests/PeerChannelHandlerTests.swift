import ChainCrypto
import NIOCore
import NIOEmbedded
import Synchronization
import Testing
@testable import P2P
@testable import P2PWire

/// A peer connection on an `EmbeddedChannel` with a controlled clock: the handshake through the
/// channel, events for the peer manager, pings on the timer, and the ways a connection ends.
@Suite struct PeerChannelHandlerTests {
    final class Recorder: Sendable {
        let events = Mutex<[PeerEvent]>([])
        let clock = Mutex<Int64>(1_000)
        func take() -> [PeerEvent] {
            events.withLock { events in
                defer { events.removeAll() }
                return events
            }
        }
    }

    func version(nonce: UInt64) -> VersionMessage {
        VersionMessage(
            version: 70016, services: [.network, .witness], time: 1_700_000_000,
            receiver: NetworkAddress(services: [], ipv4: (127, 0, 0, 1), port: 18444),
            sender: NetworkAddress(services: [], ipv4: (127, 0, 0, 1), port: 18444), nonce: nonce, userAgent: "/peer:1/", startHeight: 0,
            relay: true)
    }

    func connect(_ recorder: Recorder, direction: PeerHandshake.Direction) throws -> EmbeddedChannel {
        let handler = PeerChannelHandler(
            direction: direction, localVersion: version(nonce: 42), now: { recorder.clock.withLock { $0 } * 1_000 }, nonce: { 99 },
            onEvent: { event in recorder.events.withLock { $0.append(event) } })
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 18444)).wait()
        return channel
    }

    func outbound(_ channel: EmbeddedChannel) throws -> [Message] {
        var messages: [Message] = []
        while let message = try channel.readOutbound(as: Message.self) { messages.append(message) }
        return messages
    }

    func advance(_ channel: EmbeddedChannel, _ recorder: Recorder, seconds: Int64) {
        for _ in 0..<seconds {
            recorder.clock.withLock { $0 += 1 }
            channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        }
    }

    @Test func handshakeThenMessagesAndPings() throws {
        let recorder = Recorder()
        let channel = try connect(recorder, direction: .outbound)
        #expect(try outbound(channel) == [.version(version(nonce: 42))])
        try channel.writeInbound(Message.version(version(nonce: 7)))
        #expect(try outbound(channel) == [.wtxidRelay, .sendAddrV2, .verack])
        try channel.writeInbound(Message.wtxidRelay)
        try channel.writeInbound(Message.verack)
        guard case let .established(peer)? = recorder.take().first else {
            Issue.record("not established")
            return
        }
        #expect(peer.wtxidRelay && peer.userAgent == "/peer:1/")
        let inventory = Message.inventory([InventoryItem(kind: .witnessTransactionID, hash: Hashing.sha256d([1]))])
        try channel.writeInbound(inventory)
        #expect(recorder.take() == [.message(inventory)])
        // Pings are answered here, not passed on; our own go out on the timer.
        try channel.writeInbound(Message.ping(nonce: 5))
        #expect(try outbound(channel) == [.pong(nonce: 5)] && recorder.take().isEmpty)
        advance(channel, recorder, seconds: 1)
        #expect(try outbound(channel) == [.ping(nonce: 99)])
        advance(channel, recorder, seconds: 2)
        try channel.writeInbound(Message.pong(nonce: 99))
        #expect(recorder.take() == [.pingMeasured(milliseconds: 2_000)])
        advance(channel, recorder, seconds: 117)
        #expect(try outbound(channel).isEmpty)
        advance(channel, recorder, seconds: 1)
        #expect(try outbound(channel) == [.ping(nonce: 99)])
        // The ping RPC's request sends one at once.
        channel.pipeline.fireUserInboundEventTriggered(PeerChannelHandler.PingRequest())
        #expect(try outbound(channel) == [.ping(nonce: 99)])
        // Negotiation after verack: disconnected, with the reason.
        try channel.writeInbound(Message.sendAddrV2)
        #expect(recorder.take() == [.closed(reason: "sendaddrv2 received after verack", misbehaving: false)])
        #expect(!channel.isActive)
    }

    @Test func aSilentPeerIsDroppedAfterTheHandshakeTimeout() throws {
        let recorder = Recorder()
        let channel = try connect(recorder, direction: .inbound)
        #expect(try outbound(channel).isEmpty)
        advance(channel, recorder, seconds: 59)
        #expect(channel.isActive && recorder.take().isEmpty)
        advance(channel, recorder, seconds: 1)
        #expect(recorder.take() == [.closed(reason: "version handshake timeout", misbehaving: false)] && !channel.isActive)
    }

    @Test func aBrokenStreamOrAHangUpEndsTheConnectionOnce() throws {
        let recorder = Recorder()
        let channel = try connect(recorder, direction: .inbound)
        channel.pipeline.fireErrorCaught(MessageFramer.Failure.badChecksum(command: "tx"))
        #expect(recorder.take() == [.closed(reason: "badChecksum(command: \"tx\")", misbehaving: true)] && !channel.isActive)
        let other = Recorder()
        let hungUp = try connect(other, direction: .outbound)
        _ = try hungUp.finish()
        #expect(other.take() == [.closed(reason: "connection closed", misbehaving: false)])
    }
}
