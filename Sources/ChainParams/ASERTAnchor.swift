/// The block the ASERT (aserti3-2d) difficulty schedule is measured from.
///
/// The target of a block whose parent has height `h` and time `t` is the anchor's target
/// scaled by `2^((t − parentTime − spacing × (h − height + 1)) / halfLife)`. Main and test
/// anchor at genesis with `parentTime` = genesis time − target spacing, so block 1 mined
/// exactly one spacing after genesis keeps the genesis target (Docs/Consensus.md).
public struct ASERTAnchor: Sendable, Equatable {
    /// Height of the anchor block.
    public var height: Int
    /// Compact target of the anchor block.
    public var bits: UInt32
    /// Timestamp of the anchor block's parent (for a genesis anchor, a virtual parent).
    public var parentTime: Int64

    /// An anchor at `height` with target `bits` whose parent has time `parentTime`.
    public init(height: Int, bits: UInt32, parentTime: Int64) {
        self.height = height
        self.bits = bits
        self.parentTime = parentTime
    }
}
