/// Failures of key and signature operations.
public enum CryptoError: Error, Equatable, Sendable {
    case invalidPrivateKey
    case invalidPublicKey
    case invalidSignature
    case invalidTweak
    case signingFailed
    case selfTestFailed(String)
}
