import ChainParams
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import P2PWire

/// A bare TCP connection to a node's P2P port for tests: sends arbitrary bytes (or framed
/// messages) and reads framed messages, with a timeout.
final class RawPeer {
    enum Failure: Error { case connect, closed, timeout, protocolError(MessageFramer.Failure) }

    private let socket: Int32
    private var framer = MessageFramer(magic: ChainParams.regtest.magic)

    init(port: Int, timeout: Int = 10) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(socket)
            throw Failure.connect
        }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(socket) }

    /// Sends raw bytes; false when the node already closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let result = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard result > 0 else { return false }
            sent += result
        }
        return true
    }

    @discardableResult
    func send(_ message: Message) -> Bool { send(message.framed(magic: ChainParams.regtest.magic)) }

    /// The next message from the node.
    func receive() throws -> Message {
        while true {
            do {
                if let (command, payload) = try framer.next() { return try Message(command: command, payload: payload) }
            } catch let failure as MessageFramer.Failure {
                throw Failure.protocolError(failure)
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let read = recv(socket, &chunk, chunk.count, 0)
            if read == 0 { throw Failure.closed }
            if read < 0 { throw errno == EAGAIN || errno == EWOULDBLOCK ? Failure.timeout : Failure.closed }
            framer.append(chunk[..<read])
        }
    }

    /// Whether the node closed the connection (reading reaches end of stream) within the timeout.
    func isClosedByNode() -> Bool {
        do {
            while true { _ = try receive() }
        } catch Failure.closed {
            return true
        } catch {
            return false
        }
    }

    /// Completes the handshake as an outbound peer would; returns the node's version.
    func handshake(nonce: UInt64 = 777) throws -> VersionMessage {
        send(.version(VersionMessage(
            version: 70016, services: [.network, .witness], time: Int64(Date().timeIntervalSince1970),
            receiver: NetworkAddress(services: [], ipv4: (127, 0, 0, 1), port: 0), sender: NetworkAddress(services: [], ipv4: (127, 0, 0, 1), port: 0),
            nonce: nonce, userAgent: "/raw-test-peer/", startHeight: 0, relay: true)))
        var theirs: VersionMessage?
        while true {
            switch try receive() {
            case let .version(version): theirs = version
            case .verack:
                send(.verack)
                guard let theirs else { throw Failure.closed }
                return theirs
            default: continue
            }
        }
    }
}
