/// The standard output script templates, named as Bitcoin Core's `GetTxnOutputType` names them
/// in RPC results (`"type"` of a scriptPubKey).
public enum OutputScriptType: String, Sendable, Hashable, CaseIterable {
    /// No template matches.
    case nonstandard
    /// `<pubkey> OP_CHECKSIG`.
    case pubkey
    /// `OP_DUP OP_HASH160 <20 bytes> OP_EQUALVERIFY OP_CHECKSIG`.
    case pubkeyhash
    /// `OP_HASH160 <20 bytes> OP_EQUAL` (BIP16).
    case scripthash
    /// `m <pubkey>… n OP_CHECKMULTISIG` with 1 ≤ m ≤ n ≤ 20.
    case multisig
    /// `OP_RETURN` followed only by pushes.
    case nulldata
    /// Pay-to-anchor, `OP_1 <4e73>`.
    case anchor
    /// Segwit v0 with a 20-byte program.
    case witnessV0KeyHash = "witness_v0_keyhash"
    /// Segwit v0 with a 32-byte program.
    case witnessV0ScriptHash = "witness_v0_scripthash"
    /// Segwit v1 with a 32-byte program.
    case witnessV1Taproot = "witness_v1_taproot"
    /// Any other witness program of version 1 to 16.
    case witnessUnknown = "witness_unknown"

    /// The name RPC results use.
    public var name: String { rawValue }
}
