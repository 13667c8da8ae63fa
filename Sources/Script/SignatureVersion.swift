import ChainCrypto

/// Which signature rules a script runs under.
public enum SignatureVersion: Sendable {
    /// Bare and P2SH scripts.
    case base
    /// BIP143 segwit v0 (P2WPKH, P2WSH).
    case witnessV0
    /// BIP341 taproot key path.
    case taproot
    /// BIP342 tapscript (taproot script path).
    case tapscript
}

/// Sighash type bytes.
public enum SighashType {
    public static let all: UInt8 = 0x01
    public static let none: UInt8 = 0x02
    public static let single: UInt8 = 0x03
    public static let anyoneCanPay: UInt8 = 0x80
    /// BIP341's implicit type for 64-byte signatures (same coverage as ALL).
    public static let `default`: UInt8 = 0x00
}

/// State of one taproot/tapscript execution that signature hashing needs.
public struct ScriptExecutionData: Sendable {
    /// BIP342 leaf hash of the executing tapscript.
    public var tapleafHash: Hash256 = .zero
    /// Opcode position of the last executed OP_CODESEPARATOR (0xffffffff if none).
    public var codeSeparatorPosition: UInt32 = 0xffff_ffff
    /// SHA256 of the annex (with its length prefix) when one is present.
    public var annexHash: Hash256?
    /// BIP342 signature budget: witness size + 50, minus 50 per executed signature check.
    public var validationWeightLeft: Int64 = 0
    /// Cached SHA256 of the output with the input's index, for SIGHASH_SINGLE.
    var singleOutputHash: Hash256?

    public init() {}
}
