import CSecp256k1

/// The benchmark baseline: libsecp256k1 called directly, doing only what any verifier must do
/// per signature from wire bytes (parse the key, parse the signature, verify). `rusty-bench`
/// compares the full script path against this; it lives here because ChainCrypto is the only
/// importer of libsecp256k1.
public enum RawVerificationBaseline {
    /// One ECDSA check: compressed or uncompressed SEC key, strict-DER signature, 32-byte hash.
    public struct ECDSAItem: Sendable {
        public let publicKey: [UInt8]
        public let derSignature: [UInt8]
        public let hash: [UInt8]
        public init(publicKey: [UInt8], derSignature: [UInt8], hash: [UInt8]) {
            self.publicKey = publicKey
            self.derSignature = derSignature
            self.hash = hash
        }
    }

    /// One BIP340 check: x-only key, 64-byte signature, 32-byte message.
    public struct SchnorrItem: Sendable {
        public let xOnlyKey: [UInt8]
        public let signature: [UInt8]
        public let message: [UInt8]
        public init(xOnlyKey: [UInt8], signature: [UInt8], message: [UInt8]) {
            self.xOnlyKey = xOnlyKey
            self.signature = signature
            self.message = message
        }
    }

    /// Verifies every item; returns how many were valid.
    public static func verify(_ items: [ECDSAItem]) -> Int {
        let context = Secp256k1Context.shared.pointer
        var valid = 0
        for item in items {
            var key = secp256k1_pubkey()
            var signature = secp256k1_ecdsa_signature()
            guard secp256k1_ec_pubkey_parse(context, &key, item.publicKey, item.publicKey.count) == 1,
                secp256k1_ecdsa_signature_parse_der(context, &signature, item.derSignature, item.derSignature.count) == 1
            else { continue }
            if secp256k1_ecdsa_verify(context, &signature, item.hash, &key) == 1 { valid += 1 }
        }
        return valid
    }

    /// Verifies every item; returns how many were valid.
    public static func verify(_ items: [SchnorrItem]) -> Int {
        let context = Secp256k1Context.shared.pointer
        var valid = 0
        for item in items {
            var key = secp256k1_xonly_pubkey()
            guard secp256k1_xonly_pubkey_parse(context, &key, item.xOnlyKey) == 1 else { continue }
            if secp256k1_schnorrsig_verify(context, item.signature, item.message, item.message.count, &key) == 1 { valid += 1 }
        }
        return valid
    }
}
