/// Why a required target could not be computed.
public enum DifficultyError: Error, Sendable, Equatable {
    /// ASERT is defined only for parents at or above the anchor block.
    case parentBelowAnchor(parentHeight: Int, anchorHeight: Int)
}
