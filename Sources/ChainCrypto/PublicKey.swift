import CSecp256k1

/// A secp256k1 public key in its serialized SEC form (33 bytes compressed, 65 uncompressed).
/// Construction parses the point, so a `PublicKey` is always on the curve.
public struct PublicKey: Hashable, Sendable {
    /// The SEC encoding this key was parsed from or serialized to.
    public let bytes: [UInt8]
    let parsed: secp256k1_pubkey

    /// Parses a SEC-encoded public key (also the hybrid 0x06/0x07 forms libsecp256k1 accepts).
    public init(bytes: [UInt8]) throws(CryptoError) {
        var point = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(Secp256k1Context.shared.pointer, &point, bytes, bytes.count) == 1 else { throw .invalidPublicKey }
        self.bytes = bytes
        parsed = point
    }

    init(point: secp256k1_pubkey, compressed: Bool) {
        var p = point
        var output = [UInt8](repeating: 0, count: compressed ? 33 : 65)
        var length = output.count
        _ = secp256k1_ec_pubkey_serialize(
            Secp256k1Context.shared.pointer, &output, &length, &p,
            UInt32(compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED))
        bytes = output
        parsed = point
    }

    public var isCompressed: Bool { bytes.count == 33 }

    /// The same point in the other SEC form.
    public func serialized(compressed: Bool) -> [UInt8] {
        PublicKey(point: parsed, compressed: compressed).bytes
    }

    /// The key's x coordinate, as used by BIP340.
    public var xOnly: XOnlyPublicKey {
        var point = parsed
        var xonly = secp256k1_xonly_pubkey()
        _ = secp256k1_xonly_pubkey_from_pubkey(Secp256k1Context.shared.pointer, &xonly, nil, &point)
        return XOnlyPublicKey(parsed: xonly)
    }

    /// Verifies an ECDSA signature over a 32-byte message hash. Like Bitcoin Core, a high-S
    /// signature is normalized first (consensus accepts both S values; policy checks LOW_S apart).
    public func verify(signature: ECDSASignature, messageHash: Hash256) -> Bool {
        var input = signature.parsed
        var sig = secp256k1_ecdsa_signature()
        var point = parsed
        let context = Secp256k1Context.shared.pointer
        _ = secp256k1_ecdsa_signature_normalize(context, &sig, &input)
        return messageHash.withUnsafeBytePointer { message in
            secp256k1_ecdsa_verify(context, &sig, message, &point) == 1
        }
    }

    /// `self + tweak·G` (BIP32 public derivation).
    public func adding(tweak: [UInt8]) throws(CryptoError) -> PublicKey {
        guard tweak.count == 32 else { throw .invalidTweak }
        var point = parsed
        guard secp256k1_ec_pubkey_tweak_add(Secp256k1Context.shared.pointer, &point, tweak) == 1 else {
            throw .invalidTweak
        }
        return PublicKey(point: point, compressed: isCompressed)
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
