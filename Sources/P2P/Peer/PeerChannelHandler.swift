import ByteCodec
import NIOCore
import P2PWire

/// What happens on a peer connection, for whoever manages peers.
public enum PeerEvent: Equatable, Sendable {
    /// The handshake completed.
    case established(PeerVersion)
    /// A message after the handshake (pings and pongs are handled here).
    case message(Message)
    /// The connection is closing, and why; `misbehaving` when the peer broke the protocol (a
    /// malformed, oversize or corrupt message), not when the link failed or a rule of ours did.
    case closed(reason: String, misbehaving: Bool)
    /// A ping was answered after this many milliseconds.
    case pingMeasured(milliseconds: Int64)
    /// What was queued for the peer drained below the low-water mark: more may be sent.
    case writable
}

/// Runs one peer connection on its channel: the handshake, then keep-alive pings, handing
/// everything else to `onEvent`. Sits after the message codec; checks its timers once a second.
/// Any failure of the stream (a broken message) closes the connection with the reason. A
/// `PingRequest` user event sends a ping at once.
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

    /// Fire this inbound user event on the channel to ping the peer now (the `ping` RPC).
    public struct PingRequest: Sendable {
        public init() {}
    }

    /// A connection in `direction`, presenting `localVersion`; `now` gives Unix milliseconds and
    /// `nonce` random ping nonces (both injected for tests).
    public init(
        direction: PeerHandshake.Direction, localVersion: VersionMessage, now: @escaping @Sendable () -> Int64,
        nonce: @escaping @Sendable () -> UInt64 = { UInt64.random(in: 1...UInt64.max) }, onEvent: @escaping @Sendable (PeerEvent) -> Void
    ) {
        handshake = PeerHandshake(direction: direction, localVersion: localVersion, now: now() / 1_000)
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
        finish(reason: "connection closed", misbehaving: false)
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
        close(reason: "\(error)", misbehaving: error is MessageFramer.Failure || error is DecodingError, context: context)
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is PingRequest, handshake.isEstablished, !closed {
            perform(pings.pingNow(now: now(), nonce: nonce()), context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func tick(context: ChannelHandlerContext) {
        guard !closed else { return }
        perform(handshake.tick(now: now() / 1_000), context: context)
        if handshake.isEstablished { perform(pings.tick(now: now(), nonce: nonce()), context: context) }
    }

    private func perform(_ actions: [PeerAction], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case let .send(message): context.writeAndFlush(wrapOutboundOut(message), promise: nil)
            case let .completed(peer): onEvent(.established(peer))
            case let .disconnect(reason): close(reason: reason, misbehaving: false, context: context)
            case let .measured(roundTrip): onEvent(.pingMeasured(milliseconds: roundTrip))
            }
        }
    }

    private func close(reason: String, misbehaving: Bool, context: ChannelHandlerContext) {
        finish(reason: reason, misbehaving: misbehaving)
        context.close(promise: nil)
    }

    private func finish(reason: String, misbehaving: Bool) {
        guard !closed else { return }
        closed = true
        timer?.cancel()
        onEvent(.closed(reason: reason, misbehaving: misbehaving))
    }
}
