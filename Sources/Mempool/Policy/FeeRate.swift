import ChainTypes

/// A fee rate in satoshis per 1,000 virtual bytes (Core's `CFeeRate`).
public struct FeeRate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let satoshisPerKilovirtualByte: Int64

    public init(satoshisPerKilovirtualByte: Int64) {
        self.satoshisPerKilovirtualByte = satoshisPerKilovirtualByte
    }

    /// The fee for `virtualSize` bytes, rounded up, and at least one satoshi for a non-zero size
    /// at a positive rate (Core's `CFeeRate::GetFee`).
    public func fee(virtualSize: Int) -> Amount {
        let product = Int64(virtualSize).multipliedReportingOverflow(by: satoshisPerKilovirtualByte)
        guard !product.overflow else { return .maxMoney }
        let (quotient, remainder) = product.partialValue.quotientAndRemainder(dividingBy: 1000)
        var fee = remainder > 0 ? quotient + 1 : quotient
        if fee == 0 && virtualSize != 0 && satoshisPerKilovirtualByte > 0 { fee = 1 }
        return Amount(satoshis: fee)
    }

    public static func < (lhs: FeeRate, rhs: FeeRate) -> Bool { lhs.satoshisPerKilovirtualByte < rhs.satoshisPerKilovirtualByte }

    /// As Core prints fee rates: satoshis per virtual byte with three decimals.
    public var description: String {
        let whole = satoshisPerKilovirtualByte / 1000, thousandths = abs(satoshisPerKilovirtualByte % 1000)
        let padded = String(thousandths)
        return "\(whole).\(String(repeating: "0", count: 3 - padded.count))\(padded) sat/vB"
    }
}
