import ChainCrypto
import ChainTypes
import Foundation
import TestSupport
@testable import Script

/// Core's script-test harness transactions: a coinbase-like crediting transaction whose one
/// output carries the scriptPubKey, and a one-in one-out transaction spending it.
enum SpendFixtures {
    static func creditingTransaction(scriptPubKey: [UInt8], amount: Amount) -> Transaction {
        Transaction(
            version: 1,
            inputs: [TxIn(previousOutput: .null, scriptSig: [Opcode.op0, Opcode.op0], sequence: TxIn.finalSequence)],
            outputs: [TxOut(value: amount, scriptPubKey: scriptPubKey)], lockTime: 0)
    }

    static func spendingTransaction(scriptSig: [UInt8], witness: [[UInt8]], credit: Transaction) -> Transaction {
        Transaction(
            version: 1,
            inputs: [TxIn(previousOutput: OutPoint(txid: credit.txid, index: 0), scriptSig: scriptSig,
                          sequence: TxIn.finalSequence, witness: witness)],
            outputs: [TxOut(value: credit.outputs[0].value, scriptPubKey: [])], lockTime: 0)
    }

    /// Parses a comma-separated list of Core flag names.
    static func flags(_ names: String) throws -> ScriptVerifyFlags {
        var flags: ScriptVerifyFlags = []
        for name in names.split(separator: ",") where !name.isEmpty {
            guard let flag = ScriptVerifyFlags.byName[String(name)] else { throw FixtureError.malformed("flags", String(name)) }
            flags.formUnion(flag)
        }
        return flags
    }

    /// A JSON amount in coins, converted as Core's `AmountFromValue` (rounded to satoshis).
    static func amount(_ value: Any) -> Amount {
        let coins = (value as? NSNumber)?.doubleValue ?? 0
        return Amount(satoshis: Int64((coins * 1e8).rounded()))
    }

    /// Every flag Core's test harnesses know.
    static let allFlags = ScriptVerifyFlags(ScriptVerifyFlags.byName.values)

    /// Core's `TrimFlags`: WITNESS needs P2SH, CLEANSTACK needs WITNESS.
    static func trimmed(_ flags: ScriptVerifyFlags) -> ScriptVerifyFlags {
        var result = flags
        if !result.contains(.p2sh) { result.remove(.witness) }
        if !result.contains(.witness) { result.remove(.cleanStack) }
        return result
    }

    /// Core's `FillFlags`: CLEANSTACK implies WITNESS, WITNESS implies P2SH.
    static func filled(_ flags: ScriptVerifyFlags) -> ScriptVerifyFlags {
        var result = flags
        if result.contains(.cleanStack) { result.insert(.witness) }
        if result.contains(.witness) { result.insert(.p2sh) }
        return result
    }
}
