import COpenSSLCrypto
import Crypto
import Foundation

/// The hash functions of Bitcoin's formats. SHA-256 and RIPEMD-160 come from libcrypto's
/// allocation-free low-level functions (`SHA256Hasher`); HMAC and SHA-512 from swift-crypto.
public enum Hashing {
    /// SHA-256 of `data`.
    @inlinable
    public static func sha256(_ data: some DataProtocol) -> Hash256 {
        var hasher = SHA256Hasher()
        hasher.update(data)
        return hasher.finalize()
    }

    /// SHA-256 of an array's bytes.
    @inlinable
    public static func sha256(_ bytes: [UInt8]) -> Hash256 {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// SHA-256 of SHA-256 of an array's bytes.
    @inlinable
    public static func sha256d(_ bytes: [UInt8]) -> Hash256 {
        sha256(hash: sha256(bytes))
    }

    /// SHA-256 of SHA-256 (Bitcoin's `Hash`).
    @inlinable
    public static func sha256d(_ data: some DataProtocol) -> Hash256 {
        sha256(hash: sha256(data))
    }

    /// SHA-256 of a hash's 32 bytes (the second round of `sha256d`, BIP143's double hashes).
    @inlinable
    public static func sha256(hash: Hash256) -> Hash256 {
        var hasher = SHA256Hasher()
        hasher.update(hash)
        return hasher.finalize()
    }

    /// RIPEMD-160 of `data` (20 bytes).
    public static func ripemd160(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes(ripemd160(raw:))
    }

    /// RIPEMD-160 of SHA-256 (Bitcoin's `Hash160`, 20 bytes), hashing the digest in place.
    public static func hash160(_ data: [UInt8]) -> [UInt8] {
        sha256(data).withUnsafeBytes(ripemd160(raw:))
    }

    private static func ripemd160(raw input: UnsafeRawBufferPointer) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 20)
        digest.withUnsafeMutableBufferPointer { output in
            _ = RIPEMD160(input.bindMemory(to: UInt8.self).baseAddress, input.count, output.baseAddress)
        }
        return digest
    }

    /// HMAC-SHA512 (BIP32's key derivation function).
    public static func hmacSHA512(key: [UInt8], data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA512>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    /// HMAC-SHA256.
    public static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }
}
