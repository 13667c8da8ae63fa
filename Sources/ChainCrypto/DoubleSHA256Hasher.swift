/// Incremental SHA256d, for hashing large streams (such as the UTXO set) without buffering them.
public struct DoubleSHA256Hasher {
    private var inner = SHA256Hasher()

    public init() {}

    public mutating func update(_ bytes: [UInt8]) { inner.update(bytes) }

    /// SHA256 of the SHA256 of everything fed.
    public func finalize() -> Hash256 {
        Hashing.sha256(hash: inner.finalize())
    }
}
