import ByteCodec
import ChainCrypto
import Crypto
import Testing

/// Known-answer tests for the hash functions (values from their standards) and SipHash-2-4.
@Suite struct HashingTests {
    @Test func standardDigests() {
        let abc = Array("abc".utf8)
        // FIPS 180-2 and the RIPEMD-160 reference.
        #expect(Hashing.sha256(abc).bytes.hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hashing.ripemd160(abc).hexString == "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc")
        #expect(Hashing.sha256d(abc) == Hashing.sha256(Hashing.sha256(abc).bytes))
        #expect(Hashing.hash160(abc) == Hashing.ripemd160(Hashing.sha256(abc).bytes))
        // RFC 4231 test case 2.
        let mac = Hashing.hmacSHA512(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8))
        #expect(mac.hexString.hasPrefix("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"))
    }

    @Test func taggedHashIsDoubleTagPrefix() {
        let data: [UInt8] = Array(0..<100)
        let tag = Hashing.sha256(Array("TapLeaf".utf8)).bytes
        #expect(TaggedHash.tapLeaf.hash(data) == Hashing.sha256(tag + tag + data))
    }

    /// SipHash-2-4 with key 00..0f over messages 00..n-1: the reference implementation's vectors
    /// (also in Bitcoin Core's hash_tests), cross-checked with PyPI's siphash24.
    @Test func sipHashReferenceVectors() {
        let expected: [(Int, UInt64)] = [
            (0, 0x726f_db47_dd0e_0e31), (1, 0x74f8_39c5_93dc_67fd), (8, 0x93f5_f579_9a93_2462),
            (16, 0x3f2a_cc7f_57c2_9bdb), (18, 0x4bc1_b3f0_968d_d39c), (27, 0x2f2e_6163_076b_cfad),
            (32, 0x7127_512f_72f2_7cce), (40, 0x0e3e_a96b_5304_a7d0), (48, 0xe612_a3cb_9ecb_a951),
        ]
        for (length, value) in expected {
            var whole = SipHash(k0: 0x0706_0504_0302_0100, k1: 0x0f0e_0d0c_0b0a_0908)
            whole.update(Array(UInt8(0)..<UInt8(length)))
            #expect(whole.finalize() == value, "length \(length)")
            // Feeding in odd-sized pieces and whole words gives the same result.
            var pieces = SipHash(k0: 0x0706_0504_0302_0100, k1: 0x0f0e_0d0c_0b0a_0908)
            var offset = 0
            while offset < length {
                if offset % 8 == 0 && length - offset >= 8 {
                    let word = (0..<8).reduce(UInt64(0)) { $0 | UInt64(offset + $1) << (8 * UInt64($1)) }
                    pieces.update(word: word)
                    offset += 8
                } else {
                    let end = min(length, offset + 3)
                    pieces.update(Array(UInt8(offset)..<UInt8(end)))
                    offset = end
                }
            }
            #expect(pieces.finalize() == value, "length \(length) in pieces")
        }
    }
}
