/// An extra HTTP endpoint served next to JSON-RPC on the RPC port (e.g. `/metrics`,
/// `/health`). Routes are matched in order before the JSON-RPC endpoints.
public struct HTTPRoute: Sendable {
    /// How the request path is matched.
    public enum PathMatch: Sendable, Hashable {
        /// The path equals the string.
        case exact(String)
        /// The path starts with the string.
        case prefix(String)

        func matches(_ path: String) -> Bool {
            switch self {
            case let .exact(expected): path == expected
            case let .prefix(start): path.hasPrefix(start)
            }
        }
    }

    /// The handler: it gets the request and returns the response.
    public typealias Handler = @Sendable (HTTPRouteRequest) async -> HTTPRouteResponse

    /// The HTTP method (`GET`, `POST`, …).
    public var method: String
    /// The path to match (without the query string).
    public var path: PathMatch
    /// Whether the request needs the same Basic credentials as JSON-RPC (401 otherwise).
    public var requiresAuthentication: Bool
    /// The handler.
    public var handler: Handler

    /// A route.
    public init(method: String = "GET", path: PathMatch, requiresAuthentication: Bool, handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.requiresAuthentication = requiresAuthentication
        self.handler = handler
    }
}

/// A request as a route handler sees it.
public struct HTTPRouteRequest: Sendable {
    /// The HTTP method.
    public var method: String
    /// The full request target, e.g. `/metrics?x=1`.
    public var uri: String
    /// The path part of ``uri``.
    public var path: String
    /// The headers in order, names as sent.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: [UInt8]
    /// The authenticated user, when the route requires authentication.
    public var user: String?
    /// The peer's address.
    public var peerAddress: String?

    /// The first value of the header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A route handler's response.
public struct HTTPRouteResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Extra headers (Content-Length and Connection are set by the server).
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: [UInt8]

    /// A response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A `text/plain` (or `contentType`) response.
    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8")
        -> HTTPRouteResponse
    {
        HTTPRouteResponse(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }
}
