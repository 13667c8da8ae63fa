/// A quantity of coins in satoshis (1 RUST = 100,000,000 satoshis).
public struct Amount: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var satoshis: Int64

    public init(satoshis: Int64) { self.satoshis = satoshis }

    public static let zero = Amount(satoshis: 0)
    /// Satoshis per coin.
    public static let coin: Int64 = 100_000_000
    /// No amount above 21,000,000 coins is valid anywhere (Bitcoin's `MAX_MONEY`).
    public static let maxMoney = Amount(satoshis: 21_000_000 * coin)

    /// Whether `0 ≤ self ≤ maxMoney` (Bitcoin's `MoneyRange`).
    public var isInMoneyRange: Bool { satoshis >= 0 && satoshis <= Amount.maxMoney.satoshis }

    /// The sum, or nil if it overflows or leaves the money range.
    public func adding(_ other: Amount) -> Amount? {
        let (sum, overflow) = satoshis.addingReportingOverflow(other.satoshis)
        let result = Amount(satoshis: sum)
        return overflow || !result.isInMoneyRange ? nil : result
    }

    public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.satoshis < rhs.satoshis }

    /// Coins with eight decimals, as in RPC output ("50.00000000").
    public var description: String {
        let sign = satoshis < 0 ? "-" : ""
        let magnitude = satoshis.magnitude
        let fraction = String(magnitude % UInt64(Amount.coin))
        return "\(sign)\(magnitude / UInt64(Amount.coin)).\(String(repeating: "0", count: 8 - fraction.count))\(fraction)"
    }
}
