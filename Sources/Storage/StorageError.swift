/// A storage failure. The node treats every one as fatal: it stops cleanly instead of going on
/// with state it cannot trust.
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The device failed or is full.
    case io(String)
    /// Stored data is damaged.
    case corruption(String)
    /// The store could not be opened (locked by another process, bad path, wrong format).
    case open(String)
    /// A column family the caller named does not exist.
    case unknownColumnFamily(String)
    /// Any other failure reported by the engine.
    case other(String)

    public var description: String {
        switch self {
        case let .io(message): "storage I/O error: \(message)"
        case let .corruption(message): "storage corruption: \(message)"
        case let .open(message): "cannot open storage: \(message)"
        case let .unknownColumnFamily(name): "unknown column family \(name)"
        case let .other(message): "storage error: \(message)"
        }
    }
}
