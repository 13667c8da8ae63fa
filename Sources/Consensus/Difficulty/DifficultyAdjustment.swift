import ChainParams
import ChainTypes

/// The compact target a block must carry, given its parent (Core's `GetNextWorkRequired`).
///
/// - Regtest (`powNoRetargeting`): the parent's bits, as Bitcoin regtest; since genesis
///   carries `powLimitBits`, so does every block.
/// - Main and test: ASERT from the network's anchor (`ASERT.nextBits`), with no testnet
///   minimum-difficulty exception.
public enum DifficultyAdjustment {
    /// The bits required of the child of `parent`, which sits at `parentHeight`.
    public static func nextWorkRequired(
        parent: BlockHeader, parentHeight: Int, params: ChainParams
    ) throws(DifficultyError) -> UInt32 {
        if params.powNoRetargeting { return parent.bits }
        let anchor = params.asertAnchor
        guard parentHeight >= anchor.height, anchor.height >= 0,
              let bits = ASERT.nextBits(
                  parentHeight: UInt64(parentHeight), parentTime: Int64(parent.time),
                  anchorHeight: UInt64(anchor.height), anchorBits: anchor.bits, anchorParentTime: anchor.parentTime,
                  targetSpacing: Int64(params.targetSpacing), halfLife: params.asertHalfLife,
                  powLimit: params.powLimit)
        else { throw .parentBelowAnchor(parentHeight: parentHeight, anchorHeight: anchor.height) }
        return bits
    }
}
