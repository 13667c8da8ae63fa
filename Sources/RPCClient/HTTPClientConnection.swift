#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A blocking HTTP/1.1 client connection over a POSIX socket: small and dependency-free,
/// for `rusty-cli` and for tests that need exact control over what is sent (keep-alive,
/// pipelining, oversized bodies). Not thread-safe; use it from one thread.
public final class HTTPClientConnection {
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    private var reachedEOF = false

    /// The largest response accepted.
    public static let maxResponseSize = 1 << 30

    /// Connects to `host`:`port` (names resolved with getaddrinfo), with send/receive
    /// timeouts of `timeout` (0 for none).
    public init(host: String, port: Int, timeout: Duration = .seconds(900)) throws(HTTPClientError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .connectionFailed("Could not resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var lastError = ECONNREFUSED
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let socketDescriptor = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard socketDescriptor >= 0 else {
                lastError = errno
                continue
            }
            if connect(socketDescriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                descriptor = socketDescriptor
                Self.setTimeout(descriptor, timeout)
                var one: Int32 = 1
                setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                #if canImport(Darwin)
                    setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
                #endif
                return
            }
            lastError = errno
            _ = Self.closeDescriptor(socketDescriptor)
        }
        throw .connectionFailed("Could not connect to the server \(host):\(port) (\(String(cString: strerror(lastError))))")
    }

    deinit {
        if descriptor >= 0 { _ = Self.closeDescriptor(descriptor) }
    }

    /// Closes the connection.
    public func close() {
        if descriptor >= 0 { _ = Self.closeDescriptor(descriptor) }
        descriptor = -1
    }

    /// Sends `bytes` completely.
    public func send(_ bytes: [UInt8]) throws(HTTPClientError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                #if canImport(Glibc)
                    Glibc.send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                #else
                    Darwin.send(descriptor, raw.baseAddress! + offset, raw.count - offset, 0)
                #endif
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw .io("send failed: \(String(cString: strerror(errno)))")
            }
            offset += sent
        }
    }

    /// Sends a request with `method`, `path`, extra `headers` and `body` (Content-Length set).
    public func send(
        method: String = "POST", path: String = "/", headers: [(String, String)] = [], body: [UInt8] = []
    ) throws(HTTPClientError) {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        try send(Array(head.utf8) + body)
    }

    /// Reads the next final response (1xx responses are skipped). `requestMethod` tells
    /// whether a body may follow (not after HEAD).
    public func readResponse(requestMethod: String = "POST") throws(HTTPClientError) -> HTTPClientResponse {
        while true {
            let headText = try readHead()
            var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
            let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
            guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
                throw .malformedResponse("bad status line")
            }
            var headers: [HTTPClientHeader] = []
            for line in lines where !line.isEmpty {
                guard let colon = line.firstIndex(of: ":") else { throw .malformedResponse("bad header line") }
                let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
                headers.append(HTTPClientHeader(name: String(line[..<colon]), value: value))
            }
            if (100..<200).contains(status) { continue }
            var response = HTTPClientResponse(status: status, headers: headers, body: [])
            if requestMethod == "HEAD" || status == 204 || status == 304 { return response }
            if response.header("transfer-encoding")?.lowercased().contains("chunked") == true {
                response.body = try readChunkedBody()
            } else if let lengthText = response.header("content-length") {
                guard let length = Int(lengthText), length >= 0, length <= Self.maxResponseSize else {
                    throw .malformedResponse("bad Content-Length")
                }
                response.body = try readExactly(length)
            } else {
                response.body = try readToEnd()
            }
            return response
        }
    }

    /// Whether the server has closed the connection (reads EOF within `timeout`).
    public func isClosedByPeer(within timeout: Duration = .seconds(5)) -> Bool {
        if bufferStart < buffer.count { return false }
        var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&descriptorSet, 1, milliseconds) > 0 else { return false }
        return (try? fill()) == false
    }

    // MARK: Reading

    private func readHead() throws(HTTPClientError) -> String {
        while true {
            if let end = findHeadEnd() {
                let head = String(decoding: buffer[bufferStart..<end], as: UTF8.self)
                bufferStart = end + 4
                return head
            }
            guard buffer.count - bufferStart <= 65_536 else { throw .malformedResponse("head too large") }
            guard try fill() else {
                throw .io(bufferStart == buffer.count ? "connection closed by server" : "truncated response head")
            }
        }
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count - bufferStart >= 4 else { return nil }
        for index in bufferStart...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func readLine() throws(HTTPClientError) -> String {
        while true {
            if let newline = buffer[bufferStart...].firstIndex(of: 10) {
                let line = String(decoding: buffer[bufferStart..<newline], as: UTF8.self)
                bufferStart = newline + 1
                return line.trimmingCharacters(in: "\r")
            }
            guard buffer.count - bufferStart <= 4096 else { throw .malformedResponse("line too long") }
            guard try fill() else { throw .io("truncated response") }
        }
    }

    private func readExactly(_ count: Int) throws(HTTPClientError) -> [UInt8] {
        while buffer.count - bufferStart < count {
            guard try fill() else { throw .io("truncated response body") }
        }
        let bytes = Array(buffer[bufferStart..<(bufferStart + count)])
        bufferStart += count
        return bytes
    }

    private func readChunkedBody() throws(HTTPClientError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeText = try readLine().split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: " "), radix: 16), size >= 0,
                body.count + size <= Self.maxResponseSize
            else { throw .malformedResponse("bad chunk size") }
            if size == 0 {
                while try !readLine().isEmpty {}
                return body
            }
            body += try readExactly(size)
            _ = try readLine()
        }
    }

    private func readToEnd() throws(HTTPClientError) -> [UInt8] {
        while try fill() {
            guard buffer.count - bufferStart <= Self.maxResponseSize else { throw .malformedResponse("response too large") }
        }
        let bytes = Array(buffer[bufferStart...])
        bufferStart = buffer.count
        return bytes
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill() throws(HTTPClientError) -> Bool {
        if reachedEOF { return false }
        if bufferStart > 65_536 {
            buffer.removeFirst(bufferStart)
            bufferStart = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
            if count == 0 {
                reachedEOF = true
                return false
            }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw .io("timeout waiting for the server") }
            if errno == ECONNRESET {
                reachedEOF = true
                return false
            }
            throw .io("receive failed: \(String(cString: strerror(errno)))")
        }
    }

    private static func setTimeout(_ descriptor: Int32, _ timeout: Duration) {
        guard timeout > .zero else { return }
        var value = timeval(
            tv_sec: .init(timeout.components.seconds),
            tv_usec: .init(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    private static func closeDescriptor(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
            Glibc.close(descriptor)
        #else
            Darwin.close(descriptor)
        #endif
    }
}

extension String {
    fileprivate func trimmingCharacters(in characters: String) -> String {
        let set = Set(characters)
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in characters: String) -> String {
        String(self).trimmingCharacters(in: characters)
    }
}
