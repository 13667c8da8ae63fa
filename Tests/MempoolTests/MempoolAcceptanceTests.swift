import ChainCrypto
import ChainTypes
import Testing
@testable import Mempool
@testable import Script

/// `Mempool.accept` against a tip: Core's checks in Core's order with Core's reasons, chains of
/// unconfirmed transactions, and removal when blocks confirm or conflict.
@Suite struct MempoolAcceptanceTests {
    let key = PrivateKey.random()
    var script: [UInt8] { TransactionSigner.payToWitnessPubkeyHash(key.publicKey()) }
    let now: Int64 = 1_700_000_500
    static let emptyChain = ChainSnapshot(tipHeight: 200, tipMedianTimePast: 1_700_000_000, coinbaseMaturity: 100)

    /// A chain with `count` P2WPKH coins of 100,000 sat at height 150 (and one immature coinbase).
    func chain(coins count: Int = 4) -> (ChainSnapshot, [OutPoint]) {
        var chain = Self.emptyChain
        var outpoints: [OutPoint] = []
        for index in 0..<count {
            let outpoint = OutPoint(txid: TxID(Hashing.sha256d([UInt8(index)])), index: 0)
            chain.coins[outpoint] = Coin(output: TxOut(value: Amount(satoshis: 100_000), scriptPubKey: script), height: 150, isCoinbase: false)
            outpoints.append(outpoint)
        }
        return (chain, outpoints)
    }

    /// A signed spend of `outpoints` (each 100,000 sat unless `values` says) paying `value` back.
    func spend(
        _ outpoints: [OutPoint], values: [Int64]? = nil, paying value: Int64 = 99_000, lockTime: UInt32 = 0, sequence: UInt32 = 0xffff_fffd,
        outputScript: [UInt8]? = nil
    ) throws -> Transaction {
        let amounts = values ?? outpoints.map { _ in 100_000 }
        let unsigned = Transaction(
            version: 2, inputs: outpoints.map { TxIn(previousOutput: $0, sequence: sequence) },
            outputs: [TxOut(value: Amount(satoshis: value), scriptPubKey: outputScript ?? script)], lockTime: lockTime)
        return try TransactionSigner.signingAllPayToWitnessPubkeyHash(unsigned, key: key, amounts: amounts.map { Amount(satoshis: $0) })
    }

    static func reason(_ body: () throws(MempoolError) -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let .rejected(rejection) {
            return rejection.reason
        } catch {
            return "\(error)"
        }
    }

    @Test func acceptsAStandardSpendAndRecordsIt() throws {
        let (chain, outpoints) = chain()
        let pool = Mempool()
        let transaction = try spend([outpoints[0]])
        let entry = try pool.accept(transaction, chain: chain, now: now)
        #expect(entry.fee == Amount(satoshis: 1_000))
        #expect(entry.virtualSize == transaction.virtualSize && entry.height == 200 && entry.time == now)
        #expect(pool.count == 1 && pool.spender(of: outpoints[0]) == transaction.txid)
        // Dry runs judge without adding.
        let other = try spend([outpoints[1]])
        try pool.accept(other, chain: chain, now: now, dryRun: true)
        #expect(pool.count == 1 && pool.entry(other.txid) == nil)
    }

    @Test func acceptedSignaturesAreRememberedForTheBlock() throws {
        let (chain, outpoints) = chain()
        let cache = SignatureCache()
        let pool = Mempool(signatureCache: cache)
        let transaction = try spend([outpoints[0], outpoints[1]], values: [100_000, 100_000], paying: 199_000)
        try pool.accept(transaction, chain: chain, now: now)
        #expect(cache.count == 2, "one entry per verified signature")
        // A transaction refused for its scripts leaves nothing behind.
        let good = try spend([outpoints[2]])
        var input = good.inputs[0]
        input.witness[0][10] ^= 1
        let forged = Transaction(version: good.version, inputs: [input], outputs: good.outputs, lockTime: good.lockTime)
        _ = Self.reason { () throws(MempoolError) in try pool.accept(forged, chain: chain, now: now) }
        #expect(cache.count == 2)
    }

