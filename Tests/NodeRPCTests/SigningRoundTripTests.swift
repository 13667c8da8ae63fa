import Addresses
import ByteCodec
import ChainCrypto
import ChainParams
import ChainTypes
import JSONRPC
import NodeRPC
import Script
import Testing

/// `createrawtransaction` → `signrawtransactionwithkey` → script verification, for every
/// output type the signer supports.
@Suite struct SigningRoundTripTests {
    static let prefixes = ChainParams.regtest.addressPrefixes
    let create = RawTransactionRPC.createRawTransaction(chainParams: .regtest)
    let sign = RawTransactionRPC.signRawTransactionWithKey(chainParams: .regtest, coinLookup: nil)

    /// An output to spend: its script, the prevtxs extras, and the key that signs it.
    struct Case: Sendable {
        let name: String
        let key: PrivateKey
        let compressed: Bool
        let scriptPubKey: [UInt8]
        var extras: [(String, JSONValue)] = []

        var wif: String { WIF(key: key, compressed: compressed).encoded(prefixes: SigningRoundTripTests.prefixes) }
    }

    static func cases() throws -> [Case] {
        func keyHash(_ key: PrivateKey, compressed: Bool = true) -> [UInt8] {
            Hashing.hash160(key.publicKey(compressed: compressed).bytes)
        }
        let k1 = PrivateKey.testKey(11), k2 = PrivateKey.testKey(12), k3 = PrivateKey.testKey(13)
        let k4 = PrivateKey.testKey(14), k5 = PrivateKey.testKey(15), k6 = PrivateKey.testKey(16)
        let k7 = PrivateKey.testKey(17), k8 = PrivateKey.testKey(18)
        let nested = [Opcode.op0, 20] + keyHash(k3)
        let multisig = [Opcode.op1] + ScriptBuilder.push(PrivateKey.testKey(99).publicKey().bytes)
            + ScriptBuilder.push(k8.publicKey().bytes) + [Opcode.smallInteger(2), Opcode.checkMultiSig]
        return [
            Case(name: "p2pkh", key: k1, compressed: true, scriptPubKey: Address.payToPubkeyHash(keyHash(k1)).scriptPubKey),
            Case(
                name: "p2pkh-uncompressed", key: k7, compressed: false,
                scriptPubKey: Address.payToPubkeyHash(keyHash(k7, compressed: false)).scriptPubKey),
            Case(name: "p2wpkh", key: k2, compressed: true, scriptPubKey: Address.witness(version: 0, program: keyHash(k2)).scriptPubKey),
            Case(
                name: "p2sh-p2wpkh", key: k3, compressed: true,
                scriptPubKey: Address.payToScriptHash(Hashing.hash160(nested)).scriptPubKey,
                extras: [("redeemScript", .string(Hex.encode(nested)))]),
            Case(name: "p2tr-bip86", key: k4, compressed: true, scriptPubKey: try TransactionSigner.payToTaproot(internalKey: k4.xOnlyPublicKey)),
            Case(name: "p2tr-raw", key: k5, compressed: true, scriptPubKey: [Opcode.op1, 32] + k5.xOnlyPublicKey.bytes),
            Case(name: "p2pk", key: k6, compressed: true, scriptPubKey: ScriptBuilder.push(k6.publicKey().bytes) + [Opcode.checkSig]),
            Case(
                name: "p2wsh-multisig", key: k8, compressed: true,
                scriptPubKey: Address.witness(version: 0, program: Hashing.sha256(multisig).bytes).scriptPubKey,
                extras: [("witnessScript", .string(Hex.encode(multisig)))]),
        ]
    }

    static func fundingTxID(_ n: Int) -> TxID {
        TxID(Hashing.sha256(Array("funding \(n)".utf8)))
    }

    func prevtx(_ testCase: Case, vout: Int, txid: TxID, amount: JSONValue? = .amount(100_000_000)) -> JSONValue {
        var object: JSONObject = [
            "txid": .string(txid.description), "vout": .int(Int64(vout)), "scriptPubKey": .string(Hex.encode(testCase.scriptPubKey)),
        ]
        for (key, value) in testCase.extras { object.append(key, value) }
        if let amount { object.append("amount", amount) }
        return .object(object)
    }

