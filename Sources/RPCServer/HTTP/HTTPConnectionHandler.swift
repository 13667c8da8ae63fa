import IPAddressing
import JSONRPC
import Logging
import NIOCore
import NIOHTTP1

/// Serves the requests of one connection in order (so pipelined requests are answered in
/// order): bounds the head and the body, checks the allow-list and credentials, and routes to
/// the extra routes or to JSON-RPC at `/` and `/wallet/<name>`.
struct HTTPConnectionHandler: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    let configuration: RPCServerConfiguration
    let dispatcher: RPCDispatcher
    let routes: [HTTPRoute]
    let authenticator: RPCAuthenticator
    let tracker: ConnectionTracker
    let logger: Logger

    /// A response before framing headers are added.
    struct Response {
        var status: Int
        var headers: [(name: String, value: String)] = []
        var body: [UInt8] = []
    }

    /// The most of an oversized body read and thrown away before closing, so the client can
    /// read the 413 instead of a connection reset.
    private static let lingerLimit = 4 << 20

    func serve(_ connection: Connection) async {
        guard let id = tracker.register(connection.channel) else {
            // Shutting down: close through the async channel so its writer is finished.
            try? await connection.executeThenClose { _, _ in }
            return
        }
        defer { tracker.remove(id) }
        let peer = connection.channel.remoteAddress?.ipAddress
        do {
            try await connection.executeThenClose { inbound, outbound in
                var requests = inbound.makeAsyncIterator()
                while let part = try await requests.next() {
                    guard case let .head(head) = part else { continue }
                    _ = tracker.setBusy(id, true)
                    let keepAlive = try await serveRequest(head, requests: &requests, outbound: outbound, peer: peer)
                    let shuttingDown = tracker.setBusy(id, false)
                    if !keepAlive || shuttingDown { return }
                }
            }
        } catch {
            logger.debug("RPC connection ended", metadata: ["peer": "\(peer ?? "?")", "error": "\(error)"])
        }
    }

    /// Reads the body of the request that starts with `head`, answers it, and returns whether
    /// the connection stays open.
    private func serveRequest(
        _ head: HTTPRequestHead,
        requests: inout NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, peer: String?
    ) async throws -> Bool {
        let headSize = head.uri.utf8.count + head.headers.reduce(16) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
        if headSize > configuration.maxHeaderSize {
            try await write(Response(status: 431), for: head, keepAlive: false, to: outbound)
            return false
        }
        let expectsContinue = head.headers["expect"].contains { $0.lowercased() == "100-continue" }
        if let length = head.headers["content-length"].first.flatMap({ Int($0) }), length > configuration.maxBodySize {
            try await write(Response(status: 413), for: head, keepAlive: false, to: outbound)
            if !expectsContinue { try await discardBody(&requests) }
            return false
        }
        if expectsContinue {
            try await outbound.write(.head(HTTPResponseHead(version: head.version, status: .continue)))
        }
        var body: [UInt8] = []
        reading: while true {
            guard let part = try await requests.next() else { return false }
            switch part {
            case var .body(buffer):
                guard body.count + buffer.readableBytes <= configuration.maxBodySize else {
                    try await write(Response(status: 413), for: head, keepAlive: false, to: outbound)
                    try await discardBody(&requests)
                    return false
                }
                body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
            case .end: break reading
            case .head: return false
            }
        }
        let response = await respond(to: head, body: body, peer: peer)
        let keepAlive = head.isKeepAlive && !tracker.isShuttingDown
        try await write(response, for: head, keepAlive: keepAlive, to: outbound)
        return keepAlive
    }

    /// Reads and drops the rest of a refused request body, up to a limit.
    private func discardBody(
        _ requests: inout NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator
    ) async throws {
        var discarded = 0
        while discarded < Self.lingerLimit, let part = try await requests.next() {
            switch part {
            case let .body(buffer): discarded += buffer.readableBytes
            case .end, .head: return
            }
        }
    }

    // MARK: Routing

    func respond(to head: HTTPRequestHead, body: [UInt8], peer: String?) async -> Response {
        guard let peer, configuration.allowedSubnets.contains(where: { $0.contains(peer) }) else {
            logger.debug("HTTP request from \(peer ?? "?") rejected: address not allowed by -rpcallowip")
            return Response(status: 403)
        }
        let path = String(head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        let method = head.method.rawValue
        if let route = routes.first(where: { $0.method == method && $0.path.matches(path) }) {
            var user: String?
            if route.requiresAuthentication {
                switch await authenticate(head, peer: peer) {
                case let .success(name): user = name
                case let .failure(refusal): return refusal
                }
            }
            let request = HTTPRouteRequest(
                method: method, uri: head.uri, path: path, headers: head.headers.map { ($0.name, $0.value) },
                body: body, user: user, peerAddress: peer)
            let response = await route.handler(request)
            return Response(status: response.status, headers: response.headers, body: response.body)
        }
        if head.uri == "/" || head.uri.hasPrefix("/wallet/") {
            return await respondJSONRPC(to: head, body: body, peer: peer)
        }
        return Response(status: 404)
    }

    private func respondJSONRPC(to head: HTTPRequestHead, body: [UInt8], peer: String) async -> Response {
        guard head.method == .POST else {
            return Response(status: 405, body: Array("JSONRPC server handles only POST requests".utf8))
        }
        let user: String
        switch await authenticate(head, peer: peer) {
        case let .success(name): user = name
        case let .failure(refusal): return refusal
        }
        let walletName = head.uri.hasPrefix("/wallet/") ? percentDecoded(head.uri.dropFirst("/wallet/".count)) : nil
        let context = RPCRequestContext(uri: head.uri, walletName: walletName, user: user, peerAddress: peer)
        let reply = await dispatcher.handle(body: body, context: context)
        let headers: [(name: String, value: String)] = reply.status == 204 ? [] : [("Content-Type", "application/json")]
        return Response(status: reply.status, headers: headers, body: reply.body)
    }

    /// The user, or the 401 to send (after a delay when credentials were wrong).
    private func authenticate(_ head: HTTPRequestHead, peer: String) async -> Result<String, Response> {
        let unauthorized = Response(status: 401, headers: [("WWW-Authenticate", "Basic realm=\"jsonrpc\"")])
        guard let authorization = head.headers["authorization"].first else { return .failure(unauthorized) }
        guard let user = authenticator.authenticate(authorization: authorization) else {
            logger.warning("ThreadRPCServer incorrect password attempt from \(peer)")
            try? await Task.sleep(for: configuration.failedAuthenticationDelay)
            return .failure(unauthorized)
        }
        return .success(user)
    }

    // MARK: Writing

    private func write(
        _ response: Response, for head: HTTPRequestHead, keepAlive: Bool,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var headers = HTTPHeaders(response.headers)
        let hasBody = response.status != 204 && response.status != 304
        if hasBody { headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count)) }
        if !keepAlive {
            headers.replaceOrAdd(name: "Connection", value: "close")
        } else if head.version == .http1_0 {
            headers.replaceOrAdd(name: "Connection", value: "keep-alive")
        }
        let responseHead = HTTPResponseHead(
            version: head.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        var parts: [HTTPServerResponsePart] = [.head(responseHead)]
        if hasBody && !response.body.isEmpty { parts.append(.body(.byteBuffer(ByteBuffer(bytes: response.body)))) }
        parts.append(.end(nil))
        try await outbound.write(contentsOf: parts)
    }
}

extension HTTPConnectionHandler.Response: Error {}
