import ByteCodec
import ChainCrypto
import ChainTypes

/// BIP158's basic filter of a block: the output scripts it creates (except empty and
/// `OP_RETURN` ones) and the scripts of the outputs it spends (except empty ones), in a
/// Golomb-coded set keyed by the block hash (P = 19, M = 784,931).
public struct BasicBlockFilter: Equatable, Sendable {
    public static let p = 19
    public static let m: UInt64 = 784_931

    public let blockHash: BlockHash
    public let codedSet: GolombRiceSet

    /// The filter of `block`, given the scripts of the outputs its transactions spend (from
    /// undo data; any order).
    public init(block: Block, spentScripts: some Sequence<[UInt8]>) {
        blockHash = block.hash
        var items: [[UInt8]] = []
        for transaction in block.transactions {
            for output in transaction.outputs where !output.scriptPubKey.isEmpty && output.scriptPubKey[0] != 0x6a {
                items.append(output.scriptPubKey)
            }
        }
        items.append(contentsOf: spentScripts.filter { !$0.isEmpty })
        codedSet = GolombRiceSet(items: items, p: Self.p, m: Self.m, key: Self.key(blockHash))
    }

    /// A filter as `cfilter` carries it.
    public init(blockHash: BlockHash, encoded: [UInt8]) throws(DecodingError) {
        self.blockHash = blockHash
        codedSet = try GolombRiceSet(encoded: encoded, p: Self.p, m: Self.m, key: Self.key(blockHash))
    }

    /// The SipHash key: the block hash's first 16 bytes (internal order) as two little-endian words.
    static func key(_ hash: BlockHash) -> (k0: UInt64, k1: UInt64) { SipHash.key(from: hash.hash.bytes) }

    /// The serialized filter (what `cfilter` carries).
    public var encoded: [UInt8] { codedSet.encoded }

    /// Double SHA-256 of the serialized filter.
    public var filterHash: Hash256 { Hashing.sha256d(encoded) }

    /// The filter header chaining this filter to the previous block's header (zero before genesis).
    public func header(previous: Hash256) -> Hash256 { Hashing.sha256d(filterHash.bytes + previous.bytes) }

    /// Whether any of `scripts` may be in the block (false is certain).
    public func matchesAny(_ scripts: some Sequence<[UInt8]>) -> Bool { codedSet.matchesAny(scripts) }
}
