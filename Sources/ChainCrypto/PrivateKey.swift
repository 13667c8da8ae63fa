import CSecp256k1

/// A secp256k1 secret key: 32 bytes, non-zero and below the group order.
public struct PrivateKey: Sendable, Equatable {
    /// The 32 secret bytes.
    public let bytes: [UInt8]

    /// Validates 32 bytes as a secret key.
    public init(bytes: [UInt8]) throws(CryptoError) {
        guard bytes.count == 32, secp256k1_ec_seckey_verify(Secp256k1Context.shared.pointer, bytes) == 1 else {
            throw .invalidPrivateKey
        }
        self.bytes = bytes
    }

    /// A fresh random key from the operating system's generator.
    public static func random() -> PrivateKey {
        while true {
            if let key = try? PrivateKey(bytes: SystemRandom.bytes(32)) { return key }
        }
    }

    /// The public key, compressed unless asked otherwise.
    public func publicKey(compressed: Bool = true) -> PublicKey {
        var point = secp256k1_pubkey()
        _ = secp256k1_ec_pubkey_create(Secp256k1Context.shared.pointer, &point, bytes)
        return PublicKey(point: point, compressed: compressed)
    }

    /// The BIP340 x-only public key.
    public var xOnlyPublicKey: XOnlyPublicKey { publicKey().xOnly }

    /// Deterministic (RFC 6979) ECDSA signature with low S, over a 32-byte hash.
    public func signECDSA(messageHash: Hash256) throws(CryptoError) -> ECDSASignature {
        var sig = secp256k1_ecdsa_signature()
        let ok = messageHash.withUnsafeBytePointer { message in
            secp256k1_ecdsa_sign(Secp256k1Context.shared.pointer, &sig, message, bytes, nil, nil)
        }
        guard ok == 1 else { throw .signingFailed }
        return ECDSASignature(parsed: sig)
    }

    /// BIP340 Schnorr signature of `message` (any length) with 32 bytes of auxiliary randomness.
    public func signSchnorr(message: [UInt8], auxiliaryRandomness: [UInt8]?) throws(CryptoError) -> [UInt8] {
        let context = Secp256k1Context.shared.pointer
        var keypair = secp256k1_keypair()
        guard secp256k1_keypair_create(context, &keypair, bytes) == 1 else { throw .invalidPrivateKey }
        if let aux = auxiliaryRandomness, aux.count != 32 { throw .signingFailed }
        var signature = [UInt8](repeating: 0, count: 64)
        var ok: Int32 = 0
        if let aux = auxiliaryRandomness {
            aux.withUnsafeBufferPointer { auxBuffer in
                // SECP256K1_SCHNORRSIG_EXTRAPARAMS_MAGIC is a C array initializer that Swift cannot import.
                var params = secp256k1_schnorrsig_extraparams(
                    magic: (0xda, 0x6f, 0xb3, 0x8c), noncefp: nil,
                    ndata: UnsafeMutableRawPointer(mutating: auxBuffer.baseAddress))
                ok = secp256k1_schnorrsig_sign_custom(context, &signature, message, message.count, &keypair, &params)
            }
        } else {
            ok = secp256k1_schnorrsig_sign_custom(context, &signature, message, message.count, &keypair, nil)
        }
        guard ok == 1 else { throw .signingFailed }
        return signature
    }

    /// `(self + tweak) mod n` (BIP32 private derivation).
    public func adding(tweak: [UInt8]) throws(CryptoError) -> PrivateKey {
        guard tweak.count == 32 else { throw .invalidTweak }
        var result = bytes
        guard secp256k1_ec_seckey_tweak_add(Secp256k1Context.shared.pointer, &result, tweak) == 1 else {
            throw .invalidTweak
        }
        return try PrivateKey(bytes: result)
    }

    /// The secret key of the BIP341 output key `P + t·G` (for taproot key-path signing).
    public func tapTweaked(merkleRoot: Hash256?) throws(CryptoError) -> PrivateKey {
        let context = Secp256k1Context.shared.pointer
        var keypair = secp256k1_keypair()
        guard secp256k1_keypair_create(context, &keypair, bytes) == 1 else { throw .invalidPrivateKey }
        let tweak = XOnlyPublicKey.tapTweak(internalKey: xOnlyPublicKey, merkleRoot: merkleRoot).bytes
        guard secp256k1_keypair_xonly_tweak_add(context, &keypair, tweak) == 1 else { throw .invalidTweak }
        var secret = [UInt8](repeating: 0, count: 32)
        _ = secp256k1_keypair_sec(context, &secret, &keypair)
        return try PrivateKey(bytes: secret)
    }
}
