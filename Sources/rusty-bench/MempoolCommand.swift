import ArgumentParser
import ChainCrypto
import ChainTypes
import Foundation
import Mempool
import Mining
import Script

/// Mempool acceptance of 1-in-2-out P2WPKH transactions (in process, one thread, as the
/// mempool actor runs) vs raw libsecp256k1 verifying the same signatures on one core; the same
/// kind of transactions through `sendrawtransaction` over HTTP into a node; block-template
/// assembly from the full pool, and memory per pooled transaction.
struct MempoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mempool", abstract: "Mempool acceptance vs raw libsecp256k1, template build time, memory per transaction.")

    @Option(help: "Transactions to accept (each spends one confirmed P2WPKH coin).")
    var transactions = 50_000

    @Option(help: "Transactions sent through sendrawtransaction over HTTP.")
    var httpTransactions = 20_000

    @Option(help: "Keep-alive HTTP connections sending them.")
    var connections = 4

    mutating func run() async throws {
        let count = transactions
        let buildStart = ContinuousClock.now
        let key = PrivateKey.random()
        let script = TransactionSigner.payToWitnessPubkeyHash(key.publicKey())
        var coins: [OutPoint: Coin] = [:]
        var signed: [Transaction] = []
        var items: [RawVerificationBaseline.ECDSAItem] = []
        signed.reserveCapacity(count)
        for index in 0..<count {
            let outpoint = OutPoint(txid: TxID(Hashing.sha256d(withUnsafeBytes(of: UInt64(index).littleEndian) { Array($0) })), index: 0)
            let coin = Coin(output: TxOut(value: Amount(satoshis: 100_000), scriptPubKey: script), height: 100, isCoinbase: false)
            coins[outpoint] = coin
            let unsigned = Transaction(
                version: 2, inputs: [TxIn(previousOutput: outpoint, sequence: 0xffff_fffd)],
                outputs: [TxOut(value: Amount(satoshis: 60_000), scriptPubKey: script),
                          TxOut(value: Amount(satoshis: 39_000 - Int64(index % 500)), scriptPubKey: script)])
            let precomputed = PrecomputedTransactionData(transaction: unsigned, spentOutputs: [coin.output])
            var inputs = unsigned.inputs
            inputs[0].witness = try TransactionSigner.signPayToWitnessPubkeyHash(
                transaction: unsigned, inputIndex: 0, key: key, amount: coin.output.value, precomputed: precomputed)
            let scriptCode = [Opcode.dup, Opcode.hash160, 20] + Hashing.hash160(inputs[0].witness[1]) + [Opcode.equalVerify, Opcode.checkSig]
            let sighash = SignatureHash.witnessV0(
                transaction: unsigned, inputIndex: 0, scriptCode: scriptCode, amount: coin.output.value, hashType: 1, precomputed: precomputed)
            items.append(.init(publicKey: inputs[0].witness[1], derSignature: Array(inputs[0].witness[0].dropLast()), hash: sighash.bytes))
            signed.append(unsigned.with(inputs: inputs))
        }
        print("built \(count) signed transactions in \(ContinuousClock.now - buildStart)")
        let chain = ChainSnapshot(tipHeight: 200, tipMedianTimePast: 1_700_000_000, coinbaseMaturity: 100, coins: coins)

        // Raw baseline: the same signatures, one thread (the mempool judges on one actor).
        let rawStart = ContinuousClock.now
        guard RawVerificationBaseline.verify(items) == count else { throw BenchmarkError.fixturesDoNotVerify }
        let rawRate = Double(count) / (ContinuousClock.now - rawStart).seconds

        let residentBefore = PeakMemory.currentResidentBytes()
        let pool = Mempool()
        let acceptStart = ContinuousClock.now
        for transaction in signed {
            do {
                try pool.accept(transaction, chain: chain, now: 1_700_000_100)
            } catch {
                throw BenchmarkError.fixturesDoNotVerify
            }
        }
        let acceptRate = Double(count) / (ContinuousClock.now - acceptStart).seconds
        let residentAfter = PeakMemory.currentResidentBytes()

        // The same transactions into a pool half as large: from half-way on, every acceptance
        // evicts the lowest descendant score (or is refused by the risen minimum fee).
        var limited = PolicySettings()
        limited.maxMempoolBytes = pool.usage / 2
        let full = Mempool(settings: limited)
        let fullStart = ContinuousClock.now
        let admitted = signed.filter { (try? full.accept($0, chain: chain, now: 1_700_000_100)) != nil }.count
        let fullRate = Double(count) / (ContinuousClock.now - fullStart).seconds

        let templateStart = ContinuousClock.now
        let candidates = pool.entriesInArrivalOrder().map {
            CandidateTransaction(transaction: $0.transaction, fee: $0.fee, sigopCost: $0.sigopCost, modifiedFee: pool.modifiedFee(of: $0))
        }
        let view = MiningChainView(
            parentHash: BlockHash(.zero), height: 201, parentMedianTimePast: 1_700_000_000, bits: 0x207f_ffff, maxWeight: 4_000_000,
            maxSigopCost: 80_000, subsidy: Amount(satoshis: 50 * 100_000_000))
        let template = BlockAssembler.makeTemplate(chain: view, payoutScript: script, transactions: MempoolTransactions(candidates), time: 1_700_000_200)
        let templateSeconds = (ContinuousClock.now - templateStart).seconds
        let httpBuildStart = ContinuousClock.now
        let http = try MempoolHTTPBenchmark(count: httpTransactions)
        print("built a chain with \(httpTransactions) spendable coins and their spends in \(ContinuousClock.now - httpBuildStart)")
        let httpRate = try await http.run(connections: connections)
        print("""
            mempool acceptance, \(count) transactions (1 P2WPKH input, 2 outputs), one thread
              raw libsecp256k1 ECDSA verify, one core          \(Int(rawRate)) /s
              accepted into the mempool (in process)           \(Int(acceptRate)) tx/s (goal >= 5000)
              sendrawtransaction over HTTP (\(connections) connections, \(httpTransactions) tx) \(Int(httpRate)) tx/s (\(String(format: "%.2f", httpRate / acceptRate)) of in process)
              judged into a pool at its -maxmempool limit       \(Int(fullRate)) tx/s (\(admitted) admitted, \(full.evictedTotal) evicted)
              template from \(count) pooled transactions        \(String(format: "%.0f", templateSeconds * 1000)) ms (\(template.block.transactions.count - 1) transactions chosen)
              memory per pooled transaction                    \((residentAfter - residentBefore) / count) bytes resident (\(pool.usage / count) counted against -maxmempool)
            ratio (accepted tx/s / raw verifies/s): \(String(format: "%.3f", acceptRate / rawRate))
            """)
    }
}
