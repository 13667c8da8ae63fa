import ByteCodec
import ChainCrypto

/// One entry of `inv`, `getdata` and `notfound`: what kind of object, and its hash.
public struct InventoryItem: Equatable, Hashable, Sendable {
    /// The kind (`MSG_*`), with BIP144's witness flag where it applies.
    public struct Kind: RawRepresentable, Equatable, Hashable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let transaction = Kind(rawValue: 1)
        public static let block = Kind(rawValue: 2)
        public static let filteredBlock = Kind(rawValue: 3)
        public static let compactBlock = Kind(rawValue: 4)
        /// A transaction by wtxid (BIP339).
        public static let witnessTransactionID = Kind(rawValue: 5)
        static let witnessFlag: UInt32 = 1 << 30
        public static let witnessTransaction = Kind(rawValue: 1 | witnessFlag)
        public static let witnessBlock = Kind(rawValue: 2 | witnessFlag)
    }

    public var kind: Kind
    public var hash: Hash256

    public init(kind: Kind, hash: Hash256) {
        self.kind = kind
        self.hash = hash
    }

    static let size = 36

    public init(from reader: inout ByteReader) throws(DecodingError) {
        kind = Kind(rawValue: try reader.readUInt32LE())
        hash = try reader.readHash256()
    }

    public func encode(to writer: inout ByteWriter) {
        writer.writeUInt32LE(kind.rawValue)
        writer.write(hash.bytes)
    }
}
