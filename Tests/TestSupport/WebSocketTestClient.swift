import Crypto
import Foundation

/// A small blocking WebSocket client written from RFC 6455 for tests (independent of the
/// server's NIO implementation): the opening handshake, masked client frames, and reading
/// server frames with a timeout.
public final class WebSocketTestClient {
    public struct Frame: Equatable {
        public var opcode: UInt8
        public var payload: [UInt8]
        public init(opcode: UInt8, payload: [UInt8]) {
            self.opcode = opcode
            self.payload = payload
        }
        public var text: String { String(decoding: payload, as: UTF8.self) }
    }

    /// The server answered with something else than the protocol expects.
    public enum Failure: Error { case handshake(String) }

    public static let text: UInt8 = 0x1, binary: UInt8 = 0x2, closeFrame: UInt8 = 0x8, ping: UInt8 = 0x9, pong: UInt8 = 0xA

    private let socket: LoopbackSocket
    private var buffer: [UInt8] = []
    /// The HTTP status line and headers the server answered the handshake with.
    public private(set) var responseHead = ""

    public init(port: Int, timeout: Duration = .seconds(10)) throws {
        socket = try LoopbackSocket(port: port, timeout: timeout)
    }

    /// Sends the opening handshake for `path`; returns the response status (101 when upgraded)
    /// after checking `Sec-WebSocket-Accept` for a 101.
    public func handshake(path: String = "/ws", authorization: String?, upgrade: Bool = true) throws -> Int {
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if upgrade { request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n" }
        if let authorization { request += "Authorization: \(authorization)\r\n" }
        request += "\r\n"
        try write(Array(request.utf8))
        while true {
            if let end = buffer.indices.dropLast(3).first(where: { buffer[$0..<$0 + 4].elementsEqual([13, 10, 13, 10]) }) {
                responseHead = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                break
            }
            try fill()
        }
        let status = Int(responseHead.split(separator: " ").dropFirst().first ?? "") ?? 0
        if status == 101 {
            let expected = Data(Insecure.SHA1.hash(data: Data((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
            guard responseHead.lowercased().contains("sec-websocket-accept: \(expected.lowercased())") else {
                throw Failure.handshake(responseHead)
            }
        }
        return status
    }

    /// Sends one masked frame.
    public func send(opcode: UInt8, _ payload: [UInt8], fin: Bool = true) throws {
        var frame: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        switch payload.count {
        case ..<126: frame.append(0x80 | UInt8(payload.count))
        case ..<65536: frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        default: frame += [0x80 | 127] + (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xff) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try write(frame)
    }

    public func send(_ text: String) throws { try send(opcode: Self.text, Array(text.utf8)) }

    /// The next frame from the server (unmasked, as servers send them).
    public func readFrame() throws -> Frame {
        try need(2)
        let opcode = buffer[0] & 0x0f
        var length = Int(buffer[1] & 0x7f)
        var offset = 2
        if length == 126 {
            try need(4)
            length = Int(buffer[2]) << 8 | Int(buffer[3])
            offset = 4
        } else if length == 127 {
            try need(10)
            length = buffer[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        try need(offset + length)
        let payload = Array(buffer[offset..<offset + length])
        buffer.removeFirst(offset + length)
        return Frame(opcode: opcode, payload: payload)
    }

    /// The next text message, skipping nothing: fails if the next frame is not text.
    public func readText() throws -> String {
        let frame = try readFrame()
        guard frame.opcode == Self.text else { throw Failure.handshake("expected text, got opcode \(frame.opcode)") }
        return frame.text
    }

    /// Whether the server closed the TCP connection (reading returns end of stream).
    public func isClosedByServer() -> Bool {
        do {
            while true { try fill() }
        } catch LoopbackSocket.Failure.closed {
            return true
        } catch {
            return false
        }
    }

    private func need(_ count: Int) throws {
        while buffer.count < count { try fill() }
    }

    private func fill() throws {
        buffer += try socket.receive()
    }

    private func write(_ bytes: [UInt8]) throws {
        try socket.send(bytes)
    }
}
