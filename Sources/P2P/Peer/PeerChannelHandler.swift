import NIOCore
import P2PWire

/// What happens on a peer connection, for whoever manages peers.
public enum PeerEvent: Equatable, Sendable {
    /// The handshake completed.
    case established(PeerVersion)
    /// A message after the handshake (pings and pongs are handled here).
    case message(Message)
    /// The connection is closing, and why.
    case closed(reason: String)
    /// What was queued for the peer drained below the low-water mark: more may be sent.
    case writable
}

/// Runs one peer connection on its channel: the handshake, then keep-alive pings, handing
/// everything else to `onEvent`. Sits after the message codec; checks its timers once a second.
/// Any failure of the stream (a broken message) closes the connection with the reason.
public final class PeerChannelHandler: ChannelDuplexHandler, @unchecked Sendable {
    // @unchecked: all state is touched only on the channel's event loop.
    public typealias InboundIn = Message
    public typealias OutboundIn = Message
    public typealias OutboundOut = Message

    private var handshake: PeerHandshake
    private var pings = PingTracker()
    private let now: @Sendable () -> Int64
    private let nonce: @Sendable () -> UInt64
    private let onEvent: @Sendable (PeerEvent) -> Void
    private var timer: RepeatedTask?
    private var closed = false

    /// A connection in `direction`, presenting `localVersion`; `now` gives Unix seconds and
    /// `nonce` random ping nonces (both injected for tests).
    public init(
        direction: PeerHandshake.Direction, localVersion: VersionMessage, now: @escaping @Sendable () -> Int64,
        nonce: @escaping @Sendable () -> UInt64 = { UInt64.random(in: 1...UInt64.max) }, onEvent: @escaping @Sendable (PeerEvent) -> Void
    ) {
        handshake = PeerHandshake(direction: direction, localVersion: localVersion, now: now())
        self.now = now
        self.nonce = nonce
        self.onEvent = onEvent
    }

    public func channelActive(context: ChannelHandlerContext) {
        perform(handshake.start(), context: context)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
            let (handler, context) = loopBound.value
            handler.tick(context: context)
        }
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        finish(reason: "connection closed")
        context.fireChannelInactive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard handshake.isEstablished else {
            perform(handshake.received(message), context: context)
            return
        }
        switch message {
        case .ping, .pong: perform(pings.received(message, now: now()), context: context)
        default:
            let actions = handshake.received(message)
            if actions.isEmpty { onEvent(.message(message)) } else { perform(actions, context: context) }
        }
    }

    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable && handshake.isEstablished { onEvent(.writable) }
        context.fireChannelWritabilityChanged()
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close(reason: "\(error)", context: context)
    }

    private func tick(context: ChannelHandlerContext) {
        guard !closed else { return }
        perform(handshake.tick(now: now()), context: context)
        if handshake.isEstablished { perform(pings.tick(now: now(), nonce: nonce()), context: context) }
    }

    private func perform(_ actions: [PeerAction], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case let .send(message): context.writeAndFlush(wrapOutboundOut(message), promise: nil)
            case let .completed(peer): onEvent(.established(peer))
            case let .disconnect(reason): close(reason: reason, context: context)
            }
        }
    }

    private func close(reason: String, context: ChannelHandlerContext) {
        finish(reason: reason)
        context.close(promise: nil)
    }

    private func finish(reason: String) {
        guard !closed else { return }
        closed = true
        timer?.cancel()
        onEvent(.closed(reason: reason))
    }
}
