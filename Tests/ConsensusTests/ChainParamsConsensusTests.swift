import ChainParams
import Consensus
import Testing

/// The consensus constants each network carries.
@Suite struct ChainParamsConsensusTests {
    @Test func softForkHeights() {
        #expect(ChainParams.main.deployments == .allFromGenesis)
        #expect(ChainParams.test.deployments == .allFromGenesis)
        // Bitcoin Core's regtest: BIP34/65/66/CSV at 1, segwit at 0, taproot always active.
        let regtest = ChainParams.regtest.deployments
        #expect([regtest.bip34, regtest.bip65, regtest.bip66, regtest.csv, regtest.segwit, regtest.taproot] == [1, 1, 1, 1, 0, 0])
    }

    @Test func powLimits() {
        #expect(ChainParams.regtest.powLimitBits == 0x207f_ffff)
        #expect(ChainParams.main.powLimitBits == 0x1e0f_ffff)
        #expect(ChainParams.test.powLimitBits == 0x1e0f_ffff)
        // About 2^20 expected hashes per block at the limit: the genesis mines in seconds.
        #expect(ProofOfWork.blockProof(bits: ChainParams.main.powLimitBits) == UInt256(0x10_0001))
        for params in [ChainParams.main, .test, .regtest] {
            #expect(params.powLimit == UInt256(compact: params.powLimitBits))
            #expect(params.targetSpacing == 150)
        }
    }
}
