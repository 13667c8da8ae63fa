import ChainCrypto
import ChainParams
import ChainState
import ChainTypes
import Consensus
import Mining
import Script
import Storage

/// Builds regtest blocks on top of a `ChainState` for tests: a fixed clock, a payout key, and
/// helpers to spend coinbase outputs.
final class TestChain {
    let chain: ChainState
    let key = PrivateKey.random()
    var clock: Int64
    var extraNonce: UInt32 = 0

    var payoutScript: [UInt8] { TransactionSigner.payToWitnessPubkeyHash(key.publicKey()) }

    init(store: any KeyValueStore = InMemoryStore(), cacheBytes: Int = 1 << 30, start: Int64 = 1_700_000_000) throws {
        clock = start
        let now = start
        chain = try ChainState(params: .regtest, store: store, options: ChainStateOptions(coinsCacheBytes: cacheBytes, now: { now + 10_000_000 }))
    }

    init(chain: ChainState, start: Int64) {
        self.chain = chain
        clock = start
    }

    /// The view a miner of the next block on `parent` sees.
    func miningView(parent: BlockIndexNode? = nil) -> MiningChainView {
        let parent = parent ?? chain.tip
        return MiningChainView(
            parentHash: parent.hash, height: parent.height + 1, parentMedianTimePast: parent.medianTimePast,
            bits: parent.header.bits, maxWeight: 4_000_000, maxSigopCost: 80_000,
            subsidy: Subsidy.amount(height: parent.height + 1, halvingInterval: 150))
    }

    /// A solved block on `parent` (default: the tip) with `transactions`, optionally altered
    /// before solving.
    func makeBlock(
        parent: BlockIndexNode? = nil, transactions: [Transaction] = [], fees: Amount = .zero,
        alter: (inout Block) -> Void = { _ in }
    ) -> Block {
        clock += 150
        extraNonce += 1
        // The whole fee is attributed to the first transaction; only the total matters here.
        let candidates = transactions.enumerated().map { index, transaction in
            CandidateTransaction(transaction: transaction, fee: index == 0 ? fees : .zero, sigopCost: 0)
        }
        let template = BlockAssembler.makeTemplate(
            chain: miningView(parent: parent), payoutScript: payoutScript, transactions: FixedTransactions(candidates), time: clock,
            extraNonce: extraNonce)
        var block = template.block
        alter(&block)
        _ = BlockAssembler.solve(&block, maxTries: 1 << 20) { ChainParams.regtest.checkProofOfWork($0) }
        return block
    }

    /// Mines `count` empty blocks on the tip.
    @discardableResult
    func mine(_ count: Int) throws -> [Block] {
        var blocks: [Block] = []
        for _ in 0..<count {
            let block = makeBlock()
            try chain.acceptBlock(block)
            blocks.append(block)
        }
        return blocks
    }

    /// A transaction spending output 0 of `block`'s coinbase to `outputs` (default: one
    /// output of the whole value minus `fee` back to the payout script).
    func spendCoinbase(of block: Block, fee: Amount = Amount(satoshis: 1_000), outputs: [TxOut]? = nil) throws -> Transaction {
        let coinbase = block.transactions[0]
        let value = coinbase.outputs[0].value
        let spentOutputs = [coinbase.outputs[0]]
        let unsigned = Transaction(
            version: 2, inputs: [TxIn(previousOutput: OutPoint(txid: coinbase.txid, index: 0), sequence: 0xffff_fffd)],
            outputs: outputs ?? [TxOut(value: Amount(satoshis: value.satoshis - fee.satoshis), scriptPubKey: payoutScript)])
        var inputs = unsigned.inputs
        inputs[0].witness = try TransactionSigner.signPayToWitnessPubkeyHash(
            transaction: unsigned, inputIndex: 0, key: key, amount: value,
            precomputed: PrecomputedTransactionData(transaction: unsigned, spentOutputs: spentOutputs))
        return unsigned.with(inputs: inputs)
    }
}
