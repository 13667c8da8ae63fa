import ChainParams
import Consensus
import Testing

@Suite struct AdaptiveBlockWeightTests {
    static let schedule = BlockWeightSchedule.adaptive

    @Test func medianRoundingIsExact() {
        // Even count: 2 × median is the sum of the two middle weights.
        #expect(AdaptiveBlockWeight.nextLimit(previousLimit: 8_000_000, periodWeights: [1, 4_000_001, 4_000_000, 9_000_000],
                                              schedule: Self.schedule) == 8_000_001)
        // Odd count: twice the middle weight.
        #expect(AdaptiveBlockWeight.nextLimit(previousLimit: 8_000_000, periodWeights: [4_100_000, 0, 9_000_000],
                                              schedule: Self.schedule) == 8_200_000)
        // Order does not matter.
        let weights = (0..<2016).map { ($0 * 7919) % 8_000_001 }
        #expect(AdaptiveBlockWeight.nextLimit(previousLimit: 8_000_000, periodWeights: weights, schedule: Self.schedule)
                == AdaptiveBlockWeight.nextLimit(previousLimit: 8_000_000, periodWeights: weights.sorted(), schedule: Self.schedule))
    }

    @Test func bandEdgesRoundDown() {
        // 8,000,001 × 0.95 = 7,600,000.95 → 7,600,000; × 1.10 = 8,800,001.1 → 8,800,001.
        #expect(AdaptiveBlockWeight.nextLimit(previousLimit: 8_000_001, periodWeights: [0, 0], schedule: Self.schedule) == 7_600_000)
        #expect(AdaptiveBlockWeight.nextLimit(previousLimit: 8_000_001, periodWeights: [.max, .max], schedule: Self.schedule) == 8_800_001)
        #expect(AdaptiveBlockWeight.nextLimit(previousLimit: 8_000_001, periodWeights: [], schedule: Self.schedule) == 7_600_000)
        #expect(AdaptiveBlockWeight.nextLimit(previousLimit: 8_000_001, periodWeights: [-5, -5], schedule: Self.schedule) == 7_600_000)
    }

    /// Full blocks drive the limit up by 10 % per period until the 256,000,000 WU ceiling,
    /// empty blocks drive it down by 5 % per period until the 4,000,000 WU floor.
    @Test func drivenUpAndDownHitsBothClamps() {
        var limit = Self.schedule.initialLimit
        var history = [limit]
        var weights: [Int] = []
        // Up: every block as heavy as allowed.
        while limit < Self.schedule.maximumLimit {
            weights += Array(repeating: limit, count: 2016)
            let next = AdaptiveBlockWeight.nextLimit(previousLimit: limit, periodWeights: weights.suffix(2016), schedule: Self.schedule)
            #expect(next == min(limit * 110 / 100, Self.schedule.maximumLimit))
            limit = next
            history.append(limit)
        }
        #expect(limit == 256_000_000)
        #expect(history.count == 38)  // 8M × 1.1^36 ≈ 246.5M, × 1.1 clamps at 256M
        // It stays at the ceiling while blocks stay full.
        weights += Array(repeating: limit, count: 2016)
        #expect(AdaptiveBlockWeight.nextLimit(previousLimit: limit, periodWeights: weights.suffix(2016), schedule: Self.schedule) == 256_000_000)
        // Down: empty blocks (the coinbase only).
        var periodsDown = 0
        while limit > Self.schedule.minimumLimit {
            weights += Array(repeating: 800, count: 2016)
            let next = AdaptiveBlockWeight.nextLimit(previousLimit: limit, periodWeights: weights.suffix(2016), schedule: Self.schedule)
            #expect(next == max(limit * 95 / 100, Self.schedule.minimumLimit))
            limit = next
            periodsDown += 1
        }
        #expect(limit == 4_000_000)
        #expect(periodsDown == 82)  // 256M × 0.95^81 ≈ 4.0M still above the floor, the 82nd clamps
        weights += Array(repeating: 800, count: 2016)
        #expect(AdaptiveBlockWeight.nextLimit(previousLimit: limit, periodWeights: weights.suffix(2016), schedule: Self.schedule) == 4_000_000)

        // Replaying the whole chain from genesis gives the same limits.
        #expect(AdaptiveBlockWeight.limit(atHeight: 2016 * 37, weights: weights, schedule: Self.schedule) == 256_000_000)
        #expect(AdaptiveBlockWeight.limit(atHeight: weights.count, weights: weights, schedule: Self.schedule) == 4_000_000)
        #expect(AdaptiveBlockWeight.limit(atHeight: 2016, weights: weights, schedule: Self.schedule) == 8_800_000)
        #expect(AdaptiveBlockWeight.limit(atHeight: 2015, weights: [], schedule: Self.schedule) == 8_000_000)
        #expect(AdaptiveBlockWeight.limit(atHeight: 4033, weights: weights, schedule: Self.schedule)
                == AdaptiveBlockWeight.limit(atHeight: 4032, weights: weights, schedule: Self.schedule))
        #expect(AdaptiveBlockWeight.limit(atHeight: weights.count + 2016, weights: weights, schedule: Self.schedule) == nil)
    }

    /// The median, not the mean, decides: a minority of huge blocks cannot raise the limit.
    @Test func medianResistsAMinorityOfFullBlocks() {
        let weights = Array(repeating: 8_000_000, count: 1007) + Array(repeating: 1_000_000, count: 1009)
        #expect(AdaptiveBlockWeight.nextLimit(previousLimit: 8_000_000, periodWeights: weights, schedule: Self.schedule) == 7_600_000)
        let steady = Array(repeating: 4_000_000, count: 2016)
        #expect(AdaptiveBlockWeight.nextLimit(previousLimit: 8_000_000, periodWeights: steady, schedule: Self.schedule) == 8_000_000)
    }

    @Test func regtestKeepsBitcoinsFixedLimit() {
        let schedule = ChainParams.regtest.blockWeight
        #expect(schedule == .bitcoinFixed)
        let weights = Array(repeating: 4_000_000, count: 10_000)
        for height in [0, 1, 2016, 4032, 9999, 1_000_000] {
            #expect(AdaptiveBlockWeight.limit(atHeight: height, weights: weights, schedule: schedule) == 4_000_000)
            #expect(!AdaptiveBlockWeight.isAdjustmentHeight(height, schedule: schedule))
        }
        #expect(AdaptiveBlockWeight.sigopCostLimit(forWeightLimit: 4_000_000) == 80_000)
    }

    @Test func mainAndTestAdjustEvery2016Blocks() {
        for params in [ChainParams.main, .test] {
            #expect(params.blockWeight.initialLimit == 8_000_000)
            #expect(params.blockWeight.minimumLimit == 4_000_000)
            #expect(params.blockWeight.maximumLimit == 256_000_000)
            #expect(params.blockWeight.adjustmentInterval == 2016)
        }
        #expect(!AdaptiveBlockWeight.isAdjustmentHeight(0, schedule: Self.schedule))
        #expect(!AdaptiveBlockWeight.isAdjustmentHeight(2015, schedule: Self.schedule))
        #expect(AdaptiveBlockWeight.isAdjustmentHeight(2016, schedule: Self.schedule))
        #expect(AdaptiveBlockWeight.isAdjustmentHeight(4032, schedule: Self.schedule))
        #expect(AdaptiveBlockWeight.sigopCostLimit(forWeightLimit: 8_000_000) == 160_000)
        #expect(AdaptiveBlockWeight.sigopCostLimit(forWeightLimit: 256_000_000) == 5_120_000)
        #expect(AdaptiveBlockWeight.sigopCostLimit(forWeightLimit: 8_800_049) == 176_000)  // rounds down
    }
}
