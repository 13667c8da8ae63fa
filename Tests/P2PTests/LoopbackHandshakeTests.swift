import ChainParams
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import P2P
@testable import P2PWire

/// Two peers over real TCP on 127.0.0.1: the codec and the connection handler complete the
/// handshake both ways and carry a message.
@Suite struct LoopbackHandshakeTests {
    /// A peer's events as a stream the test awaits.
    struct Events: Sendable {
        let stream: AsyncStream<PeerEvent>
        let continuation: AsyncStream<PeerEvent>.Continuation
        init() { (stream, continuation) = AsyncStream.makeStream() }
        func append(_ event: PeerEvent) { continuation.yield(event) }

        /// The next event, or nil after 10 seconds (a guard, not a wait: events come at once).
        func next() async -> PeerEvent? {
            await withTaskGroup(of: PeerEvent?.self) { group in
                group.addTask {
                    var iterator = stream.makeAsyncIterator()
                    return await iterator.next()
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(10))
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
        }
    }

    static func version(nonce: UInt64, agent: String) -> VersionMessage {
        VersionMessage(
            version: 70016, services: [.network, .witness, .rusty], time: Int64(Date().timeIntervalSince1970),
            receiver: NetworkAddress(services: [], ipv4: (127, 0, 0, 1), port: 0), sender: NetworkAddress(services: [], ipv4: (127, 0, 0, 1), port: 0),
            nonce: nonce, userAgent: agent, startHeight: 0, relay: true)
    }

    @Test func twoPeersShakeHandsOverTCP() async throws {
        let magic = ChainParams.regtest.magic
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let serverEvents = Events(), clientEvents = Events()
        /// Sets a connection up as a peer presenting `agent`, its events going to `events`.
        let peer = { @Sendable (channel: any Channel, direction: PeerHandshake.Direction, nonce: UInt64, agent: String, events: Events) in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addPeerHandlers(
                    magic: magic,
                    peer: PeerChannelHandler(
                        direction: direction, localVersion: Self.version(nonce: nonce, agent: agent), now: { Int64(Date().timeIntervalSince1970 * 1_000) }
                    ) { events.append($0) })
            }
        }
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { peer($0, .inbound, 1, "/server/", serverEvents) }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let client = try await ClientBootstrap(group: group)
            .channelInitializer { peer($0, .outbound, 2, "/client/", clientEvents) }
            .connect(host: "127.0.0.1", port: port).get()
        guard case let .established(seenByClient)? = await clientEvents.next(), case let .established(seenByServer)? = await serverEvents.next() else {
            Issue.record("handshake did not complete")
            return
        }
        #expect(seenByClient.userAgent == "/server/" && seenByServer.userAgent == "/client/")
        #expect(seenByClient.wtxidRelay && seenByServer.addressesV2 && seenByServer.services.contains(.rusty))
        // A message from the client arrives at the server's peer manager.
        try await client.writeAndFlush(Message.getAddresses)
        #expect(await serverEvents.next() == .message(.getAddresses))
        try await client.close()
        try await server.close()
        try await group.shutdownGracefully()
    }
}
