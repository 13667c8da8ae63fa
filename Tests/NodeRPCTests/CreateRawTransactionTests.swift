import Addresses
import ByteCodec
import ChainParams
import ChainTypes
import JSONRPC
import NodeRPC
import Testing

/// `createrawtransaction`: sequences, outputs and Core's errors (as in Core's
/// `rpc_rawtransaction.py`).
@Suite struct CreateRawTransactionTests {
    let method = RawTransactionRPC.createRawTransaction(chainParams: .regtest)
    let txid = String(repeating: "ab", count: 32)
    let address = Address.witness(version: 0, program: [UInt8](repeating: 1, count: 20))
        .encoded(prefixes: ChainParams.regtest.addressPrefixes)

    func create(_ params: [JSONValue]) async throws -> Transaction {
        let hex = try #require(try await RPCTestSupport.call(method, params).get().stringValue)
        // Decoded as decoderawtransaction does: a transaction without inputs only reads back
        // with the legacy serialization.
        return try #require(RawTransactionDecoder.decode(hex: hex))
    }

    func expectError(_ params: [JSONValue], _ code: RPCErrorCode, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) async {
        let result = await RPCTestSupport.call(method, params)
        #expect(result.failure == RPCError(code, message), sourceLocation: sourceLocation)
    }

    @Test func sequencesAndOutputs() async throws {
        let input: JSONValue = ["txid": .string(txid), "vout": 1]
        let replaceable = try await create([[input], [.object(JSONObject([(address, 0.5)]))]])
        #expect(replaceable.version == 2)
        #expect(replaceable.inputs[0].sequence == 0xffff_fffd)
        #expect(replaceable.inputs[0].previousOutput.index == 1)
        #expect(replaceable.outputs[0].value == Amount(satoshis: 50_000_000))
        let locked = try await create([[input], .object(JSONObject([(address, "1.25")])), 500, false])
        #expect(locked.inputs[0].sequence == 0xffff_fffe)
        #expect(locked.lockTime == 500)
        #expect(locked.outputs[0].value == Amount(satoshis: 125_000_000))
        let final = try await create([[input], [:], 0, false])
        #expect(final.inputs[0].sequence == 0xffff_ffff)
        let explicit = try await create([[["txid": .string(txid), "vout": 0, "sequence": 7]], []])
        #expect(explicit.inputs[0].sequence == 7)
        let data = try await create([[], [["data": "00010203"]]])
        #expect(data.outputs == [TxOut(value: .zero, scriptPubKey: [0x6a, 0x04, 0, 1, 2, 3])])
        let empty = try await create([[], [:]])
        #expect(empty.inputs.isEmpty && empty.outputs.isEmpty)
    }

    @Test func inputErrors() async {
        await expectError(["foo", [:]], .typeError, "Wrong type passed:\n{\n    \"Position 1 (inputs)\": \"JSON value of type string is not of expected type array\"\n}")
        await expectError([["foo"], [:]], .typeError, "JSON value of type string is not of expected type object")
        await expectError([[[:]], [:]], .typeError, "JSON value of type null is not of expected type string")
        await expectError([[["txid": "foo"]], [:]], .invalidParameter, "txid must be of length 64 (not 3, for 'foo')")
        let bad = "ZZZ7bb8b1697ea987f3b223ba7819250cae33efacb068d23dc24859824a77844"
        await expectError([[["txid": .string(bad)]], [:]], .invalidParameter, "txid must be hexadecimal string (not '\(bad)')")
        await expectError([[["txid": .string(txid)]], [:]], .invalidParameter, "Invalid parameter, missing vout key")
        await expectError([[["txid": .string(txid), "vout": "foo"]], [:]], .invalidParameter, "Invalid parameter, missing vout key")
        await expectError([[["txid": .string(txid), "vout": -1]], [:]], .invalidParameter, "Invalid parameter, vout cannot be negative")
        for sequence: JSONValue in [-1, 4_294_967_296] {
            await expectError(
                [[["txid": .string(txid), "vout": 1, "sequence": sequence]], [:]], .invalidParameter,
                "Invalid parameter, sequence number is out of range")
        }
        await expectError(
            [[["txid": .string(txid), "vout": 0, "sequence": 0xffff_fffe]], [:], 0, true], .invalidParameter,
            "Invalid parameter combination: Sequence number(s) contradict replaceable option")
        await expectError([[], [:], -1], .invalidParameter, "Invalid parameter, locktime out of range")
        await expectError([[], [:], 4_294_967_296], .invalidParameter, "Invalid parameter, locktime out of range")
    }

    @Test func outputErrors() async {
        await expectError([[], "foo"], .typeError, "JSON value of type string is not of expected type array")
        await expectError([[], ["data": "foo"]], .invalidParameter, "Data must be hexadecimal string (not 'foo')")
        await expectError([[], ["foo": 0]], .invalidAddressOrKey, "Invalid Rusty Coin address: foo")
        await expectError([[], .object(JSONObject([(address, "foo")]))], .typeError, "Invalid amount")
        await expectError([[], .object(JSONObject([(address, -1)]))], .typeError, "Amount out of range")
        await expectError([[], .object(JSONObject([(address, 0.000000001)]))], .typeError, "Invalid amount")
        await expectError(
            [[], .object(JSONObject([(address, 1), (address, 1)]))], .invalidParameter, "Invalid parameter, duplicated address: \(address)")
        await expectError(
            [[], [.object(JSONObject([(address, 1)])), .object(JSONObject([(address, 1)]))]], .invalidParameter,
            "Invalid parameter, duplicated address: \(address)")
        await expectError([[], [["data": "aa"], ["data": "bb"]]], .invalidParameter, "Invalid parameter, duplicate key: data")
        await expectError([[], [["a": 1, "b": 2]]], .invalidParameter, "Invalid parameter, key-value pair must contain exactly one key")
        await expectError([[], [["key-value pair1"], ["2"]]], .invalidParameter, "Invalid parameter, key-value pair not an object as expected")
    }
}
