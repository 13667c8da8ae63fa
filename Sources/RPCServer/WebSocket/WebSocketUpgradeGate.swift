import NIOCore
import NIOHTTP1

/// Lets only acceptable WebSocket upgrade requests reach the upgrader: from any other request
/// it takes the `Upgrade` header, so the request is answered as plain HTTP (403, 401, 404 or
/// 426) instead of being consumed by a refused upgrade.
final class WebSocketUpgradeGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let mayUpgrade: @Sendable (HTTPRequestHead, _ peer: String?) -> Bool

    init(mayUpgrade: @escaping @Sendable (HTTPRequestHead, _ peer: String?) -> Bool) {
        self.mayUpgrade = mayUpgrade
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case var .head(head) = unwrapInboundIn(data), head.headers.contains(name: "upgrade"),
            !mayUpgrade(head, context.channel.remoteAddress?.ipAddress)
        {
            head.headers.remove(name: "upgrade")
            context.fireChannelRead(wrapInboundOut(.head(head)))
            return
        }
        context.fireChannelRead(data)
    }
}
