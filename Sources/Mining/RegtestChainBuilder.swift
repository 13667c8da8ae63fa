import ChainCrypto
import ChainParams
import ChainTypes
import Consensus
import Script

/// Builds a valid regtest chain by itself, without a node: mines coinbases to its own keys,
/// fans them out into many small outputs and spends those with signed transactions. For
/// benchmarks, replay tests and fixtures; every block it returns is valid on top of the
/// previous one.
public struct RegtestChainBuilder {
    /// The kinds of output the builder pays to and spends.
    public enum OutputKind: CaseIterable, Sendable {
        case payToWitnessPubkeyHash
        case taprootKeyPath
    }

    struct Spendable {
        let outpoint: OutPoint
        let output: TxOut
        let key: PrivateKey
        let kind: OutputKind
    }

    public let params: ChainParams
    public private(set) var blocks: [Block] = []
    private var parent: BlockHeader
    private var recentTimes: [Int64]
    private var matureCoinbases: [Spendable] = []
    private var immatureCoinbases: [(height: Int, coin: Spendable)] = []
    private var spendable: [Spendable] = []
    private let keys: [PrivateKey]
    private var keyCursor = 0
    private var time: Int64

    /// Starts on `params`' genesis (regtest: every hash has about a one-in-two chance to meet the target).
    public init(params: ChainParams = .regtest, keyCount: Int = 64, startTime: Int64 = 1_700_000_000) {
        self.params = params
        parent = params.genesisBlock.header
        recentTimes = [Int64(params.genesisBlock.header.time)]
        keys = (0..<max(1, keyCount)).map { _ in PrivateKey.random() }
        time = max(startTime, Int64(params.genesisBlock.header.time))
    }

    /// Height of the next block.
    public var nextHeight: Int { blocks.count + 1 }
    /// Outputs ready to be spent by `nextBlock(spending:)`.
    public var spendableCount: Int { spendable.count }

    private mutating func nextKey() -> PrivateKey {
        defer { keyCursor = (keyCursor + 1) % keys.count }
        return keys[keyCursor]
    }

    private static func script(for key: PrivateKey, kind: OutputKind) -> [UInt8] {
        switch kind {
        case .payToWitnessPubkeyHash: TransactionSigner.payToWitnessPubkeyHash(key.publicKey())
        case .taprootKeyPath: (try? TransactionSigner.payToTaproot(internalKey: key.xOnlyPublicKey)) ?? []
        }
    }

    /// Mines a block with `transactions` (fees included in the coinbase) and records its outputs.
    private mutating func mine(_ transactions: [Transaction], fees: Amount, created: [Spendable]) -> Block {
        time += Int64(params.targetSpacing)
        let sortedTimes = recentTimes.suffix(11).sorted()
        let view = MiningChainView(
            parentHash: parent.hash, height: nextHeight, parentMedianTimePast: sortedTimes[sortedTimes.count / 2], bits: parent.bits,
            maxWeight: params.blockWeight.initialLimit,
            maxSigopCost: AdaptiveBlockWeight.sigopCostLimit(forWeightLimit: params.blockWeight.initialLimit),
            subsidy: Subsidy.amount(height: nextHeight, halvingInterval: params.subsidyHalvingInterval))
        let candidates = transactions.enumerated().map { index, transaction in
            CandidateTransaction(transaction: transaction, fee: index == 0 ? fees : .zero, sigopCost: 0)
        }
        let coinbaseKey = nextKey()
        var template = BlockAssembler.makeTemplate(
            chain: view, payoutScript: Self.script(for: coinbaseKey, kind: .payToWitnessPubkeyHash),
            transactions: FixedTransactions(candidates), time: time)
        let params = params
        _ = BlockAssembler.solve(&template.block, maxTries: .max) { params.checkProofOfWork($0) }
        let block = template.block
        let coinbase = block.transactions[0]
        immatureCoinbases.append((nextHeight, Spendable(
            outpoint: OutPoint(txid: coinbase.txid, index: 0), output: coinbase.outputs[0], key: coinbaseKey,
            kind: .payToWitnessPubkeyHash)))
        while let first = immatureCoinbases.first, nextHeight + 1 - first.height >= params.coinbaseMaturity {
            matureCoinbases.append(first.coin)
            immatureCoinbases.removeFirst()
        }
        spendable += created
        blocks.append(block)
        parent = block.header
        recentTimes.append(Int64(block.header.time))
        if recentTimes.count > 11 { recentTimes.removeFirst() }
        return block
    }

    /// A block with only a coinbase.
    public mutating func nextEmptyBlock() -> Block { mine([], fees: .zero, created: []) }