    func createUnsigned(inputs: [(TxID, Int)]) async throws -> String {
        let destination = Address.witness(version: 0, program: [UInt8](repeating: 7, count: 20)).encoded(prefixes: Self.prefixes)
        let inputJSON: [JSONValue] = inputs.map { ["txid": .string($0.0.description), "vout": .int(Int64($0.1))] }
        let result = try await RPCTestSupport.call(
            create, [.array(inputJSON), [.object(JSONObject([(destination, JSONValue.amount(Int64(inputs.count) * 99_000_000))])), ["data": "cafe"]]]
        ).get()
        return try #require(result.stringValue)
    }

    func verify(_ hex: String, spending spk: [[UInt8]], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let transaction = try Transaction(serialized: try Hex.decode(hex))
        let spent = spk.map { TxOut(value: Amount(satoshis: 100_000_000), scriptPubKey: $0) }
        #expect(throws: Never.self, sourceLocation: sourceLocation) {
            try ScriptVerifier.verifyInputs(of: transaction, spentOutputs: spent, flags: .standard)
        }
    }

    @Test(arguments: ["p2pkh", "p2pkh-uncompressed", "p2wpkh", "p2sh-p2wpkh", "p2tr-bip86", "p2tr-raw", "p2pk", "p2wsh-multisig"])
    func roundTrip(name: String) async throws {
        let testCase = try #require(try Self.cases().first { $0.name == name })
        let txid = Self.fundingTxID(1)
        let unsigned = try await createUnsigned(inputs: [(txid, 3)])
        let result = try await RPCTestSupport.call(
            sign, [.string(unsigned), [.string(testCase.wif)], [prevtx(testCase, vout: 3, txid: txid)]]
        ).get()
        #expect(result.objectValue?.keys == ["hex", "complete"], "\(name)")
        #expect(result["complete"] == true, "\(name)")
        try verify(try #require(result["hex"]?.stringValue), spending: [testCase.scriptPubKey])
    }

    @Test func everyTypeInOneTransactionWithSighashAll() async throws {
        let cases = try Self.cases()
        let inputs = cases.indices.map { (Self.fundingTxID($0), $0) }
        let unsigned = try await createUnsigned(inputs: inputs)
        let prevtxs = cases.enumerated().map { prevtx($1, vout: $0, txid: Self.fundingTxID($0)) }
        let result = try await RPCTestSupport.call(
            sign, [.string(unsigned), .array(cases.map { .string($0.wif) }), .array(prevtxs), "ALL"]
        ).get()
        #expect(result["complete"] == true)
        let hex = try #require(result["hex"]?.stringValue)
        try verify(hex, spending: cases.map(\.scriptPubKey))
        // Taproot signatures carry the explicit hash type byte.
        let transaction = try Transaction(serialized: try Hex.decode(hex))
        let taprootIndex = try #require(cases.firstIndex { $0.name == "p2tr-bip86" })
        #expect(transaction.inputs[taprootIndex].witness.first?.count == 65)
    }

    @Test func coinsFromTheNode() async throws {
        let testCase = try #require(try Self.cases().first { $0.name == "p2tr-bip86" })
        let txid = Self.fundingTxID(5)
        let coin = TxOut(value: Amount(satoshis: 100_000_000), scriptPubKey: testCase.scriptPubKey)
        let lookup: RawTransactionRPC.CoinLookup = { outpoint in
            outpoint == OutPoint(txid: txid, index: 0) ? coin : nil
        }
        let method = RawTransactionRPC.signRawTransactionWithKey(chainParams: .regtest, coinLookup: lookup)
        let unsigned = try await createUnsigned(inputs: [(txid, 0)])
        let result = try await RPCTestSupport.call(method, [.string(unsigned), [.string(testCase.wif)]]).get()
        #expect(result["complete"] == true)
        try verify(try #require(result["hex"]?.stringValue), spending: [testCase.scriptPubKey])

        // prevtxs may not contradict a coin the node knows.
        let other = try #require(try Self.cases().first { $0.name == "p2wpkh" })
        let mismatch = await RPCTestSupport.call(
            method, [.string(unsigned), [.string(testCase.wif)], [prevtx(other, vout: 0, txid: txid)]])
        #expect(mismatch.failure?.code == .deserializationError)
        #expect(mismatch.failure?.message.hasPrefix("Previous output scriptPubKey mismatch:\n1 ") == true)
    }

    @Test func incompleteSigningReportsCoresErrors() async throws {
        let cases = try Self.cases()
        let p2pkh = cases[0], p2wpkh = cases[2]
        let txid = Self.fundingTxID(9)
        let unsigned = try await createUnsigned(inputs: [(txid, 0), (txid, 1), (txid, 2)])
        let otherKey = WIF(key: PrivateKey.testKey(77)).encoded(prefixes: Self.prefixes)
        let result = try await RPCTestSupport.call(
            sign, [.string(unsigned), [.string(otherKey)], [prevtx(p2pkh, vout: 0, txid: txid), prevtx(p2wpkh, vout: 1, txid: txid)]]
        ).get()
        #expect(result.objectValue?.keys == ["hex", "complete", "errors"])
        #expect(result["complete"] == false)
        let errors = try #require(result["errors"]?.arrayValue)
        #expect(errors.map { $0["error"]?.stringValue ?? "" } == [
            "Unable to sign input, invalid stack size (possibly missing key)",
            "Witness program hash mismatch",
            "Input not found or already spent",
        ])
        #expect(errors.first?.objectValue?.keys == ["txid", "vout", "witness", "scriptSig", "sequence", "error"])
        #expect(errors.last?["vout"] == 2)
        #expect(errors.last?["sequence"] == .int(Int64(RawTransactionRPC.maxReplaceableSequence)))
    }

    @Test func signingParameterErrors() async throws {
        let cases = try Self.cases()
        let txid = Self.fundingTxID(3)
        let unsigned = try await createUnsigned(inputs: [(txid, 0)])
        let p2wpkh = cases[2]

        let badHex = await RPCTestSupport.call(sign, ["00zz", []])
        #expect(badHex.failure == RPCError(.deserializationError, "TX decode failed. Make sure the tx has at least one input."))
        let badKey = await RPCTestSupport.call(sign, [.string(unsigned), ["notakey"]])
        #expect(badKey.failure == RPCError(.invalidAddressOrKey, "Invalid private key"))
        let badSighash = await RPCTestSupport.call(sign, [.string(unsigned), [.string(p2wpkh.wif)], .null, "FOO"])
        #expect(badSighash.failure == RPCError(.invalidParameter, "'FOO' is not a valid sighash parameter."))
        let noAmount = await RPCTestSupport.call(
            sign, [.string(unsigned), [.string(p2wpkh.wif)], [prevtx(p2wpkh, vout: 0, txid: txid, amount: nil)]])
        let script = String(Hex.encode(p2wpkh.scriptPubKey).prefix(30))
        #expect(noAmount.failure == RPCError(.typeError, "Missing amount for CTxOut(nValue=21000000.00000000, scriptPubKey=\(script))"))
        let negativeVout = await RPCTestSupport.call(
            sign, [.string(unsigned), [.string(p2wpkh.wif)], [prevtx(p2wpkh, vout: -1, txid: txid)]])
        #expect(negativeVout.failure == RPCError(.deserializationError, "vout cannot be negative"))
        let missingScript = await RPCTestSupport.call(
            sign, [.string(unsigned), [], [["txid": .string(txid.description), "vout": 0]]])
        #expect(missingScript.failure == RPCError(.typeError, "Missing scriptPubKey"))
        let p2sh = cases[3]
        let noRedeem = await RPCTestSupport.call(
            sign, [.string(unsigned), [], [[
                "txid": .string(txid.description), "vout": 0, "scriptPubKey": .string(Hex.encode(p2sh.scriptPubKey)),
            ]]])
        #expect(noRedeem.failure == RPCError(.invalidParameter, "Missing redeemScript/witnessScript"))
        let wrongRedeem = await RPCTestSupport.call(
            sign, [.string(unsigned), [], [[
                "txid": .string(txid.description), "vout": 0, "scriptPubKey": .string(Hex.encode(p2sh.scriptPubKey)),
                "redeemScript": "51",
            ]]])
        #expect(wrongRedeem.failure == RPCError(.invalidParameter, "redeemScript/witnessScript does not match scriptPubKey"))
    }
}
