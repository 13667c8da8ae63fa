import ByteCodec
import ChainCrypto
import Testing
import TestSupport

/// BIP340's test-vectors.csv: signing (deterministic given aux_rand) and verification.
@Suite struct BIP340VectorTests {
    @Test func signAndVerifyAllVectors() throws {
        let records = try Fixture("bip340_test_vectors.csv", in: .module).csvRecords()
        #expect(records.count == 19, "every row of test-vectors.csv is read")
        for record in records {
            let index = record["index"] ?? "?"
            let publicKeyBytes = [UInt8](hex: record["public key"] ?? "") ?? []
            let message = [UInt8](hex: record["message"] ?? "") ?? []
            let signature = [UInt8](hex: record["signature"] ?? "") ?? []
            let expectValid = record["verification result"] == "TRUE"
            if let secretHex = record["secret key"], !secretHex.isEmpty {
                let secret = try PrivateKey(bytes: [UInt8](hex: secretHex) ?? [])
                #expect(secret.xOnlyPublicKey.bytes == publicKeyBytes, "vector \(index) public key")
                let aux = [UInt8](hex: record["aux_rand"] ?? "")
                let ours = try secret.signSchnorr(message: message, auxiliaryRandomness: aux)
                #expect(ours == signature, "vector \(index) signature")
            }
            let verified: Bool
            if let key = try? XOnlyPublicKey(bytes: publicKeyBytes) {
                verified = key.verify(schnorrSignature: signature, message: message)
            } else {
                verified = false  // vector 5: public key not on the curve
            }
            #expect(verified == expectValid, "vector \(index) verification: \(record["comment"] ?? "")")
        }
    }

    @Test func startupSelfTestPasses() throws {
        try CryptoSelfTest.run()
    }
}