    /// The blocks that make `count` spendable P2WPKH outputs: enough empty blocks for mature
    /// coinbases, then fan-out blocks of `perFanOut` outputs each; nil if the builder cannot.
    public mutating func fundingBlocks(coins count: Int, perFanOut: Int = 20_000) throws -> [Block]? {
        let fanOuts = (count + perFanOut - 1) / perFanOut
        var blocks = (0..<(100 + fanOuts)).map { _ in nextEmptyBlock() }
        for _ in 0..<fanOuts {
            guard let block = try nextFanOutBlock(outputs: perFanOut) else { return nil }
            blocks.append(block)
        }
        return blocks
    }

    /// A block that splits one mature coinbase into `outputs` spendable outputs of the given
    /// kinds (in rotation). Returns nil if no coinbase is mature yet.
    public mutating func nextFanOutBlock(outputs: Int, kinds: [OutputKind] = [.payToWitnessPubkeyHash]) throws -> Block? {
        guard !matureCoinbases.isEmpty, outputs > 0 else { return nil }
        let source = matureCoinbases.removeFirst()
        let fee = Amount(satoshis: Int64(outputs) * 50 + 1_000)
        let each = (source.output.value.satoshis - fee.satoshis) / Int64(outputs)
        guard each > 1_000 else { return nil }
        var keysAndKinds: [(PrivateKey, OutputKind)] = []
        var txOutputs: [TxOut] = []
        for index in 0..<outputs {
            let key = nextKey(), kind = kinds[index % max(1, kinds.count)]
            keysAndKinds.append((key, kind))
            txOutputs.append(TxOut(value: Amount(satoshis: each), scriptPubKey: Self.script(for: key, kind: kind)))
        }
        let transaction = try sign(inputs: [source], outputs: txOutputs)
        let created = keysAndKinds.enumerated().map { index, pair in
            Spendable(outpoint: OutPoint(txid: transaction.txid, index: UInt32(index)), output: txOutputs[index], key: pair.0, kind: pair.1)
        }
        let spentValue = source.output.value.satoshis
        let outValue = txOutputs.reduce(0) { $0 + $1.value.satoshis }
        return mine([transaction], fees: Amount(satoshis: spentValue - outValue), created: created)
    }

    /// A block spending `inputs` fanned-out outputs in transactions of `inputsPerTransaction`
    /// inputs and `outputsPerTransaction` outputs each (the new outputs become spendable again).
    public mutating func nextBlock(spending inputs: Int, inputsPerTransaction: Int = 1, outputsPerTransaction: Int = 1) throws -> Block? {
        guard spendable.count >= inputs, inputs > 0 else { return nil }
        let spent = Array(spendable.prefix(inputs))
        spendable.removeFirst(inputs)
        var transactions: [Transaction] = []
        var created: [Spendable] = []
        var fees: Int64 = 0
        var start = 0
        while start < spent.count {
            let group = Array(spent[start..<min(spent.count, start + max(1, inputsPerTransaction))])
            start += group.count
            let value = group.reduce(0) { $0 + $1.output.value.satoshis }
            let fee = Int64(group.count) * 100 + 200
            let kind = group[0].kind
            let count = max(1, outputsPerTransaction)
            let share = (value - fee) / Int64(count)
            let outputs = (0..<count).map { index in
                let key = nextKey()
                // The first output takes the remainder of the split.
                let amount = index == 0 ? value - fee - share * Int64(count - 1) : share
                return (key, TxOut(value: Amount(satoshis: amount), scriptPubKey: Self.script(for: key, kind: kind)))
            }
            let transaction = try sign(inputs: group, outputs: outputs.map(\.1))
            transactions.append(transaction)
            for (index, (key, output)) in outputs.enumerated() {
                created.append(Spendable(outpoint: OutPoint(txid: transaction.txid, index: UInt32(index)), output: output, key: key, kind: kind))
            }
            fees += fee
        }
        return mine(transactions, fees: Amount(satoshis: fees), created: created)
    }

    private func sign(inputs: [Spendable], outputs: [TxOut]) throws -> Transaction {
        let unsigned = Transaction(
            version: 2, inputs: inputs.map { TxIn(previousOutput: $0.outpoint, sequence: 0xffff_fffd) }, outputs: outputs)
        let spentOutputs = inputs.map(\.output)
        let precomputed = PrecomputedTransactionData(transaction: unsigned, spentOutputs: spentOutputs)
        var signedInputs = unsigned.inputs
        for (index, input) in inputs.enumerated() {
            switch input.kind {
            case .payToWitnessPubkeyHash:
                signedInputs[index].witness = try TransactionSigner.signPayToWitnessPubkeyHash(
                    transaction: unsigned, inputIndex: index, key: input.key, amount: input.output.value, precomputed: precomputed)
            case .taprootKeyPath:
                signedInputs[index].witness = try TransactionSigner.signTaprootKeyPath(
                    transaction: unsigned, inputIndex: index, key: input.key, precomputed: precomputed)
            }
        }
        return unsigned.with(inputs: signedInputs)
    }
}
