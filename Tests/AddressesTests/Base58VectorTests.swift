import ByteCodec
import ChainCrypto
import Testing
import TestSupport

/// Bitcoin Core's base58_encode_decode.json, and Base58Check behaviour.
@Suite struct Base58VectorTests {
    @Test func encodeDecodeVectors() throws {
        let rows = try Fixture("base58_encode_decode.json", in: .module).rows()
        #expect(rows.count == 21, "every row of base58_encode_decode.json is read")
        for row in rows {
            let hex = try #require(row.fields[0] as? String), text = try #require(row.fields[1] as? String)
            let bytes = try #require([UInt8](hex: hex))
            #expect(Base58.encode(bytes) == text, "\(row.label) encode")
            #expect(Base58.decode(text) == bytes, "\(row.label) decode")
        }
    }

    @Test func decodingRulesMatchCore() {
        #expect(Base58.decode("invalid") == nil)  // 'l' is not in the alphabet
        #expect(Base58.decode("\t\n skip \r") == [0x97, 0x1a, 0x55])  // surrounding space ignored
        #expect(Base58.decode("sk ip") == nil)  // inner space is not
        #expect(Base58.decode(String(repeating: "2", count: Base58.maxDecodedLength + 1)) == nil)
        let payload: [UInt8] = [0, 1, 2, 3, 250]
        let checked = Base58.encodeCheck(payload)
        #expect(Base58.decodeCheck(checked) == payload)
        var corrupted = Array(checked)
        corrupted[corrupted.count - 1] = corrupted.last == "2" ? "3" : "2"
        #expect(Base58.decodeCheck(String(corrupted)) == nil)
    }
}
