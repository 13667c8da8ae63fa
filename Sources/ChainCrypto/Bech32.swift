/// Bech32 (BIP173) and Bech32m (BIP350) strings, and the segwit address payload inside them.
public enum Bech32 {
    /// Which checksum constant a string uses.
    public enum Variant: Sendable, Equatable {
        case bech32, bech32m
        var constant: UInt32 { self == .bech32 ? 1 : 0x2bc8_30a3 }
    }

    /// The maximum total length of a Bech32 string (BIP173).
    public static let maxLength = 90

    static let charset: [UInt8] = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let charsetValues: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (index, char) in charset.enumerated() { table[Int(char)] = Int8(index) }
        return table
    }()
    private static let generators: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]

    /// The checksum residue of `values` from `start` (1 for checksums; 0 makes it linear).
    static func polymod(_ values: [UInt8], start: UInt32 = 1) -> UInt32 {
        values.reduce(start, step)
    }

    /// One character's step of the checksum.
    static func step(_ checksum: UInt32, _ value: UInt8) -> UInt32 {
        let top = checksum >> 25
        var next = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
        for index in 0..<5 where (top >> UInt32(index)) & 1 == 1 { next ^= generators[index] }
        return next
    }

    /// The human-readable part as checksummed: high bits, a zero, low bits.
    static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    /// Encodes 5-bit `data` under a lower-case human-readable part.
    public static func encode(hrp: String, data: [UInt8], variant: Variant) -> String {
        let hrpBytes = Array(hrp.lowercased().utf8)
        let mod = polymod(expand(hrpBytes) + data + [0, 0, 0, 0, 0, 0]) ^ variant.constant
        let checksum = (0..<6).map { UInt8((mod >> (5 * (5 - UInt32($0)))) & 31) }
        return String(decoding: hrpBytes + [UInt8(ascii: "1")] + (data + checksum).map { charset[Int($0)] }, as: UTF8.self)
    }

    /// Decodes a Bech32 or Bech32m string into its HRP (lower case), 5-bit data and variant.
    public static func decode(_ string: String) -> (hrp: String, data: [UInt8], variant: Variant)? {
        let chars = Array(string.utf8)
        guard chars.count <= maxLength else { return nil }
        let hasLower = chars.contains { $0 >= 0x61 && $0 <= 0x7a }
        let hasUpper = chars.contains { $0 >= 0x41 && $0 <= 0x5a }
        guard !(hasLower && hasUpper), chars.allSatisfy({ $0 >= 33 && $0 <= 126 }) else { return nil }
        let lowered = chars.map { ($0 >= 0x41 && $0 <= 0x5a) ? $0 + 32 : $0 }
        guard let separator = lowered.lastIndex(of: UInt8(ascii: "1")), separator >= 1,
            separator + 7 <= lowered.count
        else { return nil }
        let hrp = Array(lowered[..<separator])
        var data: [UInt8] = []
        for char in lowered[(separator + 1)...] {
            let value = charsetValues[Int(char)]
            guard value >= 0 else { return nil }
            data.append(UInt8(value))
        }
        let residue = polymod(expand(hrp) + data)
        let variant: Variant
        switch residue {
        case Variant.bech32.constant: variant = .bech32
        case Variant.bech32m.constant: variant = .bech32m
        default: return nil
        }
        return (String(decoding: hrp, as: UTF8.self), Array(data.dropLast(6)), variant)
    }

    /// Regroups bits (8→5 to encode, 5→8 to decode). With `pad` false, leftover bits must be
    /// fewer than `from` and zero.
    public static func convertBits(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var accumulator = 0, bits = 0
        var result: [UInt8] = []
        let maxValue = (1 << to) - 1
        for value in data {
            guard Int(value) >> from == 0 else { return nil }
            accumulator = (accumulator << from) | Int(value)
            bits += from
            while bits >= to {
                bits -= to
                result.append(UInt8((accumulator >> bits) & maxValue))
            }
        }
        if pad {
            if bits > 0 { result.append(UInt8((accumulator << (to - bits)) & maxValue)) }
        } else if bits >= from || (accumulator << (to - bits)) & maxValue != 0 {
            return nil
        }
        return result
    }

    /// Encodes a segwit output (version and program) as an address, Bech32 for v0 and Bech32m
    /// for v1+.
    public static func encodeSegwit(hrp: String, version: Int, program: [UInt8]) -> String? {
        guard (0...16).contains(version), let data = convertBits(program, from: 8, to: 5, pad: true) else {
            return nil
        }
        return encode(hrp: hrp, data: [UInt8(version)] + data, variant: version == 0 ? .bech32 : .bech32m)
    }

    /// Decodes a segwit address with the expected HRP, enforcing BIP350's rules.
    public static func decodeSegwit(hrp expectedHRP: String, address: String) -> (version: Int, program: [UInt8])? {
        guard let (hrp, data, variant) = decode(address), hrp == expectedHRP, let version = data.first,
            version <= 16, let program = convertBits(Array(data.dropFirst()), from: 5, to: 8, pad: false),
            (2...40).contains(program.count)
        else { return nil }
        if version == 0 && program.count != 20 && program.count != 32 { return nil }
        if (version == 0) != (variant == .bech32) { return nil }
        return (Int(version), program)
    }
}
