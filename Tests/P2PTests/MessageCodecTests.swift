import ChainParams
import NIOCore
import NIOEmbedded
import Testing
@testable import P2P
@testable import P2PWire

/// The NIO codec on an `EmbeddedChannel`: bytes in any chunks become messages, messages go out
/// framed, and a broken stream fails the channel.
@Suite struct MessageCodecTests {
    let magic = ChainParams.regtest.magic

    func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MessageDecoder(magic: magic)))
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(MessageEncoder(magic: magic)))
        return channel
    }

    @Test func decodesAcrossChunksAndEncodesFramed() throws {
        let channel = try channel()
        let messages: [Message] = [.ping(nonce: 3), .verack, .feeFilter(1_000)]
        let bytes = messages.flatMap { $0.framed(magic: magic) }
        for start in stride(from: 0, to: bytes.count, by: 5) {
            try channel.writeInbound(ByteBuffer(bytes: bytes[start..<min(bytes.count, start + 5)]))
        }
        var received: [Message] = []
        while let message = try channel.readInbound(as: Message.self) { received.append(message) }
        #expect(received == messages)
        try channel.writeOutbound(Message.pong(nonce: 3))
        let out = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(out.readableBytesView) == Message.pong(nonce: 3).framed(magic: magic))
        _ = try channel.finish()
    }

    @Test func aBrokenStreamFailsTheChannel() throws {
        let channel = try channel()
        var bytes = Message.ping(nonce: 1).framed(magic: magic)
        bytes[bytes.count - 1] ^= 1
        #expect(throws: MessageFramer.Failure.badChecksum(command: "ping")) { try channel.writeInbound(ByteBuffer(bytes: bytes)) }
        let other = try self.channel()
        #expect(throws: MessageFramer.Failure.wrongMagic(ChainParams.main.magic)) {
            try other.writeInbound(ByteBuffer(bytes: Message.verack.framed(magic: ChainParams.main.magic)))
        }
    }
}
