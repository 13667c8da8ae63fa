/// Builds scripts with Core's push encoding (`CScript << data`).
public struct ScriptBuilder: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// Appends an opcode.
    @discardableResult
    public mutating func add(opcode: UInt8) -> ScriptBuilder {
        bytes.append(opcode)
        return self
    }

    /// Appends a data push using the shortest push opcode for its length (not the number form:
    /// a one-byte 0x05 is pushed as data, as Core's `operator<<(vector)` does).
    @discardableResult
    public mutating func add(data: some Collection<UInt8>) -> ScriptBuilder {
        bytes += ScriptBuilder.pushPrefix(count: data.count)
        bytes += data
        return self
    }

    /// Appends a number: `OP_0`, `OP_1NEGATE`, `OP_1`…`OP_16`, or its minimal encoding pushed.
    @discardableResult
    public mutating func add(number: Int64) -> ScriptBuilder {
        if number == -1 || (1...16).contains(number) {
            bytes.append(UInt8(Int64(Opcode.op1) + number - 1))
        } else if number == 0 {
            bytes.append(Opcode.op0)
        } else {
            add(data: ScriptNumber.encode(number))
        }
        return self
    }

    /// The opcode (and length bytes) that push `count` bytes.
    public static func pushPrefix(count: Int) -> [UInt8] {
        switch count {
        case ..<Int(Opcode.pushData1): [UInt8(count)]
        case ...0xff: [Opcode.pushData1, UInt8(count)]
        case ...0xffff: [Opcode.pushData2, UInt8(count & 0xff), UInt8(count >> 8)]
        default: [Opcode.pushData4, UInt8(count & 0xff), UInt8((count >> 8) & 0xff), UInt8((count >> 16) & 0xff),
                  UInt8((count >> 24) & 0xff)]
        }
    }

    /// A script consisting of one push of `data`.
    public static func push(_ data: some Collection<UInt8>) -> [UInt8] {
        var builder = ScriptBuilder()
        builder.add(data: data)
        return builder.bytes
    }
}
