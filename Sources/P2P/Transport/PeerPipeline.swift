import NIOCore

extension ChannelPipeline.SynchronousOperations {
    /// Sets a connection up for the P2P protocol on the network with `magic`: the message
    /// codec, then `peer`.
    public func addPeerHandlers(magic: [UInt8], peer: PeerChannelHandler) throws {
        try addHandler(ByteToMessageHandler(MessageDecoder(magic: magic)))
        try addHandler(MessageToByteHandler(MessageEncoder(magic: magic)))
        try addHandler(peer)
    }
}
