import ByteCodec

/// Cuts a peer's byte stream into messages (Bitcoin's v1 transport): checks the magic, the
/// command and the announced length in the header before waiting for the payload, so it never
/// holds more than one message's bytes (at most 24 + 4,000,000) beyond what it was handed, then
/// checks the checksum. Pure: the transport feeds it and acts on what it returns.
public struct MessageFramer: Sendable {
    /// Why the stream is unusable (the peer is disconnected).
    public enum Failure: Error, Equatable, Sendable {
        case wrongMagic([UInt8])
        case malformedHeader(DecodingError)
        case badChecksum(command: String)
    }

    public let magic: [UInt8]
    private var buffer: [UInt8] = []
    private var start = 0
    private var header: MessageHeader?

    public init(magic: [UInt8]) {
        self.magic = magic
    }

    /// Bytes received and not yet part of a returned message.
    public var bufferedCount: Int { buffer.count - start }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message (command and payload), nil until one has fully arrived.
    public mutating func next() throws(Failure) -> (command: String, payload: [UInt8])? {
        if header == nil {
            guard bufferedCount >= MessageHeader.size else { return nil }
            var reader = ByteReader(Array(buffer[start..<start + MessageHeader.size]))
            let decoded: MessageHeader
            do {
                decoded = try MessageHeader(from: &reader)
            } catch {
                throw .malformedHeader(error)
            }
            guard decoded.magic == magic else { throw .wrongMagic(decoded.magic) }
            header = decoded
            start += MessageHeader.size
        }
        guard let header, bufferedCount >= header.payloadLength else { return nil }
        let payload = Array(buffer[start..<start + header.payloadLength])
        start += header.payloadLength
        self.header = nil
        // Drop consumed bytes now and then rather than on every message.
        if start > 1 << 16 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        guard MessageHeader.checksum(of: payload) == header.checksum else { throw .badChecksum(command: header.command) }
        return (header.command, payload)
    }
}
