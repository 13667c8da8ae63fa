import CSecp256k1

/// A BIP340 x-only public key (32 bytes): the point with that x coordinate and even y.
public struct XOnlyPublicKey: Hashable, Sendable {
    let parsed: secp256k1_xonly_pubkey

    init(parsed: secp256k1_xonly_pubkey) { self.parsed = parsed }

    /// Parses 32 bytes; throws if they are not the x coordinate of a curve point.
    public init(bytes: some Collection<UInt8>) throws(CryptoError) {
        guard bytes.count == 32 else { throw .invalidPublicKey }
        var key = secp256k1_xonly_pubkey()
        let input = Array(bytes)
        guard secp256k1_xonly_pubkey_parse(Secp256k1Context.shared.pointer, &key, input) == 1 else {
            throw .invalidPublicKey
        }
        parsed = key
    }

    /// The 32-byte serialization.
    public var bytes: [UInt8] {
        var key = parsed
        var output = [UInt8](repeating: 0, count: 32)
        _ = secp256k1_xonly_pubkey_serialize(Secp256k1Context.shared.pointer, &output, &key)
        return output
    }

    /// Verifies a 64-byte BIP340 signature over a message of any length.
    public func verify(schnorrSignature signature: some Collection<UInt8>, message: [UInt8]) -> Bool {
        guard signature.count == 64 else { return false }
        var key = parsed
        let sig = Array(signature)
        return secp256k1_schnorrsig_verify(Secp256k1Context.shared.pointer, sig, message, message.count, &key) == 1
    }

    /// Verifies a 64-byte BIP340 signature over a 32-byte hash (the taproot case; no allocation).
    public func verify(schnorrSignature signature: UnsafeRawBufferPointer, hash: Hash256) -> Bool {
        guard signature.count == 64, let sigBase = signature.baseAddress else { return false }
        var key = parsed
        return hash.withUnsafeBytePointer { message in
            secp256k1_schnorrsig_verify(
                Secp256k1Context.shared.pointer, sigBase.assumingMemoryBound(to: UInt8.self), message, 32, &key) == 1
        }
    }

    /// BIP341 output key: `self + t·G` with `t = taggedHash("TapTweak", self ‖ merkleRoot)`.
    /// Returns the x-only result and whether its y is odd.
    public func tapTweaked(merkleRoot: Hash256?) throws(CryptoError) -> (key: XOnlyPublicKey, parity: Bool) {
        try tweaked(by: XOnlyPublicKey.tapTweak(internalKey: self, merkleRoot: merkleRoot))
    }

    /// `self + tweak·G`, returned as x-only key and y parity.
    public func tweaked(by tweak: Hash256) throws(CryptoError) -> (key: XOnlyPublicKey, parity: Bool) {
        let context = Secp256k1Context.shared.pointer
        var internalKey = parsed
        var output = secp256k1_pubkey()
        let ok = tweak.withUnsafeBytePointer { tweakBytes in
            secp256k1_xonly_pubkey_tweak_add(context, &output, &internalKey, tweakBytes)
        }
        guard ok == 1 else { throw .invalidTweak }
        var xonly = secp256k1_xonly_pubkey()
        var parity: Int32 = 0
        _ = secp256k1_xonly_pubkey_from_pubkey(context, &xonly, &parity, &output)
        return (XOnlyPublicKey(parsed: xonly), parity == 1)
    }

    /// Checks that `outputKey` (with y parity `parity`) equals `self` tweaked by `tweak`:
    /// the commitment check of a taproot script-path spend.
    public func checkTweak(outputKey: some Collection<UInt8>, parity: Bool, tweak: Hash256) -> Bool {
        guard outputKey.count == 32 else { return false }
        var internalKey = parsed
        let output = Array(outputKey)
        return tweak.withUnsafeBytePointer { tweakBytes in
            secp256k1_xonly_pubkey_tweak_add_check(
                Secp256k1Context.shared.pointer, output, parity ? 1 : 0, &internalKey, tweakBytes) == 1
        }
    }

    /// The BIP341 TapTweak hash of an internal key and optional script-tree root.
    public static func tapTweak(internalKey: XOnlyPublicKey, merkleRoot: Hash256?) -> Hash256 {
        var data = internalKey.bytes
        if let merkleRoot { data += merkleRoot.bytes }
        return TaggedHash.tapTweak.hash(data)
    }

    public static func == (lhs: XOnlyPublicKey, rhs: XOnlyPublicKey) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
