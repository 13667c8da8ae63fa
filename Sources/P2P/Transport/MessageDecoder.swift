import NIOCore
import P2PWire

/// Cuts the bytes of a connection into `Message`s (Bitcoin's v1 transport, through
/// `MessageFramer`); a stream that breaks the format fails the channel, which closes it.
public struct MessageDecoder: ByteToMessageDecoder {
    public typealias InboundOut = Message

    private var framer: MessageFramer
    private let meter: TrafficMeter?

    public init(magic: [UInt8], meter: TrafficMeter? = nil) {
        framer = MessageFramer(magic: magic)
        self.meter = meter
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if let bytes = buffer.readBytes(length: buffer.readableBytes) { framer.append(bytes) }
        while let (command, payload) = try framer.next() {
            let message = try Message(command: command, payload: payload)
            meter?.record(message.meteredCommand, bytes: MessageHeader.size + payload.count, .received)
            context.fireChannelRead(Self.wrapInboundOut(message))
        }
        return .needMoreData
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}

/// Frames outgoing `Message`s for the network with `magic`.
public struct MessageEncoder: MessageToByteEncoder {
    public typealias OutboundIn = Message

    private let magic: [UInt8]
    private let meter: TrafficMeter?

    public init(magic: [UInt8], meter: TrafficMeter? = nil) {
        self.magic = magic
        self.meter = meter
    }

    public func encode(data: Message, out: inout ByteBuffer) throws {
        let framed = data.framed(magic: magic)
        meter?.record(data.meteredCommand, bytes: framed.count, .sent)
        out.writeBytes(framed)
    }
}

extension Message {
    /// The command traffic is counted under: unknown commands share `*other*` (so a peer cannot
    /// grow the table with made-up names).
    var meteredCommand: String {
        if case .unknown = self { return "*other*" }
        return command
    }
}
