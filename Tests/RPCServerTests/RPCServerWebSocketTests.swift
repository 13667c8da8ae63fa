import Foundation
@testable import RPCServer
import Synchronization
import Testing
import TestSupport

/// WebSocket endpoints on the RPC port, driven by an independent RFC 6455 client: the upgrade
/// behind the RPC credentials, messages both ways in order, control frames, bounds, and a
/// slow client that cannot hold the sender up.
@Suite struct RPCServerWebSocketTests {
    /// Echoes every message; "flood N" sends N messages of 1 KiB at once and then how many were queued.
    final class EchoSession: WebSocketSession {
        let connection: WebSocketConnection
        let closedCount: Counter
        init(_ connection: WebSocketConnection, closedCount: Counter) {
            self.connection = connection
            self.closedCount = closedCount
        }

        func received(_ text: String) async {
            if text.hasPrefix("flood "), let count = Int(text.dropFirst(6)) {
                let queued = (0..<count).filter { _ in connection.send(String(repeating: "x", count: 1024)) }.count
                // The queue is full now: wait for the client to take some, then report.
                while !connection.send("queued \(queued)") { try? await Task.sleep(for: .milliseconds(5)) }
            } else if text == "bye" {
                connection.close()
            } else {
                connection.send("\(connection.user): \(text)")
            }
        }

        func closed() async { closedCount.value.withLock { $0 += 1 } }
    }

    /// Sessions that ended.
    final class Counter: Sendable {
        let value = Mutex(0)
    }

    static func start(closed counter: Counter = Counter()) async throws -> TestServer {
        try await TestServer.start(
            authentication: RPCAuthConfiguration(user: "alice", password: "secret"),
            webSocketRoutes: [WebSocketRoute(path: "/ws", maxQueuedBytes: 16 << 10, maxIncomingMessageBytes: 4096) { connection in
                EchoSession(connection, closedCount: counter)
            }])
    }

    let authorization = TestServer.basic("alice", "secret")

    @Test func upgradesAndEchoesInOrder() async throws {
        let closed = Counter()
        let server = try await Self.start(closed: closed)
        let port = server.port
        let authorization = authorization
        try await onThread {
            let client = try WebSocketTestClient(port: port)
            #expect(try client.handshake(authorization: authorization) == 101)
            for index in 0..<20 { try client.send("message \(index)") }
            for index in 0..<20 { #expect(try client.readText() == "alice: message \(index)") }
            // A message in fragments arrives whole; pings are answered with the same data.
            try client.send(opcode: WebSocketTestClient.text, Array("frag".utf8), fin: false)
            try client.send(opcode: 0x0, Array("mented".utf8), fin: true)
            #expect(try client.readText() == "alice: fragmented")
            try client.send(opcode: WebSocketTestClient.ping, [1, 2, 3])
            #expect(try client.readFrame() == .init(opcode: WebSocketTestClient.pong, payload: [1, 2, 3]))
            // The client closes: the server answers with a close frame.
            try client.send(opcode: WebSocketTestClient.closeFrame, [0x03, 0xe8])
            #expect(try client.readFrame().opcode == WebSocketTestClient.closeFrame)
        }
        try await server.stop()
        #expect(closed.value.withLock { $0 } == 1)
    }

    @Test func refusesWithoutCredentialsOrUpgrade() async throws {
        let server = try await Self.start()
        let port = server.port
        let authorization = authorization
        try await onThread {
            let anonymous = try WebSocketTestClient(port: port).handshake(authorization: nil)
            let wrong = try WebSocketTestClient(port: port).handshake(authorization: TestServer.basic("alice", "wrong"))
            let plain = try WebSocketTestClient(port: port).handshake(authorization: authorization, upgrade: false)
            let elsewhere = try WebSocketTestClient(port: port).handshake(path: "/other", authorization: authorization)
            #expect(anonymous == 401 && wrong == 401 && plain == 426 && elsewhere == 404)
        }
        try await server.stop()
    }

    @Test func boundsWhatClientsSendAndWhatWaitsForThem() async throws {
        let server = try await Self.start()
        let port = server.port
        let authorization = authorization
        try await onThread {
            // 16 KiB may wait for a client: the sender is never blocked; every message it was
            // told went out arrives, in order, then the count. (The exact budget is tested on
            // the queue itself below.)
            let slow = try WebSocketTestClient(port: port)
            #expect(try slow.handshake(authorization: authorization) == 101)
            try slow.send("flood 100")
            var received = 0
            var last = ""
            while true {
                last = try slow.readText()
                if last.hasPrefix("queued") { break }
                received += 1
            }
            let queued = Int(last.dropFirst(7)) ?? -1
            #expect(queued == received && queued > 0, "\(last) after \(received)")

            // A message over 4 KiB closes the connection; so does binary data.
            let greedy = try WebSocketTestClient(port: port)
            #expect(try greedy.handshake(authorization: authorization) == 101)
            try greedy.send(String(repeating: "y", count: 5000))
            #expect(try greedy.readFrame().opcode == WebSocketTestClient.closeFrame)
            let binary = try WebSocketTestClient(port: port)
            #expect(try binary.handshake(authorization: authorization) == 101)
            try binary.send(opcode: WebSocketTestClient.binary, [1, 2])
            let refusal = try binary.readFrame()
            #expect(refusal.opcode == WebSocketTestClient.closeFrame && refusal.payload == [0x03, 0xeb])
            #expect(binary.isClosedByServer())
            // The session may close the connection itself.
            let leaving = try WebSocketTestClient(port: port)
            #expect(try leaving.handshake(authorization: authorization) == 101)
            try leaving.send("bye")
            #expect(try leaving.readFrame().opcode == WebSocketTestClient.closeFrame)
        }
        try await server.stop()
    }

    @Test func theQueueKeepsItsBudgetAndOrder() async {
        let connection = WebSocketConnection(user: "alice", peerAddress: "127.0.0.1", maxQueuedBytes: 16 << 10)
        let accepted = (0..<100).filter { connection.send("\($0)" + String(repeating: "x", count: 1020)) }
        #expect(accepted == Array(0..<16))
        // Control frames do not count against the budget.
        connection.sendControl(.pong([1]))
        for index in 0..<16 {
            guard case let .text(text) = await connection.next() else {
                Issue.record("message \(index) missing")
                return
            }
            #expect(text.hasPrefix("\(index)x"))
        }
        guard case .pong([1]) = await connection.next() else {
            Issue.record("pong missing")
            return
        }
        // Drained: room again; finished: nothing more, and the writer stops.
        #expect(connection.send("again"))
        connection.finish()
        #expect(!connection.send("late"))
        #expect(await connection.next() == nil)
    }
}
