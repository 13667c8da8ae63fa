import ChainCrypto
import ChainParams
import ChainTypes
import Consensus
import Testing

@Suite struct DifficultyAdjustmentTests {
    static func header(time: UInt32, bits: UInt32) -> BlockHeader {
        BlockHeader(version: 4, previousBlockHash: BlockHash(.zero), merkleRoot: .zero, time: time, bits: bits, nonce: 0)
    }

    /// Like Bitcoin regtest's `fPowNoRetargeting`: whatever the timestamps, the child carries
    /// the parent's bits, and from genesis on those are the limit 0x207fffff.
    @Test func regtestNeverRetargets() throws {
        let params = ChainParams.regtest
        var parent = params.genesisBlock.header
        for height in 0..<3000 {
            let time = parent.time &+ UInt32(height % 7 == 0 ? 100_000 : 1)
            let bits = try DifficultyAdjustment.nextWorkRequired(parent: parent, parentHeight: height, params: params)
            #expect(bits == 0x207f_ffff)
            parent = Self.header(time: time, bits: bits)
        }
        #expect(params.powNoRetargeting)
    }

    /// Main and test: a chain whose blocks come exactly every 150 s keeps the genesis bits.
    @Test(arguments: [Network.main, .test]) func onScheduleChainKeepsGenesisBits(_ network: Network) throws {
        let params = ChainParams.forNetwork(network)
        #expect(!params.powNoRetargeting)
        var parent = params.genesisBlock.header
        for height in 0..<2000 {
            let bits = try DifficultyAdjustment.nextWorkRequired(parent: parent, parentHeight: height, params: params)
            #expect(bits == params.powLimitBits)
            parent = Self.header(time: parent.time + 150, bits: bits)
        }
    }

    /// Blocks twice as fast as scheduled: after one half-life of lead (172,800 s = 1,152
    /// spacings, reached after 2,304 blocks of 75 s) the target has halved.
    @Test func fastBlocksHalveTheTargetAfterOneHalfLife() throws {
        let params = ChainParams.main
        var parent = params.genesisBlock.header
        var bits = params.powLimitBits
        for height in 0..<2304 {
            bits = try DifficultyAdjustment.nextWorkRequired(parent: parent, parentHeight: height, params: params)
            parent = Self.header(time: parent.time + 75, bits: bits)
        }
        // Parent at height 2304, 2304 × 75 s after genesis: 2304 × 75 − 150 × 2305 + 150 = −172,800.
        let next = try DifficultyAdjustment.nextWorkRequired(parent: parent, parentHeight: 2304, params: params)
        #expect(next == (params.powLimit >> 1).compact())
        #expect(next == 0x1e07_ffff)
        #expect(UInt256(compact: bits) > UInt256(compact: next))
    }

    /// The anchor: genesis at height 0 with a virtual parent one spacing earlier.
    @Test(arguments: [Network.main, .test]) func anchorIsGenesis(_ network: Network) throws {
        let params = ChainParams.forNetwork(network)
        #expect(params.asertAnchor.height == 0)
        #expect(params.asertAnchor.bits == params.genesisBlock.header.bits)
        #expect(params.asertAnchor.parentTime == Int64(params.genesisBlock.header.time) - 150)
        #expect(params.asertHalfLife == 172_800)
        #expect(throws: DifficultyError.parentBelowAnchor(parentHeight: -1, anchorHeight: 0)) {
            try DifficultyAdjustment.nextWorkRequired(parent: params.genesisBlock.header, parentHeight: -1, params: params)
        }
    }

    /// A parent timestamp far in the past (before the anchor's parent) makes the target
    /// harder, never traps.
    @Test func parentBeforeAnchorTimeIsHarder() throws {
        let params = ChainParams.main
        let parent = Self.header(time: 0, bits: params.powLimitBits)
        let bits = try DifficultyAdjustment.nextWorkRequired(parent: parent, parentHeight: 10, params: params)
        #expect(bits == 0x0101_0000)
    }
}
