import ByteCodec
import ChainCrypto

/// A transaction id: SHA256d of the transaction without witness data.
public struct TxID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var hash: Hash256
    public init(_ hash: Hash256) { self.hash = hash }
    public init?(displayHex: String) {
        guard let hash = Hash256(displayHex: displayHex) else { return nil }
        self.hash = hash
    }
    public static func < (lhs: TxID, rhs: TxID) -> Bool { lhs.hash < rhs.hash }
    public var description: String { hash.displayHex }
}

/// A witness transaction id: SHA256d of the full serialization (equal to the txid without witness).
public struct WTxID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var hash: Hash256
    public init(_ hash: Hash256) { self.hash = hash }
    public static func < (lhs: WTxID, rhs: WTxID) -> Bool { lhs.hash < rhs.hash }
    public var description: String { hash.displayHex }
}

/// A block hash: SHA256d of the 80-byte header.
public struct BlockHash: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var hash: Hash256
    public init(_ hash: Hash256) { self.hash = hash }
    public init?(displayHex: String) {
        guard let hash = Hash256(displayHex: displayHex) else { return nil }
        self.hash = hash
    }
    public static func < (lhs: BlockHash, rhs: BlockHash) -> Bool { lhs.hash < rhs.hash }
    public var description: String { hash.displayHex }
}

extension TxID: BinaryCodable {
    public init(from reader: inout ByteReader) throws(DecodingError) { hash = try Hash256(from: &reader) }
    public func encode(to writer: inout ByteWriter) { hash.encode(to: &writer) }
}

extension BlockHash: BinaryCodable {
    public init(from reader: inout ByteReader) throws(DecodingError) { hash = try Hash256(from: &reader) }
    public func encode(to writer: inout ByteWriter) { hash.encode(to: &writer) }
}
