/// Writes applied to a store atomically: after a crash either all of them are visible or none.
public struct WriteBatch: Sendable {
    /// One change.
    public enum Operation: Sendable, Equatable {
        case put(ColumnFamily, key: [UInt8], value: [UInt8])
        case delete(ColumnFamily, key: [UInt8])
    }

    public private(set) var operations: [Operation] = []
    /// Sum of key and value sizes, to decide when a batch is worth writing.
    public private(set) var byteCount = 0

    public init() {}

    public mutating func put(_ value: [UInt8], forKey key: [UInt8], in family: ColumnFamily) {
        operations.append(.put(family, key: key, value: value))
        byteCount += key.count + value.count
    }

    public mutating func delete(_ key: [UInt8], in family: ColumnFamily) {
        operations.append(.delete(family, key: key))
        byteCount += key.count
    }

    public var isEmpty: Bool { operations.isEmpty }
}
