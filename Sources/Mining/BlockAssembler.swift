import ChainCrypto
import ChainTypes
import Consensus
import Script

/// A block ready for proof of work, and what went into it.
public struct BlockTemplate: Sendable {
    public var block: Block
    public var height: Int
    public var fees: [Amount]
    public var sigopCosts: [Int]
    public var totalFees: Amount
    public var coinbaseValue: Amount
}

/// Builds blocks: a coinbase paying subsidy plus fees with the BIP34 height and the BIP141
/// witness commitment, followed by transactions in the source's order while they fit.
public enum BlockAssembler {
    /// Header version of new blocks (BIP9 top bits, no signals), as Bitcoin Core.
    public static let blockVersion: Int32 = 0x2000_0000
    /// Weight reserved for the coinbase (Core's default `-blockreservedweight`).
    public static let reservedCoinbaseWeight = 8000
    /// Sigop cost reserved for the coinbase.
    public static let reservedCoinbaseSigops = 400

    public static func makeTemplate(
        chain: MiningChainView, payoutScript: [UInt8], transactions source: some TransactionSource, time: Int64,
        extraNonce: UInt32 = 0
    ) -> BlockTemplate {
        var selected: [CandidateTransaction] = []
        var weight = reservedCoinbaseWeight
        var sigops = reservedCoinbaseSigops
        var fees = Amount.zero
        var candidates = source.candidateTransactions()
        if source.choosesByFeeRate {
            candidates = AncestorScoreSelection.select(
                candidates, maxWeight: chain.maxWeight - reservedCoinbaseWeight, maxSigopCost: chain.maxSigopCost - reservedCoinbaseSigops)
        }
        for candidate in candidates {
            let candidateWeight = candidate.transaction.weight
            guard weight + candidateWeight <= chain.maxWeight, sigops + candidate.sigopCost <= chain.maxSigopCost,
                let total = fees.adding(candidate.fee)
            else { continue }
            weight += candidateWeight
            sigops += candidate.sigopCost
            fees = total
            selected.append(candidate)
        }
        let coinbaseValue = chain.subsidy.adding(fees) ?? chain.subsidy
        let transactions = selected.map(\.transaction)
        let coinbase = makeCoinbase(height: chain.height, value: coinbaseValue, payoutScript: payoutScript,
                                    extraNonce: extraNonce, others: transactions)
        let all = [coinbase] + transactions
        let header = BlockHeader(
            version: blockVersion, previousBlockHash: chain.parentHash, merkleRoot: MerkleTree.root(of: all.map(\.txid.hash)).root,
            time: UInt32(clamping: max(time, chain.parentMedianTimePast + 1)), bits: chain.bits, nonce: 0)
        return BlockTemplate(
            block: Block(header: header, transactions: all), height: chain.height, fees: selected.map(\.fee),
            sigopCosts: selected.map(\.sigopCost), totalFees: fees, coinbaseValue: coinbaseValue)
    }

    /// The coinbase: scriptSig `<height> <extra nonce>`, one payout output, the witness
    /// commitment output, and the 32-zero-byte witness reserved value.
    public static func makeCoinbase(height: Int, value: Amount, payoutScript: [UInt8], extraNonce: UInt32, others: [Transaction]) -> Transaction {
        var scriptSig = ScriptBuilder()
        scriptSig.add(number: Int64(height))
        scriptSig.add(number: Int64(extraNonce))
        if scriptSig.bytes.count < 2 { scriptSig.add(opcode: Opcode.op0) }  // coinbase scriptSig needs 2..100 bytes
        let reserved = [UInt8](repeating: 0, count: 32)
        let witnessRoot = MerkleTree.root(of: [Hash256.zero] + others.map(\.wtxid.hash)).root
        let commitment = Block.witnessCommitment(witnessRoot: witnessRoot, reservedValue: reserved)
        return Transaction(
            version: 2,
            inputs: [TxIn(previousOutput: .null, scriptSig: scriptSig.bytes, sequence: TxIn.finalSequence, witness: [reserved])],
            outputs: [
                TxOut(value: value, scriptPubKey: payoutScript),
                TxOut(value: .zero, scriptPubKey: Block.witnessCommitmentHeader + commitment.bytes),
            ],
            lockTime: 0)
    }

    /// Grinds the nonce (and time, when the nonce space runs out) until `isValid` accepts the
    /// header; for regtest, where about every other hash meets the target. Gives up after
    /// `maxTries` hashes.
    public static func solve(_ block: inout Block, maxTries: Int, isValid: (BlockHeader) -> Bool) -> Bool {
        var tries = 0
        while tries < maxTries {
            if isValid(block.header) { return true }
            tries += 1
            if block.header.nonce == .max {
                block.header.nonce = 0
                block.header.time &+= 1
            } else {
                block.header.nonce += 1
            }
        }
        return false
    }
}
