import Consensus
import Testing

@Suite struct UInt256Tests {
    // Core's arith_uint256_tests R1Array and R2Array (little-endian bytes).
    static let r1 = UInt256(littleEndianBytes: [
        0x9c, 0x52, 0x4a, 0xdb, 0xcf, 0x56, 0x11, 0x12, 0x2b, 0x29, 0x12, 0x5e, 0x5d, 0x35, 0xd2, 0xd2,
        0x22, 0x81, 0xaa, 0xb5, 0x33, 0xf0, 0x08, 0x32, 0xd5, 0x56, 0xb1, 0xf9, 0xea, 0xe5, 0x1d, 0x7d,
    ] as [UInt8])
    static let r2 = UInt256(littleEndianBytes: [
        0x70, 0x32, 0x1d, 0x7c, 0x47, 0xa5, 0x6b, 0x40, 0x26, 0x7e, 0x0a, 0xc3, 0xa6, 0x9c, 0xb6, 0xbf,
        0x13, 0x30, 0x47, 0xa3, 0x19, 0x2d, 0xda, 0x71, 0x49, 0x13, 0x72, 0xf0, 0xb4, 0xca, 0x81, 0xd7,
    ] as [UInt8])

    @Test func hexAndBytesRoundTrip() throws {
        let r1 = try #require(Self.r1)
        #expect(r1.description == "7d1de5eaf9b156d53208f033b5aa8122d2d2355d5e12292b121156cfdb4a529c")  // R1ArrayHex
        #expect(UInt256(hex: "7D1DE5EAF9B156D53208F033B5AA8122D2d2355d5e12292b121156cfdb4a529c") == r1)
        #expect(r1.low64 == 0x1211_56cf_db4a_529c)
        #expect(UInt256(littleEndianBytes: r1.littleEndianBytes) == r1)
        #expect(r1.littleEndianBytes.first == 0x9c)
        #expect(UInt256(hex: "0x01") == .one)
        #expect(UInt256(hex: "") == nil)
        #expect(UInt256(hex: "xyz") == nil)
        #expect(UInt256(hex: String(repeating: "f", count: 65)) == nil)
        #expect(UInt256(hex: String(repeating: "f", count: 64)) == .max)
        #expect(UInt256(littleEndianBytes: [1, 2, 3]) == nil)
    }

    /// Core's arith_uint256_tests: R1 + R2 wraps to `549fb09f…5767850c`.
    @Test func additionAndSubtractionWrap() throws {
        let r1 = try #require(Self.r1), r2 = try #require(Self.r2)
        #expect((r1 &+ r2).description == "549fb09fea236a1ea3e31d4d58f1b1369288d204211ca751527cfc175767850c")
        #expect(r1.addingReportingOverflow(r2).overflow)
        #expect((r1 &+ r2) &- r2 == r1)
        #expect(UInt256.zero &- .one == .max)
        #expect(UInt256.max &+ .one == .zero)
        #expect(UInt256.zero.subtractingReportingOverflow(.one).overflow)
        #expect(~UInt256.zero == .max)
        #expect(~r1 &+ r1 == .max)
    }

    @Test func shiftsDropBitsAndSaturateAtWidth() throws {
        let r1 = try #require(Self.r1)
        #expect(UInt256.one << 255 == UInt256(hex: "8" + String(repeating: "0", count: 63)))
        #expect(UInt256.one << 256 == .zero)
        #expect(UInt256.max >> 255 == .one)
        #expect(UInt256.max >> 256 == .zero)
        #expect(r1 << 1000 == .zero)
        #expect(r1 >> Int.max == .zero)
        #expect(r1 << -4 == r1 >> 4)
        #expect(r1 >> -4 == r1 << 4)
        #expect(r1 << Int.min == .zero)
        for shift in [0, 1, 7, 63, 64, 65, 127, 128, 129, 191, 192, 200, 255] {
            #expect((UInt256.one << shift).significantBitCount == shift + 1)
            #expect((r1 << shift) >> shift == r1 & (UInt256.max >> shift))
        }
        #expect(UInt256.zero.significantBitCount == 0)
        #expect(r1.significantBitCount == 255)
    }

    @Test func multiplicationReportsTheHighWord() throws {
        let (high, low) = UInt256.max.multipliedFullWidth(by: .max)
        // (2^256 − 1)(2^64 − 1) = 2^320 − 2^256 − 2^64 + 1
        #expect(high == UInt64.max - 1)
        #expect(low == (UInt256.zero &- UInt256(limbs: 0, 1, 0, 0)) &+ .one)
        #expect(!UInt256(limbs: 0, 0, 0, 1).multipliedReportingOverflow(by: 1 << 63).overflow)
        #expect(UInt256(limbs: 0, 0, 0, 2).multipliedReportingOverflow(by: 1 << 63).overflow)
        #expect(UInt256(1 << 40).multipliedReportingOverflow(by: 1 << 40).partialValue == UInt256.one << 80)
    }

    @Test func divisionMatchesKnownQuotients() throws {
        let third = try #require(UInt256(hex: String(repeating: "5", count: 64)))
        #expect(UInt256.max.quotientAndRemainder(dividingBy: UInt256(3))?.quotient == third)
        #expect(UInt256.max.quotientAndRemainder(dividingBy: UInt256(3))?.remainder == .zero)
        #expect(UInt256.max.quotientAndRemainder(dividingBy: .max)?.quotient == .one)
        #expect(UInt256(5).quotientAndRemainder(dividingBy: UInt256(7))?.quotient == .zero)
        #expect(UInt256(5).quotientAndRemainder(dividingBy: UInt256(7))?.remainder == UInt256(5))
        #expect(UInt256.one.quotientAndRemainder(dividingBy: .zero) == nil)
    }

    /// quotient × divisor + remainder == dividend, remainder < divisor, for pseudo-random
    /// values (a fixed-seed generator keeps the test deterministic).
    @Test func divisionIsConsistent() {
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
        for round in 0..<300 {
            let dividend = UInt256(limbs: next(), next(), next(), next()) >> Int(next() % 200)
            let divisor64 = next() >> (next() % 63)
            let divisor = round.isMultiple(of: 2) ? UInt256(divisor64 | 1) : dividend >> Int(1 + next() % 63)
            guard !divisor.isZero, let (quotient, remainder) = dividend.quotientAndRemainder(dividingBy: divisor) else { continue }
            #expect(remainder < divisor)
            if divisor.significantBitCount <= 64 {
                let (high, product) = quotient.multipliedFullWidth(by: divisor.low64)
                #expect(high == 0)
                #expect(product &+ remainder == dividend)
            } else {
                // The quotient is small: multiply the other way round.
                #expect(quotient.significantBitCount <= 64)
                let (high, product) = divisor.multipliedFullWidth(by: quotient.low64)
                #expect(high == 0)
                #expect(product &+ remainder == dividend)
            }
        }
    }
}
