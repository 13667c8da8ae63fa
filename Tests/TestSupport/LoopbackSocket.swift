import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP connection to a port on 127.0.0.1 for tests, reads bounded by a timeout.
public final class LoopbackSocket {
    public enum Failure: Error { case connect, closed, timeout }

    private let descriptor: Int32

    public init(port: Int, timeout: Duration = .seconds(10)) throws {
        descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            throw Failure.connect
        }
        var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(descriptor) }

    /// Sends all of `bytes`; `closed` when the other side is gone.
    public func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let result = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard result > 0 else { throw Failure.closed }
            sent += result
        }
    }

    /// The next bytes that arrive: `closed` at end of stream, `timeout` when none come in time.
    public func receive() throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let read = recv(descriptor, &chunk, chunk.count, 0)
        if read == 0 { throw Failure.closed }
        if read < 0 { throw errno == EAGAIN || errno == EWOULDBLOCK ? Failure.timeout : Failure.closed }
        return Array(chunk[..<read])
    }
}
