import ChainCrypto
import ChainTypes
import Testing
@testable import Mining

/// Block assembly by ancestor fee rate: child pays for parent, packages that do not fit are
/// skipped, a child never goes in without its parent.
@Suite struct AncestorScoreSelectionTests {
    /// A transaction spending `parent`'s output 0 (or a fresh outpoint) with `fee`.
    static func candidate(_ tag: UInt8, spending parent: CandidateTransaction? = nil, fee: Int64) -> CandidateTransaction {
        let outpoint = parent.map { OutPoint(txid: $0.transaction.txid, index: 0) } ?? OutPoint(txid: TxID(Hashing.sha256d([tag])), index: 0)
        let transaction = Transaction(
            version: 2, inputs: [TxIn(previousOutput: outpoint, scriptSig: [], sequence: 0, witness: [[UInt8](repeating: tag, count: 72)])],
            outputs: [TxOut(value: Amount(satoshis: 1_000), scriptPubKey: [0, 20] + [UInt8](repeating: tag, count: 20))])
        return CandidateTransaction(transaction: transaction, fee: Amount(satoshis: fee), sigopCost: 1)
    }

    static func txids(_ selected: [CandidateTransaction]) -> [TxID] { selected.map(\.transaction.txid) }

    @Test func childPaysForParent() {
        let parent = Self.candidate(1, fee: 100)
        let child = Self.candidate(2, spending: parent, fee: 10_000)
        let middle = Self.candidate(3, fee: 2_000)
        let all = [parent, child, middle]
        // Parent + child pay ~10,100 sat for two transactions, more per vbyte than the middle one.
        #expect(Self.txids(AncestorScoreSelection.select(all, maxWeight: 1_000_000, maxSigopCost: 100)) == Self.txids([parent, child, middle]))
        // Room for two: the package wins over the middle one.
        let two = parent.transaction.weight + child.transaction.weight
        #expect(Self.txids(AncestorScoreSelection.select(all, maxWeight: two, maxSigopCost: 100)) == Self.txids([parent, child]))
        // Room for one: the package does not fit, the child never goes alone, the middle one does.
        #expect(Self.txids(AncestorScoreSelection.select(all, maxWeight: middle.transaction.weight, maxSigopCost: 100)) == Self.txids([middle]))
        // Sigops count too.
        #expect(Self.txids(AncestorScoreSelection.select(all, maxWeight: 1_000_000, maxSigopCost: 1)) == Self.txids([middle]))
    }

    @Test func packagesShrinkAsAncestorsAreChosen() {
        // A chain where the grandchild pays a lot, and a rival paying more than the parent alone.
        let parent = Self.candidate(1, fee: 5_000)
        let child = Self.candidate(2, spending: parent, fee: 100)
        let grandchild = Self.candidate(3, spending: child, fee: 20_000)
        let rival = Self.candidate(4, fee: 6_000)
        let selected = AncestorScoreSelection.select([parent, child, grandchild, rival], maxWeight: 1_000_000, maxSigopCost: 100)
        // The three-transaction package (~25,100 sat) beats the rival's rate; parents come first.
        #expect(Self.txids(selected) == Self.txids([parent, child, grandchild, rival]))
        // With the high-paying grandchild absent, the rival goes first, then the parent, then its child.
        let without = AncestorScoreSelection.select([parent, child, rival], maxWeight: 1_000_000, maxSigopCost: 100)
        #expect(Self.txids(without) == Self.txids([rival, parent, child]))
    }

    /// Selection ranks by the modified fee (`prioritisetransaction`), not by what is paid.
    @Test func modifiedFeesDecideTheOrder() {
        var low = Self.candidate(1, fee: 100)
        let high = Self.candidate(2, fee: 5_000)
        #expect(Self.txids(AncestorScoreSelection.select([low, high], maxWeight: 1_000_000, maxSigopCost: 100)) == Self.txids([high, low]))
        low.modifiedFee = Amount(satoshis: 50_000)
        #expect(Self.txids(AncestorScoreSelection.select([low, high], maxWeight: 1_000_000, maxSigopCost: 100)) == Self.txids([low, high]))
    }
}
