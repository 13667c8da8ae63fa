import ByteCodec
import ChainCrypto
import ChainParams
import ChainTypes
import Testing

@Suite struct BlockTests {
    /// Bitcoin Core's regtest genesis hash, as PROTOCOL.md §2 fixes it.
    static let regtestGenesisHash = "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206"

    @Test func regtestGenesisIsBitcoinCoreRegtest() throws {
        let genesis = ChainParams.regtest.genesisBlock
        #expect(genesis.hash.description == Self.regtestGenesisHash)
        #expect(genesis.computeMerkleRoot().root == genesis.header.merkleRoot)
        let decoded = try Block(serialized: genesis.serialized)
        #expect(decoded == genesis)
        #expect(genesis.serialized.count == 285)
    }

    /// Found by the differential test: a block of tiny (consensus-invalid but decodable)
    /// transactions must decode as Bitcoin Core decodes it.
    @Test func blocksWithTinyTransactionsDecode() throws {
        let tiny = Transaction(version: 1, inputs: [TxIn(previousOutput: OutPoint(txid: TxID(.zero), index: 0))], outputs: [])
        #expect(tiny.serialized.count == 51)
        let empty: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]  // no inputs, flag 0, lock time
        let emptyTransaction = try Transaction(serialized: empty)
        let header = BlockHeader(version: 1, previousBlockHash: BlockHash(.zero), merkleRoot: .zero, time: 0, bits: 0, nonce: 0)
        var writer = ByteWriter()
        header.encode(to: &writer)
        writer.writeCompactSize(3)
        writer.write(tiny.serialized)
        writer.write(empty)
        writer.write(tiny.serialized)
        let block = try Block(serialized: writer.bytes)
        #expect(block.transactions == [tiny, emptyTransaction, tiny])
    }

    @Test func merkleRootDetectsDuplicatedLeaves() {
        let leaves = (0..<5).map { Hashing.sha256d([UInt8($0)]) }
        let (root, mutated) = MerkleTree.root(of: leaves)
        #expect(!mutated)
        // CVE-2012-2459: duplicating the odd last leaf yields the same root, flagged as mutated.
        let (duplicatedRoot, duplicatedMutated) = MerkleTree.root(of: leaves + [leaves[4]])
        #expect(duplicatedRoot == root)
        #expect(duplicatedMutated)
        #expect(MerkleTree.root(of: [leaves[0]]).root == leaves[0])
    }

    @Test func witnessCommitmentIsFoundAndComputed() {
        let genesis = ChainParams.regtest.genesisBlock
        #expect(genesis.witnessCommitmentIndex == nil)
        let reserved = [UInt8](repeating: 0, count: 32)
        let commitment = Block.witnessCommitment(witnessRoot: .zero, reservedValue: reserved)
        #expect(commitment == Hashing.sha256d([UInt8](repeating: 0, count: 64)))
        let output = TxOut(value: .zero, scriptPubKey: Block.witnessCommitmentHeader + commitment.bytes)
        let coinbase = Transaction(version: 2, inputs: [TxIn(previousOutput: .null, scriptSig: [1, 1], witness: [reserved])],
                                   outputs: [TxOut(value: .zero, scriptPubKey: [0x51]), output])
        let block = Block(header: ChainParams.regtest.genesisBlock.header, transactions: [coinbase])
        #expect(block.witnessCommitmentIndex == 1)
        #expect(block.computeWitnessMerkleRoot() == .zero)
        #expect(block.weight == block.serializedWithoutWitness.count * 3 + block.serialized.count)
    }

    @Test func amountsStayInMoneyRange() {
        #expect(Amount.maxMoney.isInMoneyRange)
        #expect(!Amount(satoshis: Amount.maxMoney.satoshis + 1).isInMoneyRange)
        #expect(Amount.maxMoney.adding(Amount(satoshis: 1)) == nil)
        #expect(Amount(satoshis: .max).adding(Amount(satoshis: 1)) == nil)
        #expect(Amount(satoshis: 150_000_001).description == "1.50000001")
        #expect(Amount(satoshis: -5).description == "-0.00000005")
    }
}
