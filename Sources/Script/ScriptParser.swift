/// One instruction of a script: the opcode and, for pushes, the data.
public struct ScriptInstruction: Sendable, Equatable {
    public var opcode: UInt8
    /// The pushed bytes (empty for non-push opcodes).
    public var data: ArraySlice<UInt8>
}

/// Steps through a script's instructions the way Core's `GetScriptOp` does, including where it
/// stops inside a truncated push (which legacy signature hashing depends on).
public struct ScriptParser: Sendable {
    public let script: [UInt8]
    /// Offset of the next byte to read.
    public private(set) var position: Int

    public init(_ script: [UInt8], position: Int = 0) {
        self.script = script
        self.position = position
    }

    public var isAtEnd: Bool { position >= script.count }

    /// The next instruction; nil at the end or on a push that runs past the end (in which case
    /// `position` has moved past the opcode and any length bytes read, as in Core).
    public mutating func next() -> ScriptInstruction? {
        guard let (opcode, data) = nextLocated() else { return nil }
        return ScriptInstruction(opcode: opcode, data: data.isEmpty ? [] : script[data])
    }

    /// The next opcode, skipping its pushed data without making a slice of it (for scans that
    /// only look at opcodes, such as sigop counting); nil exactly where `next()` is nil.
    public mutating func nextOpcode() -> UInt8? {
        nextLocated()?.opcode
    }

    /// The next instruction as its opcode and where its pushed data lies in `script` (an empty
    /// range for non-push opcodes), without slicing; nil exactly where `next()` is nil.
    public mutating func nextLocated() -> (opcode: UInt8, data: Range<Int>)? {
        guard position < script.count else { return nil }
        let opcode = script[position]
        position += 1
        guard opcode <= Opcode.pushData4 else { return (opcode, position..<position) }
        var size: Int
        let available = script.count - position
        switch opcode {
        case Opcode.pushData1:
            guard available >= 1 else { return nil }
            size = Int(script[position])
            position += 1
        case Opcode.pushData2:
            guard available >= 2 else { return nil }
            size = Int(script[position]) | Int(script[position + 1]) << 8
            position += 2
        case Opcode.pushData4:
            guard available >= 4 else { return nil }
            size = Int(script[position]) | Int(script[position + 1]) << 8 | Int(script[position + 2]) << 16
                | Int(script[position + 3]) << 24
            position += 4
        default:
            size = Int(opcode)
        }
        guard script.count - position >= size else { return nil }
        defer { position += size }
        return (opcode, position..<position + size)
    }
}
