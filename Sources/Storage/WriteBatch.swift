/// Writes applied to a store atomically: after a crash either all of them are visible or none.
public struct WriteBatch: Sendable {
    /// One change.
    public enum Operation: Sendable, Equatable {
        case put(ColumnFamily, key: [UInt8], value: [UInt8])
        case delete(ColumnFamily, key: [UInt8])
    }

    public private(set) var operations: [Operation] = []

    public init() {}

    public mutating func put(_ value: [UInt8], forKey key: [UInt8], in family: ColumnFamily) {
        operations.append(.put(family, key: key, value: value))
    }

    public mutating func delete(_ key: [UInt8], in family: ColumnFamily) {
        operations.append(.delete(family, key: key))
    }
}
