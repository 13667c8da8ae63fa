/// A Rusty Coin extension record (PROTOCOL.md §1): a zero-value output
/// `OP_RETURN <one push: "RSTY" ‖ type ‖ version ‖ payload>`, which Bitcoin software sees as an
/// ordinary data-carrier output.
public struct ExtensionRecord: Hashable, Sendable {
    /// The four bytes every record's push starts with.
    public static let magic: [UInt8] = Array("RSTY".utf8)

    public let type: UInt8
    public let version: UInt8
    public let payload: [UInt8]

    public init(type: UInt8, version: UInt8, payload: [UInt8]) {
        self.type = type
        self.version = version
        self.payload = payload
    }

    /// Parses `script` as a record: `OP_RETURN` then exactly one push (of any push opcode) whose
    /// data is the magic, type and version, then the payload; nil for any other script.
    public init?(script: [UInt8]) {
        guard script.count >= 2, script[0] == 0x6a else { return nil }  // OP_RETURN
        let opcode = script[1]
        var start = 2, length: Int
        switch opcode {
        case 0x01...0x4b: length = Int(opcode)
        case 0x4c:  // OP_PUSHDATA1
            guard script.count >= 3 else { return nil }
            length = Int(script[2]); start = 3
        case 0x4d:  // OP_PUSHDATA2
            guard script.count >= 4 else { return nil }
            length = Int(script[2]) | Int(script[3]) << 8; start = 4
        case 0x4e:  // OP_PUSHDATA4
            guard script.count >= 6 else { return nil }
            length = Int(script[2]) | Int(script[3]) << 8 | Int(script[4]) << 16 | Int(script[5]) << 24; start = 6
        default: return nil
        }
        guard length >= Self.magic.count + 2, script.count - start == length,
            script[start..<(start + Self.magic.count)].elementsEqual(Self.magic)
        else { return nil }
        type = script[start + 4]
        version = script[start + 5]
        payload = Array(script[(start + 6)...])
    }

    /// The output script carrying this record (the shortest push).
    public var script: [UInt8] {
        let data = Self.magic + [type, version] + payload
        var script: [UInt8] = [0x6a]
        switch data.count {
        case ..<0x4c: script.append(UInt8(data.count))
        case ..<0x100: script += [0x4c, UInt8(data.count)]
        case ..<0x1_0000: script += [0x4d, UInt8(data.count & 0xff), UInt8(data.count >> 8)]
        default: script += [0x4e] + (0..<4).map { UInt8(truncatingIfNeeded: data.count >> (8 * $0)) }
        }
        return script + data
    }
}