    @Test func rejectsWithCoreReasons() throws {
        let (chain, outpoints) = chain()
        let pool = Mempool()
        let accepted = try spend([outpoints[0]])
        try pool.accept(accepted, chain: chain, now: now)
        func reason(_ transaction: Transaction) -> String? { Self.reason { () throws(MempoolError) in try pool.accept(transaction, chain: chain, now: now) } }

        #expect(reason(accepted) == "txn-already-in-mempool")
        // Same txid, another witness.
        var inputs = accepted.inputs
        inputs[0].witness[0] = try spend([outpoints[0]]).inputs[0].witness[0] + []
        inputs[0].witness.append([])
        #expect(reason(accepted.with(inputs: inputs)) == "txn-same-nonwitness-data-in-mempool")
        // A conflicting spend paying less is no replacement.
        #expect(reason(try spend([outpoints[0]], paying: 99_500)) == "insufficient fee")
        #expect(reason(try spend([OutPoint(txid: TxID(Hashing.sha256d([9, 9])), index: 0)])) == "missing-inputs")
        #expect(reason(try spend([outpoints[1]], outputScript: [Opcode.op1])) == "scriptpubkey")
        // The next block is at height 201: a lock time must be below it.
        #expect(reason(try spend([outpoints[1]], lockTime: 201)) == "non-final")
        #expect(reason(try spend([outpoints[1]], lockTime: 200)) == nil)
        #expect(reason(try spend([outpoints[2]], paying: 100_001)) == "bad-txns-in-belowout")
        #expect(reason(try spend([outpoints[2]], paying: 100_000)) == "min relay fee not met")
        // BIP68: 60 blocks of relative lock on a coin 50 blocks deep.
        #expect(reason(try spend([outpoints[2]], sequence: 60)) == "non-BIP68-final")
        // A signature over the wrong amount fails consensus.
        #expect(reason(try spend([outpoints[3]], values: [90_000])) == "mandatory-script-verify-flag-failed (Script evaluated without error but finished with a false/empty top stack element)")
        let coinbase = Transaction(
            version: 2, inputs: [TxIn(previousOutput: .null, scriptSig: [1, 1, 1], sequence: 0)],
            outputs: [TxOut(value: Amount(satoshis: 50), scriptPubKey: script)])
        #expect(reason(coinbase) == "coinbase")
    }

    @Test func immatureCoinbaseAndAlreadyConfirmed() throws {
        var (chain, outpoints) = chain(coins: 1)
        let coinbaseOutpoint = OutPoint(txid: TxID(Hashing.sha256d([0xcb])), index: 0)
        chain.coins[coinbaseOutpoint] = Coin(output: TxOut(value: Amount(satoshis: 100_000), scriptPubKey: script), height: 150, isCoinbase: true)
        let pool = Mempool()
        func reason(_ transaction: Transaction) -> String? { Self.reason { () throws(MempoolError) in try pool.accept(transaction, chain: chain, now: now) } }
        #expect(reason(try spend([coinbaseOutpoint])) == "bad-txns-premature-spend-of-coinbase")
        // Its input is gone but its output is in the UTXO set: it was confirmed.
        let confirmed = try spend([outpoints[0]])
        chain.coins[outpoints[0]] = nil
        chain.coins[OutPoint(txid: confirmed.txid, index: 0)] = Coin(output: confirmed.outputs[0], height: 200, isCoinbase: false)
        #expect(reason(confirmed) == "txn-already-known")
    }

    /// A policy-only script failure: `OP_NOP4` in a witness script is valid but discouraged.
    @Test func policyOnlyScriptFailuresAreMempoolFailures() throws {
        var chain = Self.emptyChain
        let witnessScript: [UInt8] = [0xb3, Opcode.op1]
        let outpoint = OutPoint(txid: TxID(Hashing.sha256d([0x77])), index: 0)
        chain.coins[outpoint] = Coin(
            output: TxOut(value: Amount(satoshis: 100_000), scriptPubKey: [Opcode.op0, 32] + Hashing.sha256(witnessScript).bytes),
            height: 150, isCoinbase: false)
        let transaction = Transaction(
            version: 2, inputs: [TxIn(previousOutput: outpoint, sequence: 0xffff_fffd, witness: [witnessScript])],
            outputs: [TxOut(value: Amount(satoshis: 99_000), scriptPubKey: script)])
        let reason = Self.reason { () throws(MempoolError) in try Mempool().accept(transaction, chain: chain, now: now) }
        #expect(reason == "mempool-script-verify-flag-failed (NOPx reserved for soft-fork upgrades)")
    }

