import ChainCrypto

/// The keys and scripts `signrawtransactionwithkey` may use (Core's `FlatSigningProvider`):
/// private keys by the HASH160 of their public key, scripts by their HASH160 (`CScriptID`,
/// which also finds P2WSH witness scripts, since their id is the RIPEMD160 of the SHA256).
public struct SigningProvider: Sendable {
    /// A private key with the public key form it is used with.
    public struct Key: Sendable, Equatable {
        /// The secret.
        public var privateKey: PrivateKey
        /// The SEC public key (compressed unless the WIF said otherwise).
        public var publicKey: [UInt8]
    }

    private var keys: [[UInt8]: Key] = [:]
    private var scripts: [[UInt8]: [UInt8]] = [:]

    /// An empty provider.
    public init() {}

    /// Adds `key`, used with its compressed or uncompressed public key.
    public mutating func add(_ key: PrivateKey, compressed: Bool) {
        let publicKey = key.publicKey(compressed: compressed).bytes
        keys[Hashing.hash160(publicKey)] = Key(privateKey: key, publicKey: publicKey)
    }

    /// Adds a redeem or witness script.
    public mutating func add(script: [UInt8]) {
        scripts[Hashing.hash160(script)] = script
    }

    /// The key whose public key hashes to `keyID`.
    public func key(keyID: [UInt8]) -> Key? { keys[keyID] }

    /// The key of the SEC public key `publicKey`.
    public func key(publicKey: [UInt8]) -> Key? {
        guard let key = keys[Hashing.hash160(publicKey)], key.publicKey == publicKey else { return nil }
        return key
    }

    /// A key whose x-only public key is `xOnly` (either parity).
    public func key(xOnly: [UInt8]) -> PrivateKey? {
        for prefix: UInt8 in [2, 3] {
            if let key = keys[Hashing.hash160([prefix] + xOnly)] { return key.privateKey }
        }
        return keys.values.first { $0.privateKey.xOnlyPublicKey.bytes == xOnly }?.privateKey
    }

    /// Every key, for key-path taproot matching.
    var allKeys: [Key] { Array(keys.values) }

    /// The script whose HASH160 is `scriptID`.
    public func script(scriptID: [UInt8]) -> [UInt8]? { scripts[scriptID] }
}
