/// Bitcoin's script integers (`CScriptNum`): little-endian sign-magnitude byte strings, at most
/// `maxSize` bytes when read (4 by default, 5 for lock times); results may be larger.
public struct ScriptNumber: Sendable, Equatable {
    public var value: Int64

    public init(_ value: Int64) { self.value = value }

    /// Decodes a stack element. Oversized or (with `requireMinimal`) non-minimal encodings throw
    /// `scriptNum`.
    public init(_ bytes: [UInt8], requireMinimal: Bool, maxSize: Int = 4) throws(ScriptError) {
        guard bytes.count <= maxSize else { throw .scriptNum }
        if requireMinimal, let last = bytes.last, last & 0x7f == 0 {
            if bytes.count <= 1 || bytes[bytes.count - 2] & 0x80 == 0 { throw .scriptNum }
        }
        guard !bytes.isEmpty else {
            value = 0
            return
        }
        var result: Int64 = 0
        for (index, byte) in bytes.enumerated() {
            result |= Int64(byte) << (8 * Int64(index))
        }
        if bytes[bytes.count - 1] & 0x80 != 0 {
            value = -(result & ~(Int64(0x80) << (8 * Int64(bytes.count - 1))))
        } else {
            value = result
        }
    }

    /// The minimal encoding of `value`.
    public var bytes: [UInt8] { Self.encode(value) }

    /// Clamped to `Int32` as Core's `getint()`.
    public var int32: Int32 {
        if value > Int64(Int32.max) { return .max }
        if value < Int64(Int32.min) { return .min }
        return Int32(value)
    }

    public static func encode(_ value: Int64) -> [UInt8] {
        if value == 0 { return [] }
        var result: [UInt8] = []
        let negative = value < 0
        var magnitude = value.magnitude
        while magnitude > 0 {
            result.append(UInt8(magnitude & 0xff))
            magnitude >>= 8
        }
        if result[result.count - 1] & 0x80 != 0 {
            result.append(negative ? 0x80 : 0)
        } else if negative {
            result[result.count - 1] |= 0x80
        }
        return result
    }
}
