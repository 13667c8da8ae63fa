import ChainParams
import Foundation
import P2PWire
import TestSupport

/// A peer on a node's P2P port for tests: sends arbitrary bytes (or framed messages) and reads
/// framed messages, with a timeout.
final class RawPeer {
    enum Failure: Error { case protocolError(MessageFramer.Failure), noVersion }

    private let socket: LoopbackSocket
    private var framer = MessageFramer(magic: ChainParams.regtest.magic)

    init(port: Int) throws {
        socket = try LoopbackSocket(port: port)
    }

    /// Sends raw bytes; false when the node already closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool { (try? socket.send(bytes)) != nil }

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
            framer.append(try socket.receive())
        }
    }

    /// Whether the node closed the connection (reading reaches end of stream) within the timeout.
    func isClosedByNode() -> Bool {
        do {
            while true { _ = try receive() }
        } catch LoopbackSocket.Failure.closed {
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
                guard let theirs else { throw Failure.noVersion }
                return theirs
            default: continue
            }
        }
    }
}
