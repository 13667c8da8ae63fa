import ByteCodec
import ChainCrypto
import ChainTypes
import Foundation
import Testing
import TestSupport
@testable import Script

/// Every row of Bitcoin Core's `script_tests.json`, run as Core's `script_tests.cpp` runs it,
/// including the tapscript rows whose control block and output key the harness builds.
@Suite struct ScriptVectorTests {
    /// BIP341's "nothing up my sleeve" internal key H, which Core's harness uses for tapscript rows.
    static let numsH = "50929b74c1a04954b78b4b6035e97a5e078a5a0f28ec96d547bfee9ace803ac0"

    struct Case {
        var witness: [[UInt8]] = []
        var amount = Amount.zero
        var scriptSig: [UInt8] = []
        var scriptPubKey: [UInt8] = []
        var flags: ScriptVerifyFlags = []
        var expected = "OK"
    }

    static func makeCase(_ fields: [Any]) throws -> Case {
        var item = Case()
        var position = 0
        var tapLeafScript: [UInt8]?
        if let witnessFields = fields[0] as? [Any] {
            for element in witnessFields.dropLast() {
                guard let text = element as? String else { throw FixtureError.malformed("script_tests", "witness item") }
                if text.hasPrefix("#SCRIPT#") {
                    let script = try ScriptAsm.parse(String(text.dropFirst("#SCRIPT#".count)))
                    tapLeafScript = script
                    item.witness.append(script)
                } else if text == "#CONTROLBLOCK#" {
                    let internalKey = try XOnlyPublicKey(bytes: [UInt8](hex: numsH) ?? [])
                    let leaf = ScriptVerifier.tapleafHash(leafVersion: ScriptVerifier.tapscriptLeafVersion, script: item.witness.last ?? [])
                    let (_, parity) = try internalKey.tapTweaked(merkleRoot: leaf)
                    item.witness.append([ScriptVerifier.tapscriptLeafVersion | (parity ? 1 : 0)] + internalKey.bytes)
                } else {
                    guard let bytes = [UInt8](hex: text) else { throw FixtureError.malformed("script_tests", text) }
                    item.witness.append(bytes)
                }
            }
            item.amount = SpendFixtures.amount(witnessFields.last as Any)
            position = 1
        }
        guard let scriptSig = fields[position] as? String, let scriptPubKey = fields[position + 1] as? String,
            let flags = fields[position + 2] as? String, let expected = fields[position + 3] as? String
        else { throw FixtureError.malformed("script_tests", "row shape") }
        item.scriptSig = try ScriptAsm.parse(scriptSig)
        if scriptPubKey == "0x51 0x20 #TAPROOTOUTPUT#" {
            let internalKey = try XOnlyPublicKey(bytes: [UInt8](hex: numsH) ?? [])
            let leaf = ScriptVerifier.tapleafHash(leafVersion: ScriptVerifier.tapscriptLeafVersion, script: tapLeafScript ?? [])
            let (output, _) = try internalKey.tapTweaked(merkleRoot: leaf)
            item.scriptPubKey = [Opcode.op1, 0x20] + output.bytes
        } else {
            item.scriptPubKey = try ScriptAsm.parse(scriptPubKey)
        }
        item.flags = try SpendFixtures.flags(flags)
        item.expected = expected
        return item
    }

    /// Verifies as Core's `DoTest`: CLEANSTACK brings P2SH and WITNESS along.
    static func run(_ item: Case, flags: ScriptVerifyFlags) -> String {
        var effective = flags
        if effective.contains(.cleanStack) { effective.formUnion([.p2sh, .witness]) }
        let credit = SpendFixtures.creditingTransaction(scriptPubKey: item.scriptPubKey, amount: item.amount)
        let spend = SpendFixtures.spendingTransaction(scriptSig: item.scriptSig, witness: item.witness, credit: credit)
        let checker = TransactionSignatureChecker(
            transaction: spend, inputIndex: 0, amount: item.amount,
            precomputed: PrecomputedTransactionData(transaction: spend, spentOutputs: [credit.outputs[0]]))
        do {
            try ScriptVerifier.verify(
                scriptSig: item.scriptSig, scriptPubKey: item.scriptPubKey, witness: item.witness, flags: effective,
                checker: checker)
            return "OK"
        } catch {
            return error.rawValue
        }
    }

    @Test func allRowsMatchBitcoinCore() throws {
        let rows = try Fixture("script_tests.json", in: .module).rows()
        var generator = SplitMix64(seed: 0x5eed)
        var checked = 0
        for row in rows {
            let item = try Self.makeCase(row.fields)
            let outcome = Self.run(item, flags: item.flags)
            #expect(outcome == item.expected, "\(row.label): \(row.fields)")
            checked += 1
            // Core also checks that removing flags from a passing row, or adding flags to a
            // failing one, never flips the verdict.
            let expectValid = item.expected == "OK"
            for _ in 0..<16 {
                let extra = ScriptVerifyFlags(rawValue: UInt32(truncatingIfNeeded: generator.next()) & 0x1f_ffff)
                let combined = expectValid ? item.flags.subtracting(extra) : item.flags.union(extra)
                if combined.contains(.cleanStack) && !combined.isSuperset(of: [.p2sh, .witness]) { continue }
                if combined.contains(.witness) && !combined.contains(.p2sh) { continue }
                let varied = Self.run(item, flags: combined)
                #expect((varied == "OK") == expectValid, "\(row.label) with flags \(String(combined.rawValue, radix: 16)): \(varied)")
            }
        }
        #expect(checked == 1222, "every test row of script_tests.json is checked")
    }
}
