/// Start-up checks that the linked libsecp256k1 has the modules rustyd needs and computes
/// correctly: BIP340 vector 0 (schnorrsig + extrakeys), an ECDSA round trip, and the hashes.
public enum CryptoSelfTest {
    /// Throws `CryptoError.selfTestFailed` naming the first check that failed.
    public static func run() throws(CryptoError) {
        // BIP340 test vector 0: secret key 3, aux_rand 0, message 0.
        var secret = [UInt8](repeating: 0, count: 32)
        secret[31] = 3
        let key = try PrivateKey(bytes: secret)
        let zero = [UInt8](repeating: 0, count: 32)
        let signature = try key.signSchnorr(message: zero, auxiliaryRandomness: zero)
        let expected = "e907831f80848d1069a5371b402410364bdf1c5f8307b0084c55f1ce2dca821525f66a4a85ea8b71e482a74f382d2ce5ebeee8fdb2172f477df4900d310536c0"
        guard signature.hexString == expected else { throw .selfTestFailed("BIP340 signing (schnorrsig module)") }
        guard key.xOnlyPublicKey.verify(schnorrSignature: signature, message: zero) else {
            throw .selfTestFailed("BIP340 verification (extrakeys/schnorrsig modules)")
        }
        let digest = Hashing.sha256d(Array("rustyd".utf8))
        let ecdsa = try key.signECDSA(messageHash: digest)
        guard key.publicKey().verify(signature: ecdsa, messageHash: digest), ecdsa.hasLowS else {
            throw .selfTestFailed("ECDSA sign/verify")
        }
        guard Hashing.hash160([]).hexString == "b472a266d0bd89c13706a4132ccfb16f7c3b9fcb" else {
            throw .selfTestFailed("RIPEMD-160/SHA-256 (libcrypto)")
        }
    }
}
