import ChainCrypto
import ChainParams

/// Wallet Import Format for private keys: Base58Check of prefix ‖ key ‖ (0x01 if compressed).
public struct WIF: Sendable, Equatable {
    public let key: PrivateKey
    /// Whether the key's public key is used in compressed form.
    public let compressed: Bool

    public init(key: PrivateKey, compressed: Bool = true) {
        self.key = key
        self.compressed = compressed
    }

    /// Decodes as Core's `DecodeSecret`; nil on a wrong prefix, length or invalid key.
    public init?(_ string: String, prefixes: AddressPrefixes) {
        guard let payload = Base58.decodeCheck(string), payload.first == prefixes.secretKey else { return nil }
        let isCompressed = payload.count == 34 && payload[33] == 1
        guard payload.count == 33 || isCompressed, let key = try? PrivateKey(bytes: Array(payload[1..<33])) else { return nil }
        self.key = key
        compressed = isCompressed
    }

    public func encoded(prefixes: AddressPrefixes) -> String {
        Base58.encodeCheck([prefixes.secretKey] + key.bytes + (compressed ? [1] : []))
    }
}
