import ChainCrypto
import ChainParams
import ChainTypes
import Consensus
import Testing

@Suite struct ProofOfWorkTests {
    /// Bitcoin's main-net `powLimit`, 2^224 − 1, as Core's pow_tests use it.
    static let bitcoinPowLimit = (UInt256.one << 224) &- .one

    static func hash(_ value: UInt256) -> BlockHash {
        BlockHash(Hash256(bytes: value.littleEndianBytes) ?? .zero)
    }

    // Core's pow_tests.cpp, CheckProofOfWork_test_*.

    @Test func rejectsNegativeTarget() {
        let bits = Self.bitcoinPowLimit.compact(negative: true)
        #expect(!ProofOfWork.check(hash: Self.hash(.one), bits: bits, powLimit: Self.bitcoinPowLimit))
    }

    @Test func rejectsOverflowingTarget() {
        #expect(!ProofOfWork.check(hash: Self.hash(.one), bits: ~UInt32(0x0080_0000), powLimit: Self.bitcoinPowLimit))
    }

    @Test func rejectsTargetEasierThanPowLimit() {
        let (doubled, _) = Self.bitcoinPowLimit.multipliedReportingOverflow(by: 2)
        #expect(!ProofOfWork.check(hash: Self.hash(.one), bits: doubled.compact(), powLimit: Self.bitcoinPowLimit))
    }

    @Test func rejectsHashAboveTarget() {
        let bits = Self.bitcoinPowLimit.compact()
        let (doubled, _) = Self.bitcoinPowLimit.multipliedReportingOverflow(by: 2)
        #expect(!ProofOfWork.check(hash: Self.hash(doubled), bits: bits, powLimit: Self.bitcoinPowLimit))
    }

    @Test func rejectsZeroTarget() {
        #expect(!ProofOfWork.check(hash: Self.hash(.zero), bits: 0, powLimit: Self.bitcoinPowLimit))
        #expect(!ProofOfWork.check(hash: Self.hash(.zero), bits: 0x0300_0000, powLimit: Self.bitcoinPowLimit))
    }

    @Test func acceptsHashAtAndBelowTarget() {
        let target = UInt256(compact: 0x1d00_ffff)
        #expect(ProofOfWork.check(hash: Self.hash(target), bits: 0x1d00_ffff, powLimit: Self.bitcoinPowLimit))
        #expect(ProofOfWork.check(hash: Self.hash(.zero), bits: 0x1d00_ffff, powLimit: Self.bitcoinPowLimit))
        #expect(!ProofOfWork.check(hash: Self.hash(target &+ .one), bits: 0x1d00_ffff, powLimit: Self.bitcoinPowLimit))
        #expect(ProofOfWork.target(bits: 0x1d00_ffff, powLimit: Self.bitcoinPowLimit) == target)
        #expect(ProofOfWork.target(bits: 0x1d01_0000, powLimit: Self.bitcoinPowLimit) == nil)
    }

    /// Bitcoin's genesis block header (mainnet): the hash is read as a little-endian number.
    @Test func bitcoinGenesisHeaderMeetsItsTarget() throws {
        let merkle = try #require(Hash256(displayHex: "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b"))
        let header = BlockHeader(version: 1, previousBlockHash: BlockHash(.zero), merkleRoot: merkle,
                                 time: 1_231_006_505, bits: 0x1d00_ffff, nonce: 2_083_236_893)
        #expect(header.hash.description == "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f")
        #expect(ProofOfWork.check(hash: header.hash, bits: header.bits, powLimit: Self.bitcoinPowLimit))
        var tooHard = header
        tooHard.bits = 0x1b00_ffff
        #expect(!ProofOfWork.check(hash: tooHard.hash, bits: tooHard.bits, powLimit: Self.bitcoinPowLimit))
    }

    @Test(arguments: Network.allCases) func everyGenesisMeetsItsNetworksPowLimit(_ network: Network) {
        let params = ChainParams.forNetwork(network)
        #expect(params.genesisBlock.header.bits == params.powLimitBits)
        #expect(params.checkProofOfWork(params.genesisBlock.header))
        #expect(params.powLimit.compact() == params.powLimitBits)
    }

    /// `GetBlockProof`: 2^256 / (target + 1), values recomputed with unbounded integers.
    @Test func blockProofKnownValues() {
        #expect(ProofOfWork.blockProof(bits: 0x1d00_ffff) == UInt256(0x1_0001_0001))  // Bitcoin genesis work
        #expect(ProofOfWork.blockProof(bits: 0x207f_ffff) == UInt256(2))  // regtest
        #expect(ProofOfWork.blockProof(bits: 0x1e0f_ffff) == UInt256(0x10_0001))  // Rusty Coin main/test limit
        #expect(ProofOfWork.blockProof(bits: 0x1b04_04cb) == UInt256(0x3fb3_ab76_4c00))
        #expect(ProofOfWork.blockProof(bits: 0x0101_0000) == UInt256.one << 255)  // target 1
        #expect(ProofOfWork.blockProof(bits: 0) == .zero)
        #expect(ProofOfWork.blockProof(bits: 0x0480_0001) == .zero)  // negative
        #expect(ProofOfWork.blockProof(bits: 0xff12_3456) == .zero)  // overflow
        #expect(ProofOfWork.blockProof(bits: 0x2100_ffff) == UInt256(1))  // largest encodable target
    }

    @Test func chainWorkSumsAndCompares() {
        var work = ChainWork.zero
        for _ in 0..<10 { work = work.adding(bits: 0x207f_ffff) }
        #expect(work == ChainWork(UInt256(20)))
        #expect(work.description == String(repeating: "0", count: 62) + "14")
        let harder = ChainWork.zero.adding(bits: 0x1d00_ffff)
        #expect(harder > work)
        #expect(ChainWork(bits: 0x1d00_ffff) + ChainWork(bits: 0x1d00_ffff) == ChainWork(UInt256(0x2_0002_0002)))
        #expect(ChainWork(.max) + ChainWork(.one) == ChainWork(.max))
        #expect([harder, work, .zero].sorted() == [.zero, work, harder])
    }

    /// Core's blockchain_tests.cpp `get_difficulty_*`, within Core's tolerance of 0.00001,
    /// plus the values of the networks' limits.
    @Test func difficultyMatchesCore() {
        let cases: [(UInt32, Double)] = [
            (0x1f11_1111, 0.000001), (0x1ef8_8f6f, 0.000016), (0x1df8_8f6f, 0.004023),
            (0x1cf8_8f6f, 1.029916), (0x1234_5678, 5_913_134_931_067_755_359_633_408.0),
        ]
        for (bits, expected) in cases {
            let value = ProofOfWork.difficulty(bits: bits)
            #expect(abs(value - expected) < 0.00001 || abs(value - expected) / expected < 1e-15, "bits \(bits)")
        }
        #expect(ProofOfWork.difficulty(bits: 0x1d00_ffff) == 1.0)
        #expect(ProofOfWork.difficulty(bits: 0x207f_ffff) == 4.6565423739069247e-10)
        #expect(ProofOfWork.difficulty(bits: 0x1e0f_ffff) == 0.00024413713253701452)
        #expect(ProofOfWork.difficulty(bits: 0x1d00_0000) == .infinity)
    }
}
