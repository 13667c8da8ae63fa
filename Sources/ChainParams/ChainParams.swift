import ChainCrypto
import ChainTypes

/// Per-network constants (Docs/Networks.md, Docs/Consensus.md). Regtest is Bitcoin Core's
/// regtest; main and test have their own identity, genesis and difficulty rule.
public struct ChainParams: Sendable {
    /// Which network these are.
    public let network: Network
    /// The four bytes that start every P2P message.
    public let magic: [UInt8]
    /// Default P2P port.
    public let defaultPort: UInt16
    /// Default JSON-RPC port.
    public let rpcPort: UInt16
    /// Address and key text forms.
    public let addressPrefixes: AddressPrefixes
    /// Target time between blocks, in seconds.
    public let targetSpacing: Int
    /// Blocks between subsidy halvings.
    public let subsidyHalvingInterval: Int
    /// Blocks before a coinbase output may be spent.
    public let coinbaseMaturity: Int
    /// Compact form of the easiest allowed proof-of-work target (`powLimit`).
    public let powLimitBits: UInt32
    /// Whether difficulty never changes (Bitcoin regtest's `fPowNoRetargeting`): every block
    /// carries its parent's bits, which from genesis on are `powLimitBits`.
    public let powNoRetargeting: Bool
    /// ASERT half-life in seconds: the target doubles (halves) for every half-life the chain
    /// falls behind (gets ahead of) its schedule.
    public let asertHalfLife: Int64
    /// The block the ASERT schedule is measured from.
    public let asertAnchor: ASERTAnchor
    /// The block weight limit and its adjustment.
    public let blockWeight: BlockWeightSchedule
    /// Heights of Bitcoin's buried soft forks.
    public let deployments: DeploymentHeights
    /// The first block.
    public let genesisBlock: Block

    /// The parameters of `network`.
    public static func forNetwork(_ network: Network) -> ChainParams {
        switch network {
        case .main: .main
        case .test: .test
        case .regtest: .regtest
        }
    }

    /// ASERT half-life of main and test: two days, as Bitcoin Cash.
    public static let defaultASERTHalfLife: Int64 = 172_800

    /// A genesis-block anchor whose virtual parent is one target spacing older than genesis.
    static func genesisAnchor(_ genesis: Block, targetSpacing: Int) -> ASERTAnchor {
        ASERTAnchor(height: 0, bits: genesis.header.bits, parentTime: Int64(genesis.header.time) - Int64(targetSpacing))
    }

    static let regtestGenesis = GenesisBlock.bitcoinStyle(time: 1_296_688_602, nonce: 2, bits: 0x207f_ffff)

    /// Bitcoin Core's regtest, byte for byte: genesis, magic, ports, prefixes, halving every
    /// 150, no retargeting, fixed 4,000,000 WU, soft-fork heights of Core's regtest.
    public static let regtest = ChainParams(
        network: .regtest, magic: [0xfa, 0xbf, 0xb5, 0xda], defaultPort: 18444, rpcPort: 18443,
        addressPrefixes: AddressPrefixes(pubkeyHash: 111, scriptHash: 196, secretKey: 239, bech32HRP: "bcrt",
                                         extendedKeys: .bitcoinTest),
        targetSpacing: 150, subsidyHalvingInterval: 150, coinbaseMaturity: 100, powLimitBits: 0x207f_ffff,
        powNoRetargeting: true, asertHalfLife: defaultASERTHalfLife,
        asertAnchor: genesisAnchor(regtestGenesis, targetSpacing: 150), blockWeight: .bitcoinFixed,
        deployments: .bitcoinRegtest, genesisBlock: regtestGenesis)

    static let mainGenesis = GenesisBlock.make(
        message: "Rusty Gazette 28/Nov/2026 Scrap iron outprices gold as old mills go cold",
        outputScript: GenesisBlock.unspendableOutputScript, time: 1_795_867_200, nonce: 46087, bits: 0x1e0f_ffff)

    /// Rusty Coin main network: genesis `000004230a5b…6bedaa` (Genesis/main.json).
    public static let main = ChainParams(
        network: .main, magic: [0xf1, 0xc8, 0xd2, 0xbd], defaultPort: 7333, rpcPort: 7332,
        addressPrefixes: AddressPrefixes(pubkeyHash: 60, scriptHash: 122, secretKey: 188, bech32HRP: "rc",
                                         extendedKeys: .bitcoinMain),
        targetSpacing: 150, subsidyHalvingInterval: 840_000, coinbaseMaturity: 100, powLimitBits: 0x1e0f_ffff,
        powNoRetargeting: false, asertHalfLife: defaultASERTHalfLife,
        asertAnchor: genesisAnchor(mainGenesis, targetSpacing: 150), blockWeight: .adaptive,
        deployments: .allFromGenesis, genesisBlock: mainGenesis)

    static let testGenesis = GenesisBlock.make(
        message: "Rusty Gazette 28/Nov/2026 Test edition: smiths strike for cheaper coal",
        outputScript: GenesisBlock.unspendableOutputScript, time: 1_795_867_200, nonce: 552_694, bits: 0x1e0f_ffff)

    /// Rusty Coin public test network: genesis `000009db969b…13412e` (Genesis/test.json).
    public static let test = ChainParams(
        network: .test, magic: [0xe3, 0xb7, 0xc4, 0xa9], defaultPort: 17333, rpcPort: 17332,
        addressPrefixes: AddressPrefixes(pubkeyHash: 66, scriptHash: 128, secretKey: 194, bech32HRP: "trc",
                                         extendedKeys: .bitcoinTest),
        targetSpacing: 150, subsidyHalvingInterval: 840_000, coinbaseMaturity: 100, powLimitBits: 0x1e0f_ffff,
        powNoRetargeting: false, asertHalfLife: defaultASERTHalfLife,
        asertAnchor: genesisAnchor(testGenesis, targetSpacing: 150), blockWeight: .adaptive,
        deployments: .allFromGenesis, genesisBlock: testGenesis)
}
