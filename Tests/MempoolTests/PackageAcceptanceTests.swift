import ChainCrypto
import ChainTypes
import Testing
@testable import Mempool
@testable import Script

/// Packages as Core judges them: `submitpackage` (child pays for parent, transactions already
/// in the pool left alone, all or nothing for the ones judged together) and `testmempoolaccept`
/// with several transactions (each on its own fee, pool untouched), with Core's reasons.
@Suite struct PackageAcceptanceTests {
    /// Its chain with P2WPKH coins and its signed spends.
    let fixture = MempoolAcceptanceTests()
    var now: Int64 { fixture.now }

    /// A parent spending `outpoint` (100,000 sat) that pays `parentFee`, and a child spending it
    /// that pays `childFee`.
    func parentAndChild(_ outpoint: OutPoint, parentFee: Int64, childFee: Int64) throws -> (Transaction, Transaction) {
        let parent = try fixture.spend([outpoint], paying: 100_000 - parentFee)
        let child = try fixture.spend([OutPoint(txid: parent.txid, index: 0)], values: [100_000 - parentFee], paying: 100_000 - parentFee - childFee)
        return (parent, child)
    }

    func reason(_ outcome: PackageAcceptance.Outcome?) -> String? {
        guard case let .rejected(rejection) = outcome else { return nil }
        return rejection.reason
    }

    @Test func childPaysForAParentBelowTheMinimumFee() throws {
        let (chain, outpoints) = fixture.chain()
        let pool = Mempool()
        // The parent pays nothing; the child pays 2 sat/vB for both.
        let (parent, child) = try parentAndChild(outpoints[0], parentFee: 0, childFee: 600)
        let result = try pool.acceptPackage([parent, child], chain: chain, now: now)
        #expect(result.failure == nil)
        #expect(pool.entry(parent.txid) != nil && pool.entry(child.txid) != nil)
        let size = parent.virtualSize + child.virtualSize
        for transaction in [parent, child] {
            guard case let .accepted(entry, rate, includes) = result.outcomes[transaction.wtxid] else {
                Issue.record("\(transaction.txid) not accepted")
                continue
            }
            #expect(entry.transaction.txid == transaction.txid)
            #expect(rate == FeeRate(satoshisPerKilovirtualByte: 600 * 1000 / Int64(size)))
            #expect(includes == [parent.wtxid, child.wtxid])
        }
        // Alone, the parent is refused as before.
        let (lonely, _) = try parentAndChild(outpoints[1], parentFee: 0, childFee: 600)
        #expect(MempoolAcceptanceTests.reason { () throws(MempoolError) in try pool.accept(lonely, chain: chain, now: now) } == "min relay fee not met")
    }

    @Test func aChildTooPoorForBothLeavesThePoolAsItWas() throws {
        let (chain, outpoints) = fixture.chain()
        let pool = Mempool()
        let sequence = pool.sequence
        // 100 sat/kvB over both needs about 30 sat: the child pays 10.
        let (parent, child) = try parentAndChild(outpoints[0], parentFee: 0, childFee: 10)
        let result = try pool.acceptPackage([parent, child], chain: chain, now: now)
        #expect(result.failure == PackageAcceptance.transactionFailed)
        #expect(reason(result.outcomes[child.wtxid]) == "min relay fee not met")
        #expect(reason(result.outcomes[parent.wtxid]) == "min relay fee not met")
        #expect(pool.count == 0 && pool.sequence == sequence && pool.usage == 0)
    }

    @Test func transactionsAlreadyInThePoolAreLeftAlone() throws {
        let (chain, outpoints) = fixture.chain()
        let pool = Mempool()
        let (parent, child) = try parentAndChild(outpoints[0], parentFee: 1_000, childFee: 1_000)
        try pool.accept(parent, chain: chain, now: now)
        let result = try pool.acceptPackage([parent, child], chain: chain, now: now)
        #expect(result.failure == nil)
        guard case let .inMempool(entry, otherWitness) = result.outcomes[parent.wtxid] else {
            Issue.record("parent not reported as in the pool")
            return
        }
        #expect(entry.transaction.txid == parent.txid && otherWitness == nil)
        // The child paid its own way, so its fee rate is its own.
        guard case let .accepted(childEntry, rate, includes) = result.outcomes[child.wtxid] else {
            Issue.record("child not accepted")
            return
        }
        #expect(rate == childEntry.feeRate && includes == [child.wtxid])
    }

    @Test func anInvalidParentFailsThePackageAndNothingIsAdded() throws {
        let (chain, outpoints) = fixture.chain()
        let pool = Mempool()
        let parent = try fixture.spend([outpoints[0]], paying: 100_000)
        // Break the parent's signature: a consensus failure is not made good by any fee.
        var inputs = parent.inputs
        var signature = inputs[0].witness[0]
        signature[10] ^= 1
        inputs[0].witness[0] = signature
        let broken = Transaction(version: parent.version, inputs: inputs, outputs: parent.outputs, lockTime: parent.lockTime)
        let brokenChild = try fixture.spend([OutPoint(txid: broken.txid, index: 0)], values: [100_000], paying: 98_000)
        let result = try pool.acceptPackage([broken, brokenChild], chain: chain, now: now)
        #expect(result.failure == PackageAcceptance.transactionFailed)
        #expect(reason(result.outcomes[broken.wtxid])?.hasPrefix("mandatory-script-verify-flag-failed") == true)
        #expect(reason(result.outcomes[brokenChild.wtxid]) == "missing-inputs")
        #expect(pool.count == 0)
    }

