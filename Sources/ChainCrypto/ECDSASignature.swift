import CSecp256k1

/// A parsed ECDSA signature (r, s) without the sighash byte.
public struct ECDSASignature: Sendable {
    let parsed: secp256k1_ecdsa_signature

    init(parsed: secp256k1_ecdsa_signature) { self.parsed = parsed }

    /// Parses strict DER (BIP66 form).
    public init(strictDER der: [UInt8]) throws(CryptoError) {
        var sig = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_signature_parse_der(Secp256k1Context.shared.pointer, &sig, der, der.count) == 1 else { throw .invalidSignature }
        parsed = sig
    }

    /// Parses DER as leniently as Bitcoin Core's `ecdsa_signature_parse_der_lax`, which accepts
    /// the malformed encodings found in old blocks: any length bytes, excess padding, and
    /// out-of-range values (which then simply fail to verify).
    public init(laxDER der: some Collection<UInt8>) throws(CryptoError) {
        let parsed = der.withContiguousStorageIfAvailable(Self.parseLax) ?? Array(der).withUnsafeBufferPointer(Self.parseLax)
        guard let parsed else { throw .invalidSignature }
        self.parsed = parsed
    }

    /// Core's lax parse of `input`; nil when it is not even loosely DER.
    private static func parseLax(_ input: UnsafeBufferPointer<UInt8>) -> secp256k1_ecdsa_signature? {
        guard let (r, s) = LaxDER.integers(input) else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { compact -> secp256k1_ecdsa_signature? in
            guard let base = compact.baseAddress else { return nil }
            compact.initialize(repeating: 0)
            let overflow = r.count > 32 || s.count > 32
            if !overflow {
                for (index, byte) in input[r].enumerated() { compact[32 - r.count + index] = byte }
                for (index, byte) in input[s].enumerated() { compact[64 - s.count + index] = byte }
            }
            var sig = secp256k1_ecdsa_signature()
            let context = Secp256k1Context.shared.pointer
            if overflow || secp256k1_ecdsa_signature_parse_compact(context, &sig, base) != 1 {
                // Out-of-range r or s: Core substitutes an all-zero signature, which never verifies.
                compact.update(repeating: 0)
                _ = secp256k1_ecdsa_signature_parse_compact(context, &sig, base)
            }
            return sig
        }
    }

    /// Compact 64-byte (r ‖ s) form.
    public var compact: [UInt8] {
        var sig = parsed
        var output = [UInt8](repeating: 0, count: 64)
        _ = secp256k1_ecdsa_signature_serialize_compact(Secp256k1Context.shared.pointer, &output, &sig)
        return output
    }

    /// Strict DER encoding.
    public var der: [UInt8] {
        var sig = parsed
        var output = [UInt8](repeating: 0, count: 72)
        var length = output.count
        _ = secp256k1_ecdsa_signature_serialize_der(Secp256k1Context.shared.pointer, &output, &length, &sig)
        return Array(output.prefix(length))
    }

    /// True when S is in the lower half of the group order (BIP62 rule 5).
    public var hasLowS: Bool {
        var sig = parsed
        return secp256k1_ecdsa_signature_normalize(Secp256k1Context.shared.pointer, nil, &sig) == 0
    }
}

/// The lenient DER walk: finds r and s (as ranges of the input, leading zeros stripped) or nil
/// when the basic structure is missing.
enum LaxDER {
    static func integers(_ input: UnsafeBufferPointer<UInt8>) -> (Range<Int>, Range<Int>)? {
        var position = 0
        // Sequence tag, then its length, whose value is ignored (a long form is skipped whole).
        guard position < input.count, input[position] == 0x30 else { return nil }
        position += 1
        guard position < input.count else { return nil }
        let sequenceLength = Int(input[position])
        position += 1
        if sequenceLength & 0x80 != 0 {
            let lengthBytes = sequenceLength & 0x7f
            guard lengthBytes <= input.count - position else { return nil }
            position += lengthBytes
        }
        guard let r = integer(input, &position), let s = integer(input, &position) else { return nil }
        return (r, s)
    }

    /// Reads one INTEGER: tag 0x02, a length (long forms of at most 3 significant bytes after
    /// leading zeros), and the value with its leading zero bytes stripped.
    private static func integer(_ input: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> Range<Int>? {
        guard position < input.count, input[position] == 0x02 else { return nil }
        position += 1
        guard position < input.count else { return nil }
        var length = Int(input[position])
        position += 1
        if length & 0x80 != 0 {
            var lengthBytes = length & 0x7f
            guard lengthBytes <= input.count - position else { return nil }
            while lengthBytes > 0, input[position] == 0 {
                position += 1
                lengthBytes -= 1
            }
            guard lengthBytes < 4 else { return nil }
            length = 0
            while lengthBytes > 0 {
                length = (length << 8) + Int(input[position])
                position += 1
                lengthBytes -= 1
            }
        }
        guard length <= input.count - position else { return nil }
        var start = position
        let end = position + length
        position = end
        while start < end, input[start] == 0 { start += 1 }
        return start..<end
    }
}
