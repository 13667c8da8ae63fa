import ByteCodec
import ChainCrypto
import ChainParams
import JSONRPC
import NodeRPC
import Script
import Testing

/// Assembly text, templates and inferred descriptors beyond the fixture's rows.
@Suite struct ScriptFormattingTests {
    static func push(_ data: [UInt8]) -> [UInt8] { ScriptBuilder.push(data) }

    let prefixes = ChainParams.regtest.addressPrefixes
    let compressed = PrivateKey.testKey(1).publicKey().bytes
    let uncompressed = PrivateKey.testKey(2).publicKey(compressed: false).bytes

    @Test func assembly() throws {
        #expect(ScriptFormatting.assembly([0x00, 0x4f, 0x51, 0x60, 0x61, 0xb1, 0xb2, 0xfe]) == "0 -1 1 16 OP_NOP OP_CHECKLOCKTIMEVERIFY OP_CHECKSEQUENCEVERIFY OP_UNKNOWN")
        #expect(ScriptFormatting.assembly([0x04, 0xff, 0xff, 0xff, 0x7f]) == "2147483647")
        #expect(ScriptFormatting.assembly([0x02, 0x80, 0x80]) == "-128")
        #expect(ScriptFormatting.assembly([0x4c, 0x01, 0x07]) == "7")
        #expect(ScriptFormatting.assembly([0x05, 1, 2, 3, 4, 5]) == "0102030405")
        #expect(ScriptFormatting.assembly([0x76, 0x4d, 0x01]) == "OP_DUP [error]")
        #expect(ScriptFormatting.assembly([]) == "")
        // No sighash decoding in unspendable scripts or without the flag.
        let signature = try Hex.decode("3044022057292e2d4dfe775becdd0a9e6547997c728cdf35390f6a017da56d654d374e4902206b643be2fc53763b4e284845bfea2c597d2dc7759941dce937636c9d341b71ed01")
        #expect(ScriptFormatting.assembly(Self.push(signature), decodingSighash: true).hasSuffix("[ALL]"))
        #expect(ScriptFormatting.assembly(Self.push(signature)) == Hex.encode(signature))
        #expect(ScriptFormatting.assembly([0x6a] + Self.push(signature), decodingSighash: true) == "OP_RETURN " + Hex.encode(signature))
        var none = signature
        none[none.count - 1] = 0x82
        #expect(ScriptFormatting.assembly(Self.push(none), decodingSighash: true).hasSuffix("[NONE|ANYONECANPAY]"))
    }

    /// `signrawtransactionwithkey`'s names (Core's `SighashFromStr`), each to its byte.
    @Test func sighashNamesParse() throws {
        let expected: [String: UInt8] = [
            "DEFAULT": 0x00, "ALL": 0x01, "NONE": 0x02, "SINGLE": 0x03,
            "ALL|ANYONECANPAY": 0x81, "NONE|ANYONECANPAY": 0x82, "SINGLE|ANYONECANPAY": 0x83,
        ]
        for (name, value) in expected { #expect(try SighashName.parse(name) == value, "\(name)") }
        #expect(throws: RPCError.self) { try SighashName.parse("all") }
    }

    @Test func descriptorChecksum() {
        // BIP380's example.
        #expect(DescriptorChecksum.checksum("raw(deadbeef)") == "89f8spxm")
        #expect(DescriptorChecksum.checksum("raw(deadbeef)\u{7f}") == nil)
    }

    @Test func bareKeysAndMultisig() {
        let pk = Self.push(compressed) + [Opcode.checkSig]
        let pkJSON = ScriptFormatting.scriptPubKeyJSON(pk, prefixes: prefixes)
        #expect(pkJSON.keys == ["asm", "desc", "hex", "type"])
        #expect(pkJSON["type"] == "pubkey")
        #expect(pkJSON["desc"] == .string(DescriptorChecksum.appending(to: "pk(\(Hex.encode(compressed)))")))

        let multi = [Opcode.op1] + Self.push(compressed) + Self.push(uncompressed) + [Opcode.smallInteger(2), Opcode.checkMultiSig]
        #expect(ScriptSolution(script: multi).type == .multisig)
        let expected = "multi(1,\(Hex.encode(compressed)),\(Hex.encode(uncompressed)))"
        #expect(ScriptDescriptor.infer(multi, prefixes: prefixes).text == expected)

        // decodescript: uncompressed keys may be wrapped in P2SH but not in segwit.
        let decoded = RawTransactionRPC.decodeScript(multi, prefixes: prefixes)
        #expect(decoded.keys == ["asm", "desc", "type", "p2sh"])
        let compressedOnly = [Opcode.op1] + Self.push(compressed) + [Opcode.op1, Opcode.checkMultiSig]
        let wrapped = RawTransactionRPC.decodeScript(compressedOnly, prefixes: prefixes)
        #expect(wrapped["segwit"]?["desc"]?.stringValue?.hasPrefix("wsh(multi(1,\(Hex.encode(compressed))))#") == true)
        #expect(wrapped["segwit"]?["type"] == "witness_v0_scripthash")

        // A bare key wraps as P2WPKH, whose descriptor is an address.
        let pkDecoded = RawTransactionRPC.decodeScript(pk, prefixes: prefixes)
        #expect(pkDecoded["segwit"]?["type"] == "witness_v0_keyhash")
        #expect(pkDecoded["segwit"]?["desc"]?.stringValue?.hasPrefix("addr(bcrt1q") == true)
    }

    @Test func templates() {
        #expect(ScriptSolution(script: [0x51, 0x02, 0x4e, 0x73]).type == .anchor)
        #expect(ScriptSolution(script: [0x00, 0x03, 1, 2, 3]).type == .nonstandard)
        #expect(ScriptSolution(script: [0x60, 0x02, 1, 2]).type == .witnessUnknown)
        #expect(ScriptSolution(script: [0x6a]).type == .nulldata)
        #expect(ScriptSolution(script: [0x6a, 0x51, 0x01, 0xff]).type == .nulldata)
        #expect(ScriptSolution(script: Self.push([0x06] + compressed.dropFirst() + [UInt8](repeating: 0, count: 32)) + [0xac]).type == .pubkey)
        let anchor = ScriptFormatting.scriptPubKeyJSON([0x51, 0x02, 0x4e, 0x73], prefixes: prefixes)
        #expect(anchor["type"] == "anchor")
        #expect(anchor["desc"]?.stringValue?.hasPrefix("addr(bcrt1pfees") == true)
    }
}

extension PrivateKey {
    /// A fixed test key: 31 zero bytes then `n`.
    static func testKey(_ n: UInt8) -> PrivateKey {
        // swift-format-ignore: NeverUseForceTry
        try! PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [n])
    }
}
