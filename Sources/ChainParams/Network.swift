/// The networks `rustyd` can run on.
public enum Network: String, Sendable, CaseIterable {
    case main
    case test
    case regtest

    /// Subdirectory of the data directory for this network.
    public var dataDirectoryName: String { rawValue }
}
