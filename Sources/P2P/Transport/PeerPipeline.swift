import NIOCore

extension ChannelPipeline.SynchronousOperations {
    /// Sets a connection up for the P2P protocol on the network with `magic`: the message
    /// codec (counting traffic on `meter`), then `peer`.
    public func addPeerHandlers(magic: [UInt8], peer: PeerChannelHandler, meter: TrafficMeter? = nil) throws {
        try addHandler(ByteToMessageHandler(MessageDecoder(magic: magic, meter: meter)))
        try addHandler(MessageToByteHandler(MessageEncoder(magic: magic, meter: meter)))
        try addHandler(peer)
    }
}
