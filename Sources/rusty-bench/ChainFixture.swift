import ByteCodec
import ChainCrypto
import ChainTypes
import Foundation
import Mining
import Script

/// A signature-heavy regtest chain: enough empty blocks for mature coinbases, fan-out blocks
/// that split them into P2WPKH outputs, then blocks spending `inputsPerBlock` of those each.
struct ChainFixture {
    /// Blocks that set the chain up (empty and fan-out); connected before timing.
    let setup: [Block]
    /// The signature-heavy blocks that are timed.
    let measured: [Block]
    /// The same signatures as raw (key, DER, hash) triples, for the libsecp256k1 baseline.
    let rawItems: [RawVerificationBaseline.ECDSAItem]

    var inputCount: Int { rawItems.count }

    init(blocks: Int, inputsPerBlock: Int, inputsPerTransaction: Int = 2) throws {
        var builder = RegtestChainBuilder(keyCount: 256)
        guard let setup = try builder.fundingBlocks(coins: blocks * inputsPerBlock) else { throw BenchmarkError.fixturesDoNotVerify }
        var measured: [Block] = []
        for _ in 0..<blocks {
            guard let block = try builder.nextBlock(spending: inputsPerBlock, inputsPerTransaction: inputsPerTransaction) else {
                throw BenchmarkError.fixturesDoNotVerify
            }
            measured.append(block)
        }
        var outputs: [OutPoint: TxOut] = [:]
        for block in setup + measured {
            for transaction in block.transactions {
                for (index, output) in transaction.outputs.enumerated() { outputs[OutPoint(txid: transaction.txid, index: UInt32(index))] = output }
            }
        }
        var items: [RawVerificationBaseline.ECDSAItem] = []
        for block in measured {
            for transaction in block.transactions.dropFirst() {
                let spent = transaction.inputs.compactMap { outputs[$0.previousOutput] }
                let precomputed = PrecomputedTransactionData(transaction: transaction, spentOutputs: spent)
                for (index, input) in transaction.inputs.enumerated() where input.witness.count == 2 {
                    let publicKey = input.witness[1]
                    let scriptCode = [Opcode.dup, Opcode.hash160, 20] + Hashing.hash160(publicKey) + [Opcode.equalVerify, Opcode.checkSig]
                    let sighash = SignatureHash.witnessV0(
                        transaction: transaction, inputIndex: index, scriptCode: scriptCode, amount: spent[index].value, hashType: 1,
                        precomputed: precomputed)
                    items.append(.init(publicKey: publicKey, derSignature: Array(input.witness[0].dropLast()), hash: sighash.bytes))
                }
            }
        }
        self.setup = setup
        self.measured = measured
        rawItems = items
    }

    /// Writes every block (setup then measured), one hex serialization per line, heights 1, 2, …
    func write(to path: String) throws {
        let text = (setup + measured).map { $0.serialized.hexString }.joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
