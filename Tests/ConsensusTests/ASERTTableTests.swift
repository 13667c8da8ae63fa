import ChainParams
import ChainTypes
import Consensus
import Testing

/// ASERT with Rusty Coin's parameters (150 s spacing, half-life 172,800 s). The expected bits
/// were computed with an independent unbounded-integer Python model of the spec's formula
/// (truncating division, floor shift, cubic factor, clamp to 1...powLimit), the same model
/// that reproduces all 14,000 BCHN vector rows.
@Suite struct ASERTTableTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let comment: String
        let anchorBits: UInt32
        let timeDelta: Int64
        let heightDelta: UInt64
        let powLimitBits: UInt32
        let expected: UInt32
        init(_ comment: String, anchorBits: UInt32, timeDelta: Int64, heightDelta: UInt64, powLimitBits: UInt32, expected: UInt32) {
            self.comment = comment
            self.anchorBits = anchorBits
            self.timeDelta = timeDelta
            self.heightDelta = heightDelta
            self.powLimitBits = powLimitBits
            self.expected = expected
        }
        var testDescription: String { comment }
    }

    static let rows: [Row] = [
        Row("block 1 one spacing after genesis", anchorBits: 0x1e0fffff, timeDelta: 150, heightDelta: 0, powLimitBits: 0x1e0fffff, expected: 0x1e0fffff),
        Row("on schedule at height 1000", anchorBits: 0x1e0fffff, timeDelta: 150150, heightDelta: 1000, powLimitBits: 0x1e0fffff, expected: 0x1e0fffff),
        Row("on schedule at height 10,000,000", anchorBits: 0x1e0fffff, timeDelta: 1500000150, heightDelta: 10000000, powLimitBits: 0x1e0fffff, expected: 0x1e0fffff),
        Row("one half-life ahead of schedule: target halves", anchorBits: 0x1e0fffff, timeDelta: -22650, heightDelta: 1000, powLimitBits: 0x1e0fffff, expected: 0x1e07ffff),
        Row("two half-lives ahead", anchorBits: 0x1e0fffff, timeDelta: -195450, heightDelta: 1000, powLimitBits: 0x1e0fffff, expected: 0x1e03ffff),
        Row("half a half-life ahead (fraction 0.5)", anchorBits: 0x1e0fffff, timeDelta: 63750, heightDelta: 1000, powLimitBits: 0x1e0fffff, expected: 0x1e0b500f),
        Row("one second ahead", anchorBits: 0x1e0fffff, timeDelta: 150149, heightDelta: 1000, powLimitBits: 0x1e0fffff, expected: 0x1e0fffff),
        Row("one second behind: clamped at powLimit", anchorBits: 0x1e0fffff, timeDelta: 150151, heightDelta: 1000, powLimitBits: 0x1e0fffff, expected: 0x1e0fffff),
        Row("a day behind: clamped at powLimit", anchorBits: 0x1e0fffff, timeDelta: 236550, heightDelta: 1000, powLimitBits: 0x1e0fffff, expected: 0x1e0fffff),
        Row("harder anchor, one half-life behind: target doubles", anchorBits: 0x1b0404cb, timeDelta: 187950, heightDelta: 100, powLimitBits: 0x1e0fffff, expected: 0x1b080996),
        Row("harder anchor, 1.5 half-lives behind", anchorBits: 0x1b0404cb, timeDelta: 274350, heightDelta: 100, powLimitBits: 0x1e0fffff, expected: 0x1b0b5d9e),
        Row("harder anchor, one second behind", anchorBits: 0x1b0404cb, timeDelta: 15151, heightDelta: 100, powLimitBits: 0x1e0fffff, expected: 0x1b0404cb),
        Row("harder anchor, one second ahead", anchorBits: 0x1b0404cb, timeDelta: 15149, heightDelta: 100, powLimitBits: 0x1e0fffff, expected: 0x1b0404cb),
        Row("harder anchor, 40 half-lives behind: clamped at powLimit", anchorBits: 0x1b0404cb, timeDelta: 6927150, heightDelta: 100, powLimitBits: 0x1e0fffff, expected: 0x1e0fffff),
        Row("negative time delta (parent before anchor parent)", anchorBits: 0x1e0fffff, timeDelta: -1, heightDelta: 0, powLimitBits: 0x1e0fffff, expected: 0x1e0ffd87),
        Row("negative time delta of a week", anchorBits: 0x1e0fffff, timeDelta: -604800, heightDelta: 5, powLimitBits: 0x1e0fffff, expected: 0x1e0168b4),
        Row("negative time delta of 10 years", anchorBits: 0x1e0fffff, timeDelta: -315360000, heightDelta: 0, powLimitBits: 0x1e0fffff, expected: 0x01010000),
        Row("height delta 1, time unchanged", anchorBits: 0x1e0fffff, timeDelta: 0, heightDelta: 1, powLimitBits: 0x1e0fffff, expected: 0x1e0ffb1f),
        Row("height delta 1,000,000 in one spacing: target 1", anchorBits: 0x1e0fffff, timeDelta: 150, heightDelta: 1000000, powLimitBits: 0x1e0fffff, expected: 0x01010000),
        Row("height delta 2,000,000 on schedule", anchorBits: 0x1e0fffff, timeDelta: 300000150, heightDelta: 2000000, powLimitBits: 0x1e0fffff, expected: 0x1e0fffff),
        Row("height delta 2,000,000, one day slow in total", anchorBits: 0x1e0fffff, timeDelta: 300086550, heightDelta: 2000000, powLimitBits: 0x1e0fffff, expected: 0x1e0fffff),
        Row("height delta 2,000,000, ten days fast in total", anchorBits: 0x1e0fffff, timeDelta: 299136150, heightDelta: 2000000, powLimitBits: 0x1e0fffff, expected: 0x1d7ffff8),
        Row("minimum target anchor stays at 1 on schedule", anchorBits: 0x01010000, timeDelta: 1650, heightDelta: 10, powLimitBits: 0x1e0fffff, expected: 0x01010000),
        Row("minimum target anchor, one half-life behind: 2", anchorBits: 0x01010000, timeDelta: 174450, heightDelta: 10, powLimitBits: 0x1e0fffff, expected: 0x01020000),
        Row("minimum target anchor, ahead: stays 1", anchorBits: 0x01010000, timeDelta: -171150, heightDelta: 10, powLimitBits: 0x1e0fffff, expected: 0x01010000),
        Row("gap of 2^40 seconds: clamped at powLimit", anchorBits: 0x1e0fffff, timeDelta: 1099511627776, heightDelta: 0, powLimitBits: 0x1e0fffff, expected: 0x1e0fffff),
        Row("gap of Int64.max seconds: clamped at powLimit", anchorBits: 0x1b0404cb, timeDelta: 9223372036854775807, heightDelta: 0, powLimitBits: 0x1e0fffff, expected: 0x1e0fffff),
        Row("time delta Int64.min: target 1", anchorBits: 0x1e0fffff, timeDelta: .min, heightDelta: 0, powLimitBits: 0x1e0fffff, expected: 0x01010000),
        Row("height delta UInt64.max: target 1", anchorBits: 0x1e0fffff, timeDelta: 9223372036854775807, heightDelta: 18446744073709551615, powLimitBits: 0x1e0fffff, expected: 0x01010000),
        Row("wide path: anchor at 0x207fffff, one second ahead", anchorBits: 0x207fffff, timeDelta: 149, heightDelta: 0, powLimitBits: 0x207fffff, expected: 0x207fffff),
        Row("wide path: anchor at 0x207fffff, half a half-life ahead", anchorBits: 0x207fffff, timeDelta: -86250, heightDelta: 0, powLimitBits: 0x207fffff, expected: 0x205a807f),
        Row("wide path: anchor at 0x207fffff, one second behind: powLimit", anchorBits: 0x207fffff, timeDelta: 151, heightDelta: 0, powLimitBits: 0x207fffff, expected: 0x207fffff),
        Row("wide path: anchor at 0x207fffff, 300 half-lives ahead", anchorBits: 0x207fffff, timeDelta: -51839850, heightDelta: 0, powLimitBits: 0x207fffff, expected: 0x01010000),
        Row("wide path: anchor at 0x207fffff, 1000 s ahead", anchorBits: 0x207fffff, timeDelta: -850, heightDelta: 0, powLimitBits: 0x207fffff, expected: 0x207f7d3f),
        Row("wide path: anchor at 0x207fffff, 16.5 half-lives ahead", anchorBits: 0x207fffff, timeDelta: -2851050, heightDelta: 0, powLimitBits: 0x207fffff, expected: 0x1e5a807f),
        Row("wide path: anchor at 0x207fffff, 17 half-lives ahead", anchorBits: 0x207fffff, timeDelta: -2937450, heightDelta: 0, powLimitBits: 0x207fffff, expected: 0x1e3fffff),
        Row("wide path: anchor at 0x207fffff, 255 half-lives ahead", anchorBits: 0x207fffff, timeDelta: -44063850, heightDelta: 0, powLimitBits: 0x207fffff, expected: 0x01010000),
        Row("anchor target 1 with the 0x207fffff limit, 254 half-lives behind", anchorBits: 0x01010000, timeDelta: 43891350, heightDelta: 0, powLimitBits: 0x207fffff, expected: 0x20400000),
    ]

    @Test(arguments: rows) func table(_ row: Row) {
        let target = ASERT.nextTarget(
            anchorTarget: UInt256(compact: row.anchorBits), targetSpacing: 150, halfLife: 172_800,
            timeDelta: row.timeDelta, heightDelta: row.heightDelta, powLimit: UInt256(compact: row.powLimitBits))
        #expect(target.compact() == row.expected)
        #expect(target >= .one)
        #expect(target <= UInt256(compact: row.powLimitBits))
    }

    /// Solve times equal to the target spacing keep the bits constant, for any canonical
    /// anchor target, any height and either network limit.
    @Test func onScheduleKeepsBitsConstant() {
        var state: UInt64 = 0x2545_f491_4f6c_dd1d
        func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        for powLimitBits: UInt32 in [0x1e0f_ffff, 0x207f_ffff, 0x1d00_ffff] {
            let powLimit = UInt256(compact: powLimitBits)
            for _ in 0..<400 {
                // A random target between 1 and powLimit, made canonical by a compact round trip.
                let raw = powLimit >> Int(next() % UInt64(powLimit.significantBitCount))
                let anchorBits = (raw.isZero ? .one : raw).compact()
                let heightDelta = next() % 50_000_000
                let bits = ASERT.nextBits(
                    parentHeight: 7 + heightDelta, parentTime: 1_000 + 150 * Int64(heightDelta + 1), anchorHeight: 7,
                    anchorBits: anchorBits, anchorParentTime: 1_000, targetSpacing: 150, halfLife: 172_800,
                    powLimit: powLimit)
                #expect(bits == anchorBits)
            }
        }
    }

    /// A later parent time never makes the target harder, a greater height never easier.
    @Test func targetIsMonotonic() {
        let powLimit = ChainParams.main.powLimit
        var previous = UInt256.zero
        for step in stride(from: -3_000_000 as Int64, through: 3_000_000, by: 7919) {
            let target = ASERT.nextTarget(anchorTarget: UInt256(compact: 0x1c0f_ffff), targetSpacing: 150, halfLife: 172_800,
                                          timeDelta: step, heightDelta: 1000, powLimit: powLimit)
            #expect(target >= previous)
            previous = target
        }
        previous = powLimit
        for heightDelta in stride(from: 0 as UInt64, through: 40_000, by: 97) {
            let target = ASERT.nextTarget(anchorTarget: UInt256(compact: 0x1c0f_ffff), targetSpacing: 150, halfLife: 172_800,
                                          timeDelta: 3_000_000, heightDelta: heightDelta, powLimit: powLimit)
            #expect(target <= previous)
            previous = target
        }
    }

    @Test func fractionalFactorStaysInRange() {
        // 2^0 and 2^(65535/65536) by the cubic, at the ends of the fraction range.
        let low = ASERT.nextTarget(anchorTarget: UInt256(1 << 32), targetSpacing: 150, halfLife: 172_800,
                                   timeDelta: 150, heightDelta: 0, powLimit: .max)
        #expect(low == UInt256(1 << 32))
        // One 65536th of a half-life (2.63 s) short of a doubling: the factor is 131071 / 65536.
        let high = ASERT.nextTarget(anchorTarget: UInt256(1 << 32), targetSpacing: 150, halfLife: 65536,
                                    timeDelta: 150 + 65535, heightDelta: 0, powLimit: .max)
        #expect(high == UInt256((1 << 32) / 65536 * 131_071))
    }

    @Test func degenerateParametersDoNotTrap() {
        let anchor = UInt256(compact: 0x1c0f_ffff)
        let limit = ChainParams.main.powLimit
        #expect(ASERT.nextTarget(anchorTarget: anchor, targetSpacing: 0, halfLife: 172_800, timeDelta: 5, heightDelta: 5, powLimit: limit) == anchor)
        #expect(ASERT.nextTarget(anchorTarget: anchor, targetSpacing: 150, halfLife: 0, timeDelta: 5, heightDelta: 5, powLimit: limit) == anchor)
        #expect(ASERT.nextTarget(anchorTarget: .zero, targetSpacing: 150, halfLife: 172_800, timeDelta: 150, heightDelta: 0, powLimit: limit) == .one)
        #expect(ASERT.nextTarget(anchorTarget: .max, targetSpacing: 150, halfLife: 172_800, timeDelta: 150, heightDelta: 0, powLimit: limit) == limit)
        #expect(ASERT.nextBits(parentHeight: 4, parentTime: 0, anchorHeight: 5, anchorBits: 0x1c0f_ffff, anchorParentTime: 0,
                               targetSpacing: 150, halfLife: 172_800, powLimit: limit) == nil)
        // Time deltas that overflow Int64 saturate.
        #expect(ASERT.nextBits(parentHeight: 0, parentTime: .max, anchorHeight: 0, anchorBits: 0x1c0f_ffff, anchorParentTime: -5,
                               targetSpacing: 150, halfLife: 172_800, powLimit: limit) == limit.compact())
        #expect(ASERT.nextBits(parentHeight: 0, parentTime: .min, anchorHeight: 0, anchorBits: 0x1c0f_ffff, anchorParentTime: 5,
                               targetSpacing: 150, halfLife: 172_800, powLimit: limit) == 0x0101_0000)
    }
}