    @Test func unconfirmedChainsAndBlockRemoval() throws {
        let (chain, outpoints) = chain()
        let pool = Mempool()
        let parent = try spend([outpoints[0]])
        let child = try spend([OutPoint(txid: parent.txid, index: 0)], values: [99_000], paying: 98_000)
        let grandchild = try spend([OutPoint(txid: child.txid, index: 0)], values: [98_000], paying: 97_000)
        for transaction in [parent, child, grandchild] { try pool.accept(transaction, chain: chain, now: now) }
        #expect(pool.count == 3)
        // Removing the child takes its descendant along, not its parent.
        #expect(Set(pool.removeWithDescendants(child.txid, reason: .conflict)) == [child.txid, grandchild.txid])
        #expect(pool.count == 1 && pool.spender(of: OutPoint(txid: parent.txid, index: 0)) == nil)
        try pool.accept(child, chain: chain, now: now)
        try pool.accept(grandchild, chain: chain, now: now)

        // A block confirms the parent: it leaves, its descendants stay.
        let coinbase = Transaction(version: 2, inputs: [TxIn(previousOutput: .null, scriptSig: [1, 1], sequence: 0)],
                                   outputs: [TxOut(value: Amount(satoshis: 1), scriptPubKey: script)])
        let confirming = Block(header: BlockHeader(version: 4, previousBlockHash: BlockHash(.zero), merkleRoot: .zero, time: 0, bits: 0, nonce: 0),
                               transactions: [coinbase, parent])
        #expect(pool.removeForBlock(confirming, height: 201, now: now).isEmpty)
        #expect(pool.entry(parent.txid) == nil && pool.count == 2)
        // A block spending what another pool transaction spends: that one and its descendants go.
        let other = try spend([outpoints[1]])
        try pool.accept(other, chain: chain, now: now)
        let rival = try spend([outpoints[1]], paying: 90_000)
        let conflicting = Block(header: confirming.header, transactions: [coinbase, rival])
        #expect(pool.removeForBlock(conflicting, height: 202, now: now) == [other.txid])
        #expect(pool.count == 2 && pool.spender(of: outpoints[1]) == nil)
    }

    /// A signed spend of one P2WPKH output worth `value`, splitting it into `outputs` equal outputs.
    func split(_ outpoint: OutPoint, value: Int64, outputs: Int, fee: Int64 = 2_000) throws -> Transaction {
        let share = (value - fee) / Int64(outputs)
        let unsigned = Transaction(
            version: 2, inputs: [TxIn(previousOutput: outpoint, sequence: 0xffff_fffd)],
            outputs: (0..<outputs).map { _ in TxOut(value: Amount(satoshis: share), scriptPubKey: script) })
        return try TransactionSigner.signingAllPayToWitnessPubkeyHash(unsigned, key: key, amounts: [Amount(satoshis: value)])
    }

    /// Core's package limits: 25 transactions with their ancestors, 25 with their descendants,
    /// 101 kvB each way (`too-long-mempool-chain`).
    @Test func ancestorAndDescendantLimits() throws {
        let (chain, outpoints) = chain()
        let pool = Mempool()
        func reason(_ transaction: Transaction) -> String? { Self.reason { () throws(MempoolError) in try pool.accept(transaction, chain: chain, now: now) } }
        // A chain of 25 is fine; the 26th has 25 ancestors.
        var tip = outpoints[0], value: Int64 = 100_000
        for _ in 0..<25 {
            let next = try split(tip, value: value, outputs: 1, fee: 1_000)
            #expect(reason(next) == nil)
            tip = OutPoint(txid: next.txid, index: 0)
            value -= 1_000
        }
        #expect(reason(try split(tip, value: value, outputs: 1, fee: 1_000)) == "too-long-mempool-chain")

        // One parent with 24 children is fine; the 25th child makes 26 with the parent.
        let parent = try split(outpoints[1], value: 100_000, outputs: 30)
        #expect(reason(parent) == nil)
        let share = parent.outputs[0].value.satoshis
        for index in 0..<24 {
            #expect(reason(try split(OutPoint(txid: parent.txid, index: UInt32(index)), value: share, outputs: 1, fee: 1_000)) == nil)
        }
        #expect(reason(try split(OutPoint(txid: parent.txid, index: 24), value: share, outputs: 1, fee: 1_000)) == "too-long-mempool-chain")

        // Sizes: with a 300-vbyte ancestor limit, a third generation is too big.
        var small = PolicySettings()
        small.maxAncestorSize = 300
        let strict = Mempool(settings: small)
        let first = try split(outpoints[2], value: 100_000, outputs: 1, fee: 1_000)
        let second = try split(OutPoint(txid: first.txid, index: 0), value: 99_000, outputs: 1, fee: 1_000)
        let third = try split(OutPoint(txid: second.txid, index: 0), value: 98_000, outputs: 1, fee: 1_000)
        try strict.accept(first, chain: chain, now: now)
        try strict.accept(second, chain: chain, now: now)
        #expect(Self.reason { () throws(MempoolError) in try strict.accept(third, chain: chain, now: now) } == "too-long-mempool-chain")
    }

