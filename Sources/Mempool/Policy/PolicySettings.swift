import ChainTypes

/// Relay policy numbers, Bitcoin Core v31's defaults unless a node option changes them
/// (Docs/Mempool.md lists each with its option).
public struct PolicySettings: Sendable, Equatable {
    /// Transactions of these versions are standard (TRUC, version 3, included).
    public var standardVersions: ClosedRange<UInt32> = 1...3
    /// Largest standard transaction weight (`MAX_STANDARD_TX_WEIGHT`).
    public var maxStandardWeight = 400_000
    /// Smallest standard serialization without witness (`MIN_STANDARD_TX_NONWITNESS_SIZE`).
    public var minNonWitnessSize = 65
    /// Largest standard scriptSig (`MAX_STANDARD_SCRIPTSIG_SIZE`, a 15-of-15 P2SH multisig).
    public var maxScriptSigSize = 1650
    /// Bytes of `OP_RETURN` outputs a transaction may carry, all outputs together
    /// (`-datacarriersize`; nil: `-datacarrier=0`, none at all).
    public var dataCarrierBytes: Int? = 100_000
    /// Whether bare multisig outputs (at most 3 keys) are standard (`-permitbaremultisig`).
    public var permitBareMultisig = true
    /// Outputs below the cost of spending them at this rate are dust (`-dustrelayfee`).
    public var dustRelayFee = FeeRate(satoshisPerKilovirtualByte: 3000)
    /// Dust outputs a standard transaction may have (ephemeral dust, spent in the same package).
    public var maxDustOutputs = 1
    /// Fee rate below which transactions are neither relayed nor kept (`-minrelaytxfee`;
    /// Core lowered it to 0.1 sat/vB in v30).
    public var minRelayFee = FeeRate(satoshisPerKilovirtualByte: 100)
    /// Memory the pool may use before it evicts its lowest-fee-rate packages (`-maxmempool`,
    /// 300 MB), and how long a transaction may wait (`-mempoolexpiry`, 336 hours).
    public var maxMempoolBytes = 300_000_000
    public var expirySeconds: Int64 = 336 * 3600
    /// Added to an evicted package's fee rate to form the pool's rising minimum fee, and the
    /// floor below which that minimum drops to nothing (`-incrementalrelayfee`, 0.1 sat/vB).
    public var incrementalRelayFee = FeeRate(satoshisPerKilovirtualByte: 100)
    /// Largest standard sigop cost of one transaction (`MAX_STANDARD_TX_SIGOPS_COST`).
    public var maxStandardSigopCost = 16_000
    /// Package limits: a transaction with its pool ancestors, and any pool transaction with its
    /// descendants, at most this many transactions (`-limitancestorcount`,
    /// `-limitdescendantcount`) and virtual bytes (`-limitancestorsize`, `-limitdescendantsize`,
    /// 101 kvB). Core v31 limits clusters instead; see Docs/Mempool.md.
    public var maxAncestorCount = 25
    public var maxAncestorSize = 101_000
    public var maxDescendantCount = 25
    public var maxDescendantSize = 101_000
    /// Most transactions one replacement may evict, conflicts and their descendants together
    /// (`MAX_REPLACEMENT_CANDIDATES`).
    public var maxReplacementEvictions = 100
    /// Redeem-script sigops a standard P2SH input may have (`MAX_P2SH_SIGOPS`).
    public var maxPayToScriptHashSigops = 15
    /// P2WSH limits: witness script bytes, stack items, bytes per item.
    public var maxWitnessScriptSize = 3600
    public var maxWitnessScriptStackItems = 100
    public var maxWitnessStackItemSize = 80
    /// Largest standard tapscript stack item.
    public var maxTapscriptStackItemSize = 80
    /// Extension record types (PROTOCOL.md §1) this node knows; records of other types are
    /// valid in blocks but not relayed.
    public var knownExtensionRecordTypes: Set<UInt8> = []

    public init() {}
}
