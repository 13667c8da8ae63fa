import ChainParams
import JSONRPC
import NodeRPC
import Testing

/// Every row of Core's `rpc_decodescript.json`: our `decodescript` gives the same object.
@Suite struct DecodeScriptFixtureTests {
    @Test func everyRowMatchesCore() async throws {
        let rows = try #require(try RPCTestSupport.fixtureJSON("rpc_decodescript.json").arrayValue)
        #expect(rows.count == 10)
        let method = RawTransactionRPC.decodeScript(chainParams: .regtest)
        for (index, row) in rows.enumerated() {
            let fields = try #require(row.arrayValue)
            let hex = try #require(fields[0].stringValue)
            let expected = try #require(fields[1].objectValue)
            let result = try await RPCTestSupport.call(method, [.string(hex)]).get()
            let actual = try #require(result.objectValue)
            #expect(Set(actual.keys) == Set(expected.keys), "row \(index) \(hex): keys")
            for member in expected {
                #expect(actual[member.key] == member.value, "row \(index) \(hex): \(member.key)")
            }
        }
    }

    @Test func fieldOrderIsCores() async throws {
        let method = RawTransactionRPC.decodeScript(chainParams: .regtest)
        let result = try await RPCTestSupport.call(method, ["02eeee"]).get()
        #expect(result.objectValue?.keys == ["asm", "desc", "type", "p2sh", "segwit"])
        #expect(result["segwit"]?.objectValue?.keys == ["asm", "desc", "hex", "address", "type", "p2sh-segwit"])
        let p2sh = try await RPCTestSupport.call(method, ["a914eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee87"]).get()
        #expect(p2sh.objectValue?.keys == ["asm", "desc", "address", "type"])
    }
}
