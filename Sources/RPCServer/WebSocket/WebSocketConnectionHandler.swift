import Logging
import NIOCore
import NIOWebSocket

/// Serves one upgraded WebSocket connection: whole text messages go to the route's session in
/// order; pings are answered; binary data and protocol errors close the connection; queued
/// messages are written as the client takes them.
struct WebSocketConnectionHandler: Sendable {
    typealias Channel = NIOAsyncChannel<WebSocketFrame, WebSocketFrame>

    let route: WebSocketRoute
    let tracker: ConnectionTracker
    let logger: Logger

    func serve(_ channel: Channel, user: String, peer: String) async {
        guard let id = tracker.register(channel.channel) else {
            try? await channel.executeThenClose { _, _ in }
            return
        }
        defer { tracker.remove(id) }
        let connection = WebSocketConnection(user: user, peerAddress: peer, maxQueuedBytes: route.maxQueuedBytes)
        let session = route.open(connection)
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await Self.write(connection, to: outbound) }
                    var closing = false
                    for try await frame in inbound {
                        closing = await handle(frame, connection: connection, session: session)
                        if closing { break }
                    }
                    // A close frame queued: the writer sends it, then stops; otherwise stop it now.
                    if !closing { connection.finish() }
                }
            }
        } catch {
            logger.debug("WebSocket connection ended", metadata: ["peer": "\(peer)", "error": "\(error)"])
        }
        connection.finish()
        await session.closed()
    }

    /// Acts on one frame from the client; returns whether a close frame was queued (then no
    /// more is read).
    private func handle(_ frame: WebSocketFrame, connection: WebSocketConnection, session: any WebSocketSession) async -> Bool {
        switch frame.opcode {
        case .text:
            var data = frame.unmaskedData
            if let text = data.readString(length: data.readableBytes) { await session.received(text) }
            return false
        case .ping:
            var data = frame.unmaskedData
            connection.sendControl(.pong(data.readBytes(length: data.readableBytes) ?? []))
            return false
        case .connectionClose:
            connection.sendControl(.close(code: 1000))
            return true
        case .binary:
            // Unsupported data (RFC 6455 status 1003).
            connection.sendControl(.close(code: 1003))
            return true
        default:
            return false
        }
    }

    /// Writes queued messages until the connection finishes or a close frame went out.
    private static func write(_ connection: WebSocketConnection, to outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>) async throws {
        while let item = await connection.next() {
            switch item {
            case let .text(text):
                try await outbound.write(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text)))
            case let .pong(bytes):
                try await outbound.write(WebSocketFrame(fin: true, opcode: .pong, data: ByteBuffer(bytes: bytes)))
            case let .close(code):
                var data = ByteBuffer()
                data.writeInteger(code)
                try await outbound.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))
                connection.finish()
                return
            }
        }
    }
}
