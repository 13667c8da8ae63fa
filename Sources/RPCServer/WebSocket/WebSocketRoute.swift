/// A WebSocket endpoint on the RPC port (e.g. `/ws`): the server upgrades requests for `path`
/// that carry the JSON-RPC credentials (a plain or unauthenticated request gets the HTTP
/// answer: 426 or 401) and gives each connection a session from `open`.
public struct WebSocketRoute: Sendable {
    /// The request path (exact).
    public var path: String
    /// Bytes of messages queued for a slow client; beyond it new messages are dropped (the
    /// session learns it from `WebSocketConnection.send`), never the node slowed down.
    public var maxQueuedBytes: Int
    /// The largest message the client may send (fragments together).
    public var maxIncomingMessageBytes: Int
    /// Makes the session of a new connection.
    public var open: @Sendable (WebSocketConnection) -> any WebSocketSession

    public init(
        path: String, maxQueuedBytes: Int = 64 << 20, maxIncomingMessageBytes: Int = 64 << 10,
        open: @escaping @Sendable (WebSocketConnection) -> any WebSocketSession
    ) {
        self.path = path
        self.maxQueuedBytes = maxQueuedBytes
        self.maxIncomingMessageBytes = maxIncomingMessageBytes
        self.open = open
    }
}

/// What a WebSocket connection's owner does with it: the text messages the client sends, in
/// order, and the end.
public protocol WebSocketSession: Sendable {
    /// A complete text message from the client.
    func received(_ text: String) async
    /// The connection closed (either side); no more messages go out.
    func closed() async
}
