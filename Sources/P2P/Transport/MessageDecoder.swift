import NIOCore
import P2PWire

/// Cuts the bytes of a connection into `Message`s (Bitcoin's v1 transport, through
/// `MessageFramer`); a stream that breaks the format fails the channel, which closes it.
public struct MessageDecoder: ByteToMessageDecoder {
    public typealias InboundOut = Message

    private var framer: MessageFramer

    public init(magic: [UInt8]) {
        framer = MessageFramer(magic: magic)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if let bytes = buffer.readBytes(length: buffer.readableBytes) { framer.append(bytes) }
        while let (command, payload) = try framer.next() {
            context.fireChannelRead(Self.wrapInboundOut(try Message(command: command, payload: payload)))
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

    public init(magic: [UInt8]) {
        self.magic = magic
    }

    public func encode(data: Message, out: inout ByteBuffer) throws {
        out.writeBytes(data.framed(magic: magic))
    }
}
