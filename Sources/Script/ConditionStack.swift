/// The IF/ELSE nesting state as Core's `ConditionStack`: only the depth and the position of the
/// first false entry matter, so every operation is O(1).
struct ConditionStack {
    private static let noFalse = -1
    private var size = 0
    private var firstFalse = ConditionStack.noFalse

    var isEmpty: Bool { size == 0 }
    var allTrue: Bool { firstFalse == Self.noFalse }

    mutating func push(_ value: Bool) {
        if firstFalse == Self.noFalse && !value { firstFalse = size }
        size += 1
    }

    mutating func pop() {
        size -= 1
        if firstFalse == size { firstFalse = Self.noFalse }
    }

    mutating func toggleTop() {
        if firstFalse == Self.noFalse {
            firstFalse = size - 1
        } else if firstFalse == size - 1 {
            firstFalse = Self.noFalse
        }
    }
}
