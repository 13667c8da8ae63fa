import ByteCodec
import ChainTypes

/// The coins a block spent, per non-coinbase transaction and input, so the block can be
/// disconnected.
public struct BlockUndo: Hashable, Sendable {
    public var spentCoins: [[Coin]]
    public init(spentCoins: [[Coin]] = []) { self.spentCoins = spentCoins }

    /// At least the serialized size (for scripts under 64 KiB), for sizing buffers.
    var estimatedSize: Int {
        spentCoins.reduce(9) { total, coins in
            coins.reduce(total + 9) { $0 + 16 + $1.output.scriptPubKey.count }
        }
    }
}

extension BlockUndo: BinaryCodable {
    public func encode(to writer: inout ByteWriter) {
        writer.writeCompactSize(spentCoins.count)
        for coins in spentCoins {
            writer.writeCompactSize(coins.count)
            for coin in coins { coin.encode(to: &writer) }
        }
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        let count = try reader.readCount(minimumElementSize: 1)
        var all: [[Coin]] = []
        all.reserveCapacity(count)
        for _ in 0..<count {
            let inputs = try reader.readCount(minimumElementSize: 10)
            var coins: [Coin] = []
            coins.reserveCapacity(inputs)
            for _ in 0..<inputs { coins.append(try Coin(from: &reader)) }
            all.append(coins)
        }
        spentCoins = all
    }
}
