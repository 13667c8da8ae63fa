import Consensus
import Testing

/// Bitcoin Core's `arith_uint256_tests.cpp` `bignum_SetCompact`, every case.
@Suite struct CompactTargetTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let compact: UInt32
        let hex: String
        let recompact: UInt32
        let negative: Bool
        let overflow: Bool
        var testDescription: String { "0x" + String(compact, radix: 16) }
    }

    static let zeroHex = String(repeating: "0", count: 64)
    static func hex(_ tail: String) -> String { String(repeating: "0", count: 64 - tail.count) + tail }

    static let cases: [Case] = [
        Case(compact: 0, hex: zeroHex, recompact: 0, negative: false, overflow: false),
        Case(compact: 0x0012_3456, hex: zeroHex, recompact: 0, negative: false, overflow: false),
        Case(compact: 0x0100_3456, hex: zeroHex, recompact: 0, negative: false, overflow: false),
        Case(compact: 0x0200_0056, hex: zeroHex, recompact: 0, negative: false, overflow: false),
        Case(compact: 0x0300_0000, hex: zeroHex, recompact: 0, negative: false, overflow: false),
        Case(compact: 0x0400_0000, hex: zeroHex, recompact: 0, negative: false, overflow: false),
        Case(compact: 0x0092_3456, hex: zeroHex, recompact: 0, negative: false, overflow: false),
        Case(compact: 0x0180_3456, hex: zeroHex, recompact: 0, negative: false, overflow: false),
        Case(compact: 0x0280_0056, hex: zeroHex, recompact: 0, negative: false, overflow: false),
        Case(compact: 0x0380_0000, hex: zeroHex, recompact: 0, negative: false, overflow: false),
        Case(compact: 0x0480_0000, hex: zeroHex, recompact: 0, negative: false, overflow: false),
        Case(compact: 0x0112_3456, hex: hex("12"), recompact: 0x0112_0000, negative: false, overflow: false),
        Case(compact: 0x01fe_dcba, hex: hex("7e"), recompact: 0x01fe_0000, negative: true, overflow: false),
        Case(compact: 0x0212_3456, hex: hex("1234"), recompact: 0x0212_3400, negative: false, overflow: false),
        Case(compact: 0x0312_3456, hex: hex("123456"), recompact: 0x0312_3456, negative: false, overflow: false),
        Case(compact: 0x0412_3456, hex: hex("12345600"), recompact: 0x0412_3456, negative: false, overflow: false),
        Case(compact: 0x0492_3456, hex: hex("12345600"), recompact: 0x0492_3456, negative: true, overflow: false),
        Case(compact: 0x0500_9234, hex: hex("92340000"), recompact: 0x0500_9234, negative: false, overflow: false),
        Case(compact: 0x2012_3456, hex: "1234560000000000000000000000000000000000000000000000000000000000",
             recompact: 0x2012_3456, negative: false, overflow: false),
    ]

    /// Core re-encodes negative inputs with `GetCompact(true)`, the others with `GetCompact()`.
    @Test(arguments: cases) func setCompactAndGetCompact(_ testCase: Case) {
        let decoded = UInt256.decodeCompact(testCase.compact)
        #expect(decoded.value.description == testCase.hex)
        #expect(decoded.isNegative == testCase.negative)
        #expect(decoded.isOverflow == testCase.overflow)
        #expect(decoded.value.compact(negative: testCase.negative) == testCase.recompact)
        #expect(UInt256(compact: testCase.compact) == decoded.value)
    }

    @Test func overflowFlag() {
        let decoded = UInt256.decodeCompact(0xff12_3456)
        #expect(!decoded.isNegative)
        #expect(decoded.isOverflow)
        // The boundaries of Core's overflow rule: size 34 with one byte, 33 with two, 32 with three.
        #expect(!UInt256.decodeCompact(0x2200_00ff).isOverflow)
        #expect(UInt256.decodeCompact(0x2300_0001).isOverflow)
        #expect(!UInt256.decodeCompact(0x2100_ffff).isOverflow)
        #expect(UInt256.decodeCompact(0x2201_0000).isOverflow)
        #expect(!UInt256.decodeCompact(0x207f_ffff).isOverflow)
        #expect(UInt256.decodeCompact(0x2101_0000).isOverflow)
        #expect(!UInt256.decodeCompact(0xff00_0000).isOverflow)  // zero mantissa never overflows
        #expect(UInt256.decodeCompact(~UInt32(0x0080_0000)).isOverflow)
    }

    @Test func compactNeverSetsTheSignBit() {
        #expect(UInt256(0x80).compact() == 0x0200_8000)
        #expect(UInt256(0x80).compact(negative: true) == 0x0280_8000)
        #expect(UInt256.zero.compact(negative: true) == 0)
        #expect(UInt256.max.compact() == 0x2100_ffff)
        #expect(UInt256.one.compact() == 0x0101_0000)
    }

    @Test func knownNetworkTargets() {
        #expect(UInt256(compact: 0x1d00_ffff).description == "00000000ffff0000000000000000000000000000000000000000000000000000")
        #expect(UInt256(compact: 0x207f_ffff).description == "7fffff0000000000000000000000000000000000000000000000000000000000")
        #expect(UInt256(compact: 0x1e0f_ffff).description == "00000fffff000000000000000000000000000000000000000000000000000000")
        for bits: UInt32 in [0x1d00_ffff, 0x207f_ffff, 0x1e0f_ffff, 0x1b04_04cb, 0x0101_0000] {
            #expect(UInt256(compact: bits).compact() == bits)
        }
        // Truncation, never rounding: 2^224 − 1 encodes as 0x1d00ffff.
        #expect(((UInt256.one << 224) &- .one).compact() == 0x1d00_ffff)
    }
}
