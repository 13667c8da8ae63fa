import ChainTypes

/// The block subsidy: 50 coins halving every `halvingInterval` blocks, zero after 64 halvings.
public enum Subsidy {
    public static func amount(height: Int, halvingInterval: Int) -> Amount {
        guard halvingInterval > 0 else { return .zero }
        let halvings = height / halvingInterval
        guard halvings < 64 else { return .zero }
        return Amount(satoshis: (50 * Amount.coin) >> Int64(halvings))
    }
}
