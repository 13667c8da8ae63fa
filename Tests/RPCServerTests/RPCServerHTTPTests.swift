import Foundation
import JSONRPC
import RPCClient
import RPCServer
import Testing

@Suite struct RPCServerHTTPTests {
    @Test func methodNotFoundIs404InLegacyAnd200InV2() async throws {
        let server = try await TestServer.start()
        let auth = try server.cookieAuthorization()
        let legacy = try await server.post(#"{"method":"nosuch","id":1}"#, authorization: auth)
        #expect(legacy.status == 404)
        #expect(legacy.text == "{\"result\":null,\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":1}\n")
        let v2 = try await server.post(#"{"jsonrpc":"2.0","method":"nosuch","id":1}"#, authorization: auth)
        #expect(v2.status == 200)
        #expect(v2.text == "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":1}\n")
        let parse = try await server.post("{oops", authorization: auth)
        #expect(parse.status == 500)
        #expect(parse.text.contains("-32700"))
        try await server.stop()
    }

    @Test func batchesAndNotificationsOverHTTP() async throws {
        let server = try await TestServer.start()
        let auth = try server.cookieAuthorization()
        let batch = try await server.post(
            #"[{"jsonrpc":"2.0","method":"uptime","id":"a"},{"jsonrpc":"2.0","method":"echo","params":[1]},{"method":"echo","params":{"arg1":"x"},"id":"c"}]"#,
            authorization: auth)
        #expect(batch.status == 200)
        #expect(
            batch.text
                == "[{\"jsonrpc\":\"2.0\",\"result\":42,\"id\":\"a\"},{\"result\":[null,\"x\"],\"error\":null,\"id\":\"c\"}]\n")
        let notification = try await server.post(#"{"jsonrpc":"2.0","method":"uptime"}"#, authorization: auth)
        #expect(notification.status == 204)
        #expect(notification.body.isEmpty)
        try await server.stop()
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let server = try await TestServer.start()
        let auth = try server.cookieAuthorization()
        let statuses = try await server.withConnection { connection in
            var results: [String] = []
            for id in 1...3 {
                try connection.send(headers: [("Authorization", auth)], body: Array(#"{"method":"echo","params":[\#(id)],"id":\#(id)}"#.utf8))
                results.append(try connection.readResponse().text)
            }
            try connection.send(headers: [("Authorization", auth)], body: Array(#"{"jsonrpc":"2.0","method":"uptime"}"#.utf8))
            results.append(String(try connection.readResponse().status))
            try connection.send(headers: [("Authorization", auth)], body: Array(#"{"method":"uptime","id":9}"#.utf8))
            results.append(try connection.readResponse().text)
            return results
        }
        #expect(statuses == [
            "{\"result\":[1],\"error\":null,\"id\":1}\n", "{\"result\":[2],\"error\":null,\"id\":2}\n",
            "{\"result\":[3],\"error\":null,\"id\":3}\n", "204", "{\"result\":42,\"error\":null,\"id\":9}\n",
        ])
        try await server.stop()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try await TestServer.start()
        let auth = try server.cookieAuthorization()
        let bodies = try await server.withConnection { connection in
            var bytes: [UInt8] = []
            for (id, milliseconds) in [(1, 150), (2, 0), (3, 50)] {
                let body = #"{"method":"sleep","params":[\#(milliseconds)],"id":\#(id)}"#
                bytes += Array(
                    "POST / HTTP/1.1\r\nHost: x\r\nAuthorization: \(auth)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
            }
            try connection.send(bytes)
            return try (0..<3).map { _ in try connection.readResponse().text }
        }
        #expect(bodies == (1...3).map { "{\"result\":\"slept\",\"error\":null,\"id\":\($0)}\n" })
        try await server.stop()
    }

    @Test func oversizedBodyGets413AndTheServerStaysUsable() async throws {
        let server = try await TestServer.start(configure: { $0.maxBodySize = 1024 })
        let auth = try server.cookieAuthorization()
        let body = #"{"method":"echo","params":[""# + String(repeating: "x", count: 2000) + #""],"id":1}"#
        let declared = try await server.withConnection { connection in
            try connection.send(headers: [("Authorization", auth)], body: Array(body.utf8))
            let response = try connection.readResponse()
            return (response.status, response.header("Connection"), connection.isClosedByPeer())
        }
        #expect(declared.0 == 413)
        #expect(declared.1 == "close")
        #expect(declared.2)
        let chunked = try await server.withConnection { connection in
            var bytes = Array("POST / HTTP/1.1\r\nHost: x\r\nAuthorization: \(auth)\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            for _ in 0..<3 { bytes += Array("200\r\n".utf8) + [UInt8](repeating: 0x20, count: 512) + Array("\r\n".utf8) }
            bytes += Array("0\r\n\r\n".utf8)
            try connection.send(bytes)
            return try connection.readResponse().status
        }
        #expect(chunked == 413)
        let small = try await server.post(#"{"method":"uptime","id":1}"#, authorization: auth)
        #expect(small.status == 200)
        try await server.stop()
    }

    @Test func hugeDeclaredLengthIsRefusedBeforeTheBody() async throws {
        let server = try await TestServer.start()
        let status = try await server.withConnection { connection in
            try connection.send(Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 33554433\r\n\r\n".utf8))
            return try connection.readResponse().status
        }
        #expect(status == 413)
        try await server.stop()
    }

    @Test func oversizedHeadGets431() async throws {
        let server = try await TestServer.start()
        let status = try await server.withConnection { connection in
            try connection.send(headers: [("X-Padding", String(repeating: "p", count: 9000))], body: Array("{}".utf8))
            return try connection.readResponse().status
        }
        #expect(status == 431)
        try await server.stop()
    }

    @Test func expectContinueIsAnswered() async throws {
        let server = try await TestServer.start()
        let auth = try server.cookieAuthorization()
        let text = try await server.withConnection { connection in
            let body = #"{"method":"uptime","id":1}"#
            try connection.send(
                Array("POST / HTTP/1.1\r\nHost: x\r\nAuthorization: \(auth)\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n".utf8))
            try connection.send(Array(body.utf8))
            return try connection.readResponse().text
        }
        #expect(text == "{\"result\":42,\"error\":null,\"id\":1}\n")
        try await server.stop()
    }

    @Test func routingOfMethodsPathsAndWallets() async throws {
        let health = HTTPRoute(path: .exact("/health"), requiresAuthentication: false) { _ in .text("ok\n") }
        let secret = HTTPRoute(path: .prefix("/admin/"), requiresAuthentication: true) { request in
            .text("hello \(request.user ?? "?") at \(request.path)")
        }
        let server = try await TestServer.start(routes: [health, secret])
        let auth = try server.cookieAuthorization()
        let results = try await server.withConnection { connection in
            var results: [(Int, String)] = []
            for (method, path, authorization) in [
                ("GET", "/", auth), ("GET", "/health", ""), ("GET", "/admin/x", ""), ("GET", "/admin/x", auth),
                ("POST", "/nowhere", auth),
            ] {
                try connection.send(method: method, path: path, headers: authorization.isEmpty ? [] : [("Authorization", authorization)])
                let response = try connection.readResponse()
                results.append((response.status, response.text))
            }
            return results
        }
        #expect(results.map(\.0) == [405, 200, 401, 200, 404])
        #expect(results[0].1 == "JSONRPC server handles only POST requests")
        #expect(results[1].1 == "ok\n")
        #expect(results[3].1 == "hello __cookie__ at /admin/x")
        let wallet = try await server.post(#"{"method":"whoami","id":1}"#, authorization: auth, path: "/wallet/my%20w%C3%A9")
        #expect(wallet.text == "{\"result\":{\"user\":\"__cookie__\",\"wallet\":\"my wé\"},\"error\":null,\"id\":1}\n")
        try await server.stop()
    }

    @Test func idleConnectionsAreClosed() async throws {
        let server = try await TestServer.start(configure: { $0.idleTimeout = .milliseconds(200) })
        let closed = try await server.withConnection { connection in connection.isClosedByPeer(within: .seconds(5)) }
        #expect(closed)
        try await server.stop()
    }

    @Test func slowRequestsOutliveTheIdleTimeout() async throws {
        let server = try await TestServer.start(configure: { $0.idleTimeout = .milliseconds(100) })
        let auth = try server.cookieAuthorization()
        let response = try await server.post(#"{"method":"sleep","params":[400],"id":1}"#, authorization: auth)
        #expect(response.text == "{\"result\":\"slept\",\"error\":null,\"id\":1}\n")
        try await server.stop()
    }

    @Test func gracefulShutdownFinishesRequestsInFlight() async throws {
        let server = try await TestServer.start()
        let auth = try server.cookieAuthorization()
        let token = UUID().uuidString
        async let slow = server.post(#"{"method":"sleep","params":[300,"\#(token)"],"id":1}"#, authorization: auth)
        try await SleepProbe.waitForStart(of: token)  // the request is being answered
        try await server.stop()
        let response = try await slow
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(response.text == "{\"result\":\"slept\",\"error\":null,\"id\":1}\n")
        await #expect(throws: HTTPClientError.self) {
            _ = try await server.post(#"{"method":"uptime","id":1}"#, authorization: auth)
        }
    }
}
