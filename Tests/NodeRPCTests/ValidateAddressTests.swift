import ChainCrypto
import ChainParams
import JSONRPC
import NodeRPC
import Testing

/// `validateaddress`: Core's result shapes and its error messages and positions
/// (addresses as in Core's functional test `rpc_invalid_address_message.py`).
@Suite struct ValidateAddressTests {
    let method = UtilRPC.validateAddress(chainParams: .regtest)

    func validate(_ address: String) async throws -> JSONObject {
        try #require(try await RPCTestSupport.call(method, [.string(address)]).get().objectValue)
    }

    func expectInvalid(
        _ address: String, _ message: String, _ positions: [Int64] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let result = try await validate(address)
        #expect(result.keys == ["isvalid", "error_locations", "error"], sourceLocation: sourceLocation)
        #expect(result["isvalid"] == false, sourceLocation: sourceLocation)
        #expect(result["error"] == .string(message), sourceLocation: sourceLocation)
        #expect(result["error_locations"] == .array(positions.map { .int($0) }), sourceLocation: sourceLocation)
    }

    @Test func validWitnessKeyHash() async throws {
        let result = try await validate("bcrt1qtmp74ayg7p24uslctssvjm06q5phz4yrxucgnv")
        #expect(result.keys == ["isvalid", "address", "scriptPubKey", "isscript", "iswitness", "witness_version", "witness_program"])
        #expect(result["isvalid"] == true)
        #expect(result["scriptPubKey"] == "00145ec3eaf488f0555e43f85c20c96dfa0503715483")
        #expect(result["isscript"] == false)
        #expect(result["witness_version"] == 0)
        #expect(result["witness_program"] == "5ec3eaf488f0555e43f85c20c96dfa0503715483")
    }

    @Test func validOtherKinds() async throws {
        let p2pkh = try await validate("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn")
        #expect(p2pkh.keys == ["isvalid", "address", "scriptPubKey", "isscript", "iswitness"])
        #expect(p2pkh["isscript"] == false)
        let capitals = try await validate("BCRT1QTMP74AYG7P24USLCTSSVJM06Q5PHZ4YRXUCGNV")
        #expect(capitals["address"] == "bcrt1qtmp74ayg7p24uslctssvjm06q5phz4yrxucgnv")
        let unknown = try await validate(try #require(Bech32.encodeSegwit(hrp: "bcrt", version: 2, program: [0xaa, 0x55])))
        #expect(unknown.keys == ["isvalid", "address", "scriptPubKey", "iswitness", "witness_version", "witness_program"])
        let anchor = try await validate(try #require(Bech32.encodeSegwit(hrp: "bcrt", version: 1, program: [0x4e, 0x73])))
        #expect(anchor.keys == ["isvalid", "address", "scriptPubKey", "isscript", "iswitness"])
        #expect(anchor["scriptPubKey"] == "51024e73")
    }

    @Test func bech32ErrorsWithPositions() async throws {
        try await expectInvalid(
            "bcrt1q049edschfnwystcqnsvyfpj23mpsg3jcedq9xv049edschfnwystcqnsvyfpj23mpsg3jcedq9xv049edschfnwystcqnsvyfpj23m",
            "Bech32 string too long", Array(90..<108))
        try await expectInvalid("bcrt1q049edschfnwystcqnsvyfpj23mpsg3jcedq9xv", "Invalid Bech32 checksum", [9])
        try await expectInvalid("bcrt1qax9suht3qv95sw33xavx8crpxduefdrsvgsklu", "Invalid Bech32 checksum", [22, 43])
        try await expectInvalid("BCRT1QPLMTZKC2XHARPPZDLNPAQL78RSHJ68U32RAH7R", "Invalid Bech32 checksum", [38])
        try await expectInvalid("bcrtq049ldschfnwystcqnsvyfpj23mpsg3jcedq9xv", "Missing separator")
        try await expectInvalid("bcrt1q04oldschfnwystcqnsvyfpj23mpsg3jcedq9xv", "Invalid Base 32 character", [8])
        try await expectInvalid(
            "bcrt1qdg3myrgvzw7ml8q0ejxhlkyxn7vl9r56yzkfgvzclrf4hkpx9yfqhpsuks", "Invalid Bech32 checksum", [19, 30])
        try await expectInvalid("bcrt1ptmp74ayg7p24uslctssvjm06q5phz4yrxucgnv", "Invalid Bech32 checksum", [5])
    }

    @Test func bech32SemanticErrors() async throws {
        let program32 = [UInt8](repeating: 0x79, count: 32)
        let v1WithBech32 = Bech32.encode(hrp: "bcrt", data: [1] + Bech32.convertBits(program32, from: 8, to: 5, pad: true)!, variant: .bech32)
        try await expectInvalid(v1WithBech32, "Version 1+ witness address must use Bech32m checksum")
        let v0WithBech32m = Bech32.encode(hrp: "bcrt", data: [0] + Bech32.convertBits(Array(program32.prefix(20)), from: 8, to: 5, pad: true)!, variant: .bech32m)
        try await expectInvalid(v0WithBech32m, "Version 0 witness address must use Bech32 checksum")
        let v17 = Bech32.encode(hrp: "bcrt", data: [17] + Bech32.convertBits(program32, from: 8, to: 5, pad: true)!, variant: .bech32m)
        try await expectInvalid(v17, "Invalid Bech32 address witness version")
        let size41 = Bech32.encode(hrp: "bcrt", data: [16] + Bech32.convertBits([UInt8](repeating: 0, count: 41), from: 8, to: 5, pad: true)!, variant: .bech32m)
        try await expectInvalid(size41, "Invalid Bech32 address program size (41 bytes)")
        let v0Size21 = Bech32.encode(hrp: "bcrt", data: [0] + Bech32.convertBits([UInt8](repeating: 0, count: 21), from: 8, to: 5, pad: true)!, variant: .bech32)
        try await expectInvalid(v0Size21, "Invalid Bech32 v0 address program size (21 bytes), per BIP141")
        try await expectInvalid(
            "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
            "Invalid or unsupported Segwit (Bech32) or Base58 encoding.")
    }

    @Test func base58AndOtherErrors() async throws {
        try await expectInvalid("17VZNX1SN5NtKa8UQFxwQbFeFc3iqRYhem", "Invalid or unsupported Base58-encoded address.")
        try await expectInvalid("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJJfn", "Invalid checksum or length of Base58 address (P2PKH or P2SH)")
        try await expectInvalid(
            "2VKf7XKMrp4bVNVmuRbyCewkP8FhGLP2E54LHDPakr9Sq5mtU2", "Invalid checksum or length of Base58 address (P2PKH or P2SH)")
        try await expectInvalid("asfah14i8fajz0123f", "Invalid or unsupported Segwit (Bech32) or Base58 encoding.")
        try await expectInvalid("1q049ldschfnwystcqnsvyfpj23mpsg3jcedq9xv", "Invalid or unsupported Segwit (Bech32) or Base58 encoding.")
    }
}