    @Test func malformedPackagesAreRefusedAsAWhole() throws {
        let (chain, outpoints) = fixture.chain()
        let pool = Mempool()
        let (parent, child) = try parentAndChild(outpoints[0], parentFee: 0, childFee: 2_000)
        func failure(_ package: [Transaction]) throws -> String? {
            let result = try pool.acceptPackage(package, chain: chain, now: now)
            #expect(result.outcomes.isEmpty)
            return result.failure?.reason
        }
        #expect(try failure([child, parent]) == "package-not-sorted")
        #expect(try failure([parent, parent, child]) == "package-contains-duplicates")
        let rival = try fixture.spend([outpoints[0]], paying: 90_000)
        #expect(try failure([parent, rival]) == "conflict-in-package")
        let unrelated = try fixture.spend([outpoints[1]])
        #expect(try failure([unrelated, child]) == "package-not-child-with-parents")
        #expect(try failure([parent, unrelated]) == "package-not-child-with-parents")
        let many = try (0..<26).map { _ in try fixture.spend([outpoints[2]]) }
        #expect(try failure(many) == "package-too-many-transactions")
        // The child's other inputs must be confirmed, not in the pool.
        let pooled = try fixture.spend([outpoints[3]])
        try pool.accept(pooled, chain: chain, now: now)
        let mixedChild = try fixture.spend(
            [OutPoint(txid: parent.txid, index: 0), OutPoint(txid: pooled.txid, index: 0)], values: [100_000, 99_000], paying: 190_000)
        #expect(try failure([parent, mixedChild]) == "package-not-child-with-unconfirmed-parents")
        #expect(pool.count == 1)
    }

    @Test func rulesForTheChildWithParentsShape() throws {
        let (_, outpoints) = fixture.chain()
        let first = try fixture.spend([outpoints[0]])
        let second = try fixture.spend([outpoints[1]])
        let child = try fixture.spend([OutPoint(txid: first.txid, index: 0), OutPoint(txid: second.txid, index: 0)], values: [99_000, 99_000], paying: 196_000)
        #expect(PackageRules.isChildWithParentsTree([first, second, child]))
        #expect(!PackageRules.isChildWithParentsTree([child]))
        // A parent spending another parent makes it a chain, not a tree.
        let grandchild = try fixture.spend([OutPoint(txid: first.txid, index: 0)], values: [99_000], paying: 98_000)
        let last = try fixture.spend([OutPoint(txid: first.txid, index: 0), OutPoint(txid: grandchild.txid, index: 0)], values: [99_000, 98_000], paying: 196_000)
        #expect(!PackageRules.isChildWithParentsTree([first, grandchild, last]))
    }

    @Test func testingAPackageChangesNothing() throws {
        let (chain, outpoints) = fixture.chain()
        let pool = Mempool()
        let pooled = try fixture.spend([outpoints[2]])
        try pool.accept(pooled, chain: chain, now: now)
        let sequence = pool.sequence
        let (parent, child) = try parentAndChild(outpoints[0], parentFee: 1_000, childFee: 1_000)
        let passing = try pool.testPackage([parent, child], chain: chain, now: now)
        #expect(passing.failure == nil && passing.outcomes.count == 2)
        #expect(pool.count == 1 && pool.sequence == sequence && pool.entry(parent.txid) == nil)

        // Each pays its own way in a test: the poor parent fails, and only its result is known.
        let (poor, rich) = try parentAndChild(outpoints[1], parentFee: 0, childFee: 5_000)
        let failing = try pool.testPackage([poor, rich], chain: chain, now: now)
        #expect(failing.failure == PackageAcceptance.transactionFailed)
        #expect(reason(failing.outcomes[poor.wtxid]) == "min relay fee not met" && failing.outcomes[rich.wtxid] == nil)

        // Several transactions may not replace; a single one may (nothing is replaced in a test).
        let replacement = try fixture.spend([outpoints[2]], paying: 90_000)
        let other = try fixture.spend([outpoints[3]])
        #expect(reason(try pool.testPackage([other, replacement], chain: chain, now: now).outcomes[replacement.wtxid]) == "bip125-replacement-disallowed")
        guard case .accepted = try pool.testPackage([replacement], chain: chain, now: now).outcomes[replacement.wtxid] else {
            Issue.record("a single replacement is judged as sendrawtransaction would")
            return
        }
        #expect(pool.entry(pooled.txid) != nil && pool.count == 1 && pool.sequence == sequence)
    }
}
