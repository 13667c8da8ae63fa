import ByteCodec
import ChainCrypto

/// The 24 bytes before every P2P message (Bitcoin's v1 transport): network magic, command
/// (ASCII, NUL-padded to 12 bytes), payload length, and the first four bytes of the payload's
/// double SHA-256.
public struct MessageHeader: Equatable, Sendable {
    public static let size = 24
    /// Core's `MAX_PROTOCOL_MESSAGE_LENGTH`: no payload is longer.
    public static let maxPayloadLength = 4_000_000

    public let magic: [UInt8]
    public let command: String
    public let payloadLength: Int
    public let checksum: [UInt8]

    /// A header for `payload` sent as `command` on the network with `magic`.
    public init(magic: [UInt8], command: String, payload: [UInt8]) {
        self.magic = magic
        self.command = command
        payloadLength = payload.count
        checksum = Self.checksum(of: payload)
    }

    /// The first four bytes of the double SHA-256 of `payload`.
    public static func checksum(of payload: [UInt8]) -> [UInt8] { Array(Hashing.sha256d(payload).bytes.prefix(4)) }

    /// Reads a header, refusing a malformed command (Core: printable ASCII, then only NULs) and
    /// a payload longer than the protocol allows, before anything of the payload is read.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        magic = try reader.readBytes(4)
        let commandBytes = try reader.readBytes(12)
        let end = commandBytes.firstIndex(of: 0) ?? commandBytes.count
        guard end > 0, commandBytes[..<end].allSatisfy({ (0x20...0x7e).contains($0) }), commandBytes[end...].allSatisfy({ $0 == 0 }) else {
            throw .invalid("malformed command")
        }
        command = String(decoding: commandBytes[..<end], as: UTF8.self)
        payloadLength = Int(try reader.readUInt32LE())
        guard payloadLength <= Self.maxPayloadLength else {
            throw .lengthTooLarge(length: UInt64(payloadLength), limit: Self.maxPayloadLength)
        }
        checksum = try reader.readBytes(4)
    }

    public func encode(to writer: inout ByteWriter) {
        writer.write(magic)
        let name = Array(command.utf8.prefix(12))
        writer.write(name + [UInt8](repeating: 0, count: 12 - name.count))
        writer.writeUInt32LE(UInt32(payloadLength))
        writer.write(checksum)
    }
}