    /// `-maxmempool`: the lowest descendant score is evicted, the pool's minimum fee rises to
    /// its rate plus the incremental relay fee and decays after a block; a newcomer that would
    /// be evicted itself is `mempool full`. `-mempoolexpiry` drops old entries.
    @Test func sizeLimitEvictionAndExpiry() throws {
        let (chain, outpoints) = chain(coins: 6)
        let transactions = try (0..<6).map { try spend([outpoints[$0]], paying: 100_000 - 1_000 * Int64($0 + 1)) }
        var settings = PolicySettings()
        settings.maxMempoolBytes = transactions[0].totalSize * 3 + 1_500 + 10
        let pool = Mempool(settings: settings)
        func reason(_ transaction: Transaction, at time: Int64) -> String? {
            Self.reason { () throws(MempoolError) in try pool.accept(transaction, chain: chain, now: time) }
        }
        for index in 0..<3 { #expect(reason(transactions[index], at: now) == nil) }
        #expect(pool.minimumFeeRate(now: now).satoshisPerKilovirtualByte == 0)
        // The fourth (highest fee) pushes out the first (lowest fee rate).
        #expect(reason(transactions[3], at: now) == nil)
        #expect(pool.count == 3 && pool.entry(transactions[0].txid) == nil)
        let evictedRate = 1_000 * 1000 / Int64(transactions[0].virtualSize)
        #expect(pool.minimumFeeRate(now: now).satoshisPerKilovirtualByte == evictedRate + 100)
        // Paying the evicted rate is no longer enough.
        let cheap = try spend([outpoints[0]], paying: 99_000)
        #expect(reason(cheap, at: now) == "mempool min fee not met")
        // Above the minimum but still the lowest score: it would be evicted at once.
        let marginal = try spend([outpoints[4]], paying: 100_000 - 1_500)
        #expect(reason(marginal, at: now) == "mempool full")
        #expect(pool.count == 3)
        // Its own eviction raised the minimum to its rate plus the increment.
        let raised = pool.minimumFeeRate(now: now).satoshisPerKilovirtualByte
        #expect(raised == 1_500 * 1000 / Int64(marginal.virtualSize) + 100)
        // After a block the minimum decays: halved in 12 hours (the pool is more than half full).
        pool.removeForBlock(Block(header: BlockHeader(version: 4, previousBlockHash: BlockHash(.zero), merkleRoot: .zero, time: 0, bits: 0, nonce: 0),
                                  transactions: []), height: 201, now: now)
        let decayed = pool.minimumFeeRate(now: now + 12 * 3600).satoshisPerKilovirtualByte
        #expect(abs(decayed - raised / 2) <= 1)

        // Expiry: entries older than 336 hours go when the next transaction is accepted.
        let later = now + 336 * 3600 + 1
        #expect(reason(transactions[5], at: later) == nil)
        #expect(pool.count == 1 && pool.entry(transactions[5].txid) != nil)
    }

    /// `prioritisetransaction`: the delta counts for the fee checks and in the entry's modified
    /// fee, before or after the transaction arrives; the fee it pays is unchanged.
    @Test func feeDeltasChangeWhatATransactionIsJudgedBy() throws {
        let (chain, outpoints) = chain()
        let pool = Mempool()
        func reason(_ transaction: Transaction) -> String? { Self.reason { () throws(MempoolError) in try pool.accept(transaction, chain: chain, now: now) } }
        let free = try spend([outpoints[0]], paying: 100_000)
        #expect(reason(free) == "min relay fee not met")
        pool.prioritise(free.txid, by: 1_000)
        #expect(reason(free) == nil)
        let view = try #require(pool.view(free.txid))
        #expect(view.entry.fee == .zero && view.modifiedFee == Amount(satoshis: 1_000))
        // A negative delta can make a paying transaction too cheap.
        let paying = try spend([outpoints[1]], paying: 99_000)
        pool.prioritise(paying.txid, by: -1_000)
        #expect(reason(paying) == "min relay fee not met")
        pool.prioritise(paying.txid, by: 1_000)
        #expect(pool.feeDeltas[paying.txid] == nil)
        #expect(reason(paying) == nil)
    }

    /// Full replace-by-fee with Core's rules and reasons.
    @Test func replaceByFee() throws {
        let (chain, outpoints) = chain()
        let pool = Mempool()
        func reason(_ transaction: Transaction, in pool: Mempool = pool) -> String? {
            Self.reason { () throws(MempoolError) in try pool.accept(transaction, chain: chain, now: now) }
        }
        let original = try spend([outpoints[0]])  // fee 1,000
        let child = try spend([OutPoint(txid: original.txid, index: 0)], values: [99_000], paying: 94_000)  // fee 5,000
        let unrelated = try spend([outpoints[1]])
        for transaction in [original, child, unrelated] { #expect(reason(transaction) == nil) }
        func detail(_ transaction: Transaction) -> String {
            do {
                try pool.accept(transaction, chain: chain, now: now, dryRun: true)
                return "accepted"
            } catch {
                guard case let .rejected(rejection) = error else { return "\(error)" }
                return rejection.description
            }
        }
        #expect(detail(try spend([outpoints[0]], paying: 99_500)).contains("new feerate"))
        #expect(detail(try spend([outpoints[0]], paying: 97_000)).contains("less fees than conflicting txs; 3000 < 6000"))
        #expect(detail(try spend([outpoints[0]], paying: 93_999)).contains("not enough additional fees to relay; 1 < "))

        // A lower fee rate than the conflict's.
        #expect(reason(try spend([outpoints[0]], paying: 99_500)) == "insufficient fee")
        // A higher rate but less than everything it evicts (the original and its child: 6,000).
        #expect(reason(try spend([outpoints[0]], paying: 97_000)) == "insufficient fee")
        // A new unconfirmed input (an output of the unrelated pool transaction).
        let addsUnconfirmed = try spend([outpoints[0], OutPoint(txid: unrelated.txid, index: 0)], values: [100_000, 99_000], paying: 180_000)
        #expect(reason(addsUnconfirmed) == "replacement-adds-unconfirmed")
        // Spending an output of the transaction it would replace.
        let selfSpending = try spend([outpoints[0], OutPoint(txid: original.txid, index: 0)], values: [100_000, 99_000], paying: 180_000)
        #expect(reason(selfSpending) == "bad-txns-spends-conflicting-tx")
        // Too many evictions for the limit.
        var strict = PolicySettings()
        strict.maxReplacementEvictions = 1
        let limited = Mempool(settings: strict)
        try limited.accept(original, chain: chain, now: now)
        try limited.accept(child, chain: chain, now: now)
        #expect(reason(try spend([outpoints[0]], paying: 90_000), in: limited) == "too many potential replacements")

        // Fees of everything evicted plus the relay fee for its own size: 6,000 + ~11 is not
        // enough at exactly 6,001; 6,500 is. The original and its child leave, the rest stays.
        #expect(reason(try spend([outpoints[0]], paying: 93_999)) == "insufficient fee")
        let replacement = try spend([outpoints[0]], paying: 93_500)
        try pool.accept(replacement, chain: chain, now: now, dryRun: true)
        #expect(pool.entry(original.txid) != nil)
        #expect(reason(replacement) == nil)
        #expect(pool.entry(original.txid) == nil && pool.entry(child.txid) == nil)
        #expect(pool.entry(unrelated.txid) != nil && pool.spender(of: outpoints[0]) == replacement.txid)
    }

    /// Expiry goes by entry time even when a transaction left and came back later.
    @Test func expiryFollowsEntryTimes() throws {
        let (chain, outpoints) = chain()
        let pool = Mempool()
        let first = try spend([outpoints[0]]), second = try spend([outpoints[1]])
        try pool.accept(first, chain: chain, now: now)
        try pool.accept(second, chain: chain, now: now + 10)
        pool.removeWithDescendants(first.txid, reason: .conflict)
        try pool.accept(first, chain: chain, now: now + 20)
        #expect(pool.expire(olderThan: now + 15) == [second.txid])
        #expect(pool.entry(first.txid) != nil)
        #expect(pool.expire(olderThan: now + 25) == [first.txid])
        #expect(pool.count == 0)
    }
}
