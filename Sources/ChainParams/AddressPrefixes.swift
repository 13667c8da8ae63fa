import ChainCrypto

/// How one network writes addresses and keys as text.
public struct AddressPrefixes: Sendable, Equatable {
    /// Version byte of Base58Check pay-to-pubkey-hash addresses.
    public var pubkeyHash: UInt8
    /// Version byte of Base58Check pay-to-script-hash addresses.
    public var scriptHash: UInt8
    /// Version byte of WIF private keys.
    public var secretKey: UInt8
    /// Human-readable part of Bech32/Bech32m segwit addresses.
    public var bech32HRP: String
    /// BIP32 serialization versions.
    public var extendedKeys: ExtendedKeyVersions

    public init(pubkeyHash: UInt8, scriptHash: UInt8, secretKey: UInt8, bech32HRP: String, extendedKeys: ExtendedKeyVersions) {
        self.pubkeyHash = pubkeyHash
        self.scriptHash = scriptHash
        self.secretKey = secretKey
        self.bech32HRP = bech32HRP
        self.extendedKeys = extendedKeys
    }
}
