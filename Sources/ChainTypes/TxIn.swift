/// A transaction input: the outpoint it spends, its unlocking script, sequence and witness.
public struct TxIn: Hashable, Sendable {
    /// `nSequence` value that disables relative locktime and opts out of nothing.
    public static let finalSequence: UInt32 = 0xffff_ffff
    /// BIP68: when set, the sequence carries no relative lock.
    public static let sequenceLockTimeDisableFlag: UInt32 = 1 << 31
    /// BIP68: when set, the relative lock counts 512-second units instead of blocks.
    public static let sequenceLockTimeTypeFlag: UInt32 = 1 << 22
    /// BIP68: the bits that carry the relative lock value.
    public static let sequenceLockTimeMask: UInt32 = 0x0000_ffff

    public var previousOutput: OutPoint
    public var scriptSig: [UInt8]
    public var sequence: UInt32
    /// The witness stack (empty for non-segwit spends).
    public var witness: [[UInt8]]

    public init(previousOutput: OutPoint, scriptSig: [UInt8] = [], sequence: UInt32 = TxIn.finalSequence, witness: [[UInt8]] = []) {
        self.previousOutput = previousOutput
        self.scriptSig = scriptSig
        self.sequence = sequence
        self.witness = witness
    }
}
