/// The heights from which Bitcoin's buried soft forks are enforced: a rule applies to every
/// block whose height is at least its value. Height 0 means "from genesis"; the genesis block
/// itself is never validated against contextual rules (as in Bitcoin Core, where it is
/// loaded, not connected), so 0 and 1 differ only in intent.
public struct DeploymentHeights: Sendable, Equatable {
    /// BIP34: the coinbase scriptSig starts with the block height.
    public var bip34: Int
    /// BIP65: `OP_CHECKLOCKTIMEVERIFY`.
    public var bip65: Int
    /// BIP66: strict DER signatures.
    public var bip66: Int
    /// BIP68/112/113: relative lock times, `OP_CHECKSEQUENCEVERIFY`, median-time-past lock times.
    public var csv: Int
    /// BIP141/143/147: segregated witness.
    public var segwit: Int
    /// BIP341/342: taproot and tapscript.
    public var taproot: Int

    /// Each rule enforced from the given height.
    public init(bip34: Int, bip65: Int, bip66: Int, csv: Int, segwit: Int, taproot: Int) {
        self.bip34 = bip34
        self.bip65 = bip65
        self.bip66 = bip66
        self.csv = csv
        self.segwit = segwit
        self.taproot = taproot
    }

    /// Every soft fork from genesis (Rusty Coin main and test).
    public static let allFromGenesis = DeploymentHeights(bip34: 0, bip65: 0, bip66: 0, csv: 0, segwit: 0, taproot: 0)

    /// Bitcoin Core's regtest (`chainparams.cpp`): BIP34, BIP65, BIP66 and CSV at height 1,
    /// segwit at 0, taproot `ALWAYS_ACTIVE` (0).
    public static let bitcoinRegtest = DeploymentHeights(bip34: 1, bip65: 1, bip66: 1, csv: 1, segwit: 0, taproot: 0)
}
