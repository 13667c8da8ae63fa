import ChainCrypto
import ChainTypes
import Testing
@testable import Consensus

/// `bad-txns-inputs-duplicate` is found wherever the repeated outpoint sits, below and above the
/// size where the check switches from pairwise comparison to a set.
@Suite struct DuplicateInputTests {
    static func inputs(_ count: Int) -> [TxIn] {
        (0..<count).map { index in
            TxIn(previousOutput: OutPoint(txid: TxID(Hashing.sha256([UInt8(index)])), index: UInt32(index % 3)), sequence: 0)
        }
    }

    @Test(arguments: [1, 2, 3, 8, 9, 40])
    func everyPositionOfARepeatIsFound(count: Int) {
        let distinct = Self.inputs(count)
        #expect(!TransactionCheck.hasDuplicateInputs(distinct))
        for first in 0..<count {
            for second in 0..<count where second != first {
                var repeated = distinct
                repeated[second].previousOutput = distinct[first].previousOutput
                #expect(TransactionCheck.hasDuplicateInputs(repeated))
            }
        }
        // Same txid, other index: not a duplicate.
        guard count >= 2 else { return }
        var sameTransaction = distinct
        sameTransaction[1].previousOutput = OutPoint(txid: distinct[0].previousOutput.txid, index: distinct[0].previousOutput.index + 7)
        #expect(!TransactionCheck.hasDuplicateInputs(sameTransaction))
    }
}
