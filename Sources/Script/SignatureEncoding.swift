import ChainCrypto

/// Encoding rules for signatures and public keys inside scripts (BIP66 DER, LOW_S, STRICTENC,
/// WITNESS_PUBKEYTYPE).
public enum SignatureEncoding {
    /// BIP66 strict DER followed by one sighash byte.
    public static func isValidDER(_ sig: [UInt8]) -> Bool {
        guard sig.count >= 9, sig.count <= 73, sig[0] == 0x30, Int(sig[1]) == sig.count - 3 else { return false }
        let lengthR = Int(sig[3])
        guard 5 + lengthR < sig.count else { return false }
        let lengthS = Int(sig[5 + lengthR])
        guard lengthR + lengthS + 7 == sig.count, sig[2] == 0x02, lengthR != 0, sig[4] & 0x80 == 0 else { return false }
        if lengthR > 1 && sig[4] == 0 && sig[5] & 0x80 == 0 { return false }
        guard sig[lengthR + 4] == 0x02, lengthS != 0, sig[lengthR + 6] & 0x80 == 0 else { return false }
        if lengthS > 1 && sig[lengthR + 6] == 0 && sig[lengthR + 7] & 0x80 == 0 { return false }
        return true
    }

    /// Core's `CheckSignatureEncoding`. The empty signature is always allowed.
    public static func checkSignature(_ sig: [UInt8], flags: ScriptVerifyFlags) throws(ScriptError) {
        guard let hashByte = sig.last else { return }
        if !flags.isDisjoint(with: [.derSignatures, .lowS, .strictEncoding]) && !isValidDER(sig) { throw .sigDER }
        if flags.contains(.lowS) {
            guard let parsed = try? ECDSASignature(laxDER: sig.dropLast()), parsed.hasLowS else { throw .sigHighS }
        }
        if flags.contains(.strictEncoding) {
            let baseType = hashByte & ~SighashType.anyoneCanPay
            if baseType < SighashType.all || baseType > SighashType.single { throw .sigHashtype }
        }
    }

    /// Core's `CheckPubKeyEncoding`.
    public static func checkPublicKey(_ key: [UInt8], flags: ScriptVerifyFlags, version: SignatureVersion) throws(ScriptError) {
        if flags.contains(.strictEncoding) && !isCompressedOrUncompressed(key) { throw .pubkeyType }
        if flags.contains(.witnessPubkeyType) && version == .witnessV0 && !isCompressed(key) { throw .witnessPubkeyType }
    }

    static func isCompressedOrUncompressed(_ key: [UInt8]) -> Bool {
        guard key.count >= 33 else { return false }
        switch key[0] {
        case 0x04: return key.count == 65
        case 0x02, 0x03: return key.count == 33
        default: return false
        }
    }

    static func isCompressed(_ key: [UInt8]) -> Bool {
        key.count == 33 && (key[0] == 0x02 || key[0] == 0x03)
    }
}
