import ByteCodec
import ChainCrypto
import ChainTypes
import Consensus
import Foundation
import Testing
import TestSupport
@testable import Script

/// Bitcoin Core's `sighash.json`: legacy signature hashes, odd hash types and
/// OP_CODESEPARATOR handling included.
@Suite struct SighashVectorTests {
    @Test func legacySighashMatchesCore() throws {
        let rows = try Fixture("sighash.json", in: .module).rows().filter { $0.fields.count == 5 }
        #expect(rows.count == 500, "every case of sighash.json is read")
        for row in rows {
            guard let txHex = row.fields[0] as? String, let scriptHex = row.fields[1] as? String,
                let inputIndex = (row.fields[2] as? NSNumber)?.intValue, let hashType = (row.fields[3] as? NSNumber)?.int32Value,
                let expected = row.fields[4] as? String, let txBytes = [UInt8](hex: txHex), let script = [UInt8](hex: scriptHex)
            else { throw FixtureError.malformed("sighash.json", row.label) }
            let transaction = try Transaction(serialized: txBytes)
            #expect(throws: Never.self, "\(row.label)") { try TransactionCheck.check(transaction) }
            let hash = SignatureHash.legacy(transaction: transaction, inputIndex: inputIndex, scriptCode: script, hashType: hashType)
            #expect(hash.displayHex == expected, "\(row.label)")
        }
    }
}
