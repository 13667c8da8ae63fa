import ByteCodec
import ChainCrypto
import Testing

@Suite struct ECDSATests {
    static let key = try! PrivateKey(bytes: Array(repeating: 0, count: 31) + [7])  // test-only constant key
    static let message = Hashing.sha256d(Array("rustyd".utf8))

    @Test func signaturesAreLowSAndVerify() throws {
        let signature = try Self.key.signECDSA(messageHash: Self.message)
        #expect(signature.hasLowS)
        #expect(Self.key.publicKey().verify(signature: signature, messageHash: Self.message))
        #expect(Self.key.publicKey(compressed: false).verify(signature: signature, messageHash: Self.message))
        #expect(!Self.key.publicKey().verify(signature: signature, messageHash: Hashing.sha256d([1])))
        // Strict DER round trip.
        let reparsed = try ECDSASignature(strictDER: signature.der)
        #expect(reparsed.compact == signature.compact)
    }

    @Test func laxDERAcceptsWhatStrictRejects() throws {
        let signature = try Self.key.signECDSA(messageHash: Self.message)
        let r = Array(signature.compact[0..<32]), s = Array(signature.compact[32..<64])
        // Excess zero padding on both integers and a long-form sequence length: invalid DER,
        // but old blocks contain such encodings and Core's lax parser accepts them.
        let paddedR = [0, 0] + r, paddedS = [0, 0, 0] + s
        var body: [UInt8] = [0x02, UInt8(paddedR.count)] + paddedR
        body += [0x02, 0x81, UInt8(paddedS.count)] + paddedS
        let encoded: [UInt8] = [0x30, 0x81, UInt8(body.count)] + body
        #expect(throws: CryptoError.self) { try ECDSASignature(strictDER: encoded) }
        let lax = try ECDSASignature(laxDER: encoded)
        #expect(lax.compact == signature.compact)
        #expect(Self.key.publicKey().verify(signature: lax, messageHash: Self.message))
        // Structural garbage is rejected even by the lax parser.
        #expect(throws: CryptoError.self) { try ECDSASignature(laxDER: [0x31] + encoded.dropFirst()) }
        #expect(throws: CryptoError.self) { try ECDSASignature(laxDER: Array(encoded.prefix(10))) }
    }

    @Test func highSIsNormalizedForVerification() throws {
        let signature = try Self.key.signECDSA(messageHash: Self.message)
        // n - s flips a low S into a high S that verifies the same message.
        let order: [UInt8] = [UInt8](hex: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141") ?? []
        let s = Array(signature.compact[32..<64])
        var negated = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            var difference = Int(order[index]) - Int(s[index]) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 256 }
            negated[index] = UInt8(difference)
        }
        let highDER = encodeDER(r: Array(signature.compact[0..<32]), s: negated)
        let high = try ECDSASignature(strictDER: highDER)
        #expect(!high.hasLowS)
        #expect(Self.key.publicKey().verify(signature: high, messageHash: Self.message))
    }

    private func encodeDER(r: [UInt8], s: [UInt8]) -> [UInt8] {
        func integer(_ value: [UInt8]) -> [UInt8] {
            var trimmed = Array(value.drop { $0 == 0 })
            if let first = trimmed.first, first & 0x80 != 0 { trimmed.insert(0, at: 0) }
            return [0x02, UInt8(trimmed.count)] + trimmed
        }
        let body = integer(r) + integer(s)
        return [0x30, UInt8(body.count)] + body
    }
}
