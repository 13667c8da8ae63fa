import ChainParams
import ChainTypes

extension ChainParams {
    /// The easiest allowed target, decoded from `powLimitBits`.
    ///
    /// Bitcoin Core keeps `powLimit` as a full 256-bit value (regtest `7fff…ff`, main
    /// `00000000ff…ff`); no compact encoding lies between that value and the target of its
    /// compact form, so comparing compact targets against either gives the same verdicts.
    public var powLimit: UInt256 { UInt256(compact: powLimitBits) }

    /// Whether `header`'s hash meets its own bits and those bits are valid for this network
    /// (`CheckProofOfWork`).
    public func checkProofOfWork(_ header: BlockHeader) -> Bool {
        ProofOfWork.check(hash: header.hash, bits: header.bits, powLimit: powLimit)
    }
}
