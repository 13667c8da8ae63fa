import ByteCodec
import ChainCrypto
import ChainTypes
import Consensus
import Foundation
import Testing
import TestSupport
@testable import Script

/// Bitcoin Core's `tx_valid.json` and `tx_invalid.json`, with the flag-monotonicity checks
/// of Core's `transaction_tests.cpp`.
@Suite struct TransactionVectorTests {
    struct Case {
        let transaction: Transaction
        let spent: [TxOut]
        let flagsField: String
    }

    static func makeCase(_ row: Fixture.Row) throws -> Case {
        guard let prevouts = row.fields[0] as? [[Any]], let hex = row.fields[1] as? String,
            let flagsField = row.fields[2] as? String, let bytes = [UInt8](hex: hex)
        else { throw FixtureError.malformed("tx vectors", row.label) }
        var known: [OutPoint: TxOut] = [:]
        for prevout in prevouts {
            guard let txidHex = prevout[0] as? String, let txid = TxID(displayHex: txidHex),
                let index = (prevout[1] as? NSNumber)?.int64Value, let asm = prevout[2] as? String
            else { throw FixtureError.malformed("tx vectors", "\(row.label) prevout") }
            let amount = (prevout.count > 3 ? (prevout[3] as? NSNumber)?.int64Value : nil) ?? 0
            let outpoint = OutPoint(txid: txid, index: UInt32(truncatingIfNeeded: index))
            known[outpoint] = TxOut(value: Amount(satoshis: amount), scriptPubKey: try ScriptAsm.parse(asm))
        }
        let transaction = try Transaction(serialized: bytes)
        let spent = try transaction.inputs.map { input in
            guard let output = known[input.previousOutput] else { throw FixtureError.malformed("tx vectors", "\(row.label) missing prevout") }
            return output
        }
        return Case(transaction: transaction, spent: spent, flagsField: flagsField)
    }

    /// Verifies every input under `flags`; true when all pass.
    static func scriptsPass(_ item: Case, flags: ScriptVerifyFlags) -> Bool {
        (try? ScriptVerifier.verifyInputs(of: item.transaction, spentOutputs: item.spent, flags: flags)) != nil
    }

    /// Core's `ExcludeIndividualFlags`: each way of removing one flag (trimmed) that changes the set.
    static func excludingOne(_ flags: ScriptVerifyFlags) -> Set<ScriptVerifyFlags> {
        var combos = Set<ScriptVerifyFlags>()
        for flag in ScriptVerifyFlags.byName.values {
            let reduced = SpendFixtures.trimmed(flags.subtracting(flag))
            if reduced != flags { combos.insert(reduced) }
        }
        return combos
    }

    @Test func validTransactionsPass() throws {
        let rows = try Fixture("tx_valid.json", in: .module).rows()
        #expect(rows.count == 121, "every row of tx_valid.json is read")
        let all = SpendFixtures.allFlags
        for row in rows {
            let item = try Self.makeCase(row)
            #expect(throws: Never.self, "\(row.label) CheckTransaction") { try TransactionCheck.check(item.transaction) }
            let excluded = try SpendFixtures.flags(item.flagsField)
            #expect(Self.scriptsPass(item, flags: all.subtracting(excluded)), "\(row.label) must pass with all but \(item.flagsField)")
            // Removing flags never invalidates a valid transaction.
            var combined = all.subtracting(excluded)
            for flag in ScriptVerifyFlags.byName.values {
                let flags = SpendFixtures.trimmed(all.subtracting(excluded.union(flag)))
                #expect(Self.scriptsPass(item, flags: flags), "\(row.label) removing \(flag.rawValue)")
                combined = SpendFixtures.trimmed(combined.subtracting(flag))
                #expect(Self.scriptsPass(item, flags: combined), "\(row.label) removing flags incrementally")
            }
            // The exclusion list is minimal: re-adding any excluded flag makes it fail.
            for reduced in Self.excludingOne(excluded) {
                #expect(!Self.scriptsPass(item, flags: all.subtracting(reduced)), "\(row.label) excluded flags not minimal")
            }
        }
    }

    @Test func invalidTransactionsFail() throws {
        let rows = try Fixture("tx_invalid.json", in: .module).rows()
        #expect(rows.count == 93, "every row of tx_invalid.json is read")
        for row in rows {
            let item: Case
            do {
                item = try Self.makeCase(row)
            } catch let error as DecodingError {
                // Undecodable transactions are invalid as a whole, which is what BADTX asserts.
                #expect(row.fields[2] as? String == "BADTX", "\(row.label) did not decode: \(error)")
                continue
            }
            if item.flagsField == "BADTX" {
                #expect(throws: TransactionRuleError.self, "\(row.label) must fail CheckTransaction") {
                    try TransactionCheck.check(item.transaction)
                }
                continue
            }
            #expect(throws: Never.self, "\(row.label) CheckTransaction") { try TransactionCheck.check(item.transaction) }
            let flags = try SpendFixtures.flags(item.flagsField)
            #expect(!Self.scriptsPass(item, flags: flags), "\(row.label) must fail with \(item.flagsField)")
            // Adding flags never validates an invalid transaction.
            var combined = flags
            for flag in ScriptVerifyFlags.byName.values {
                #expect(!Self.scriptsPass(item, flags: SpendFixtures.filled(flags.union(flag))), "\(row.label) adding \(flag.rawValue)")
                combined = SpendFixtures.filled(combined.union(flag))
                #expect(!Self.scriptsPass(item, flags: combined), "\(row.label) adding flags incrementally")
            }
            // The flag list is minimal: dropping any one of them lets it pass.
            for reduced in Self.excludingOne(flags) {
                #expect(Self.scriptsPass(item, flags: reduced), "\(row.label) flags not minimal")
            }
        }
    }
}
