/// Base58 and Base58Check (Bitcoin's alphabet).
public enum Base58 {
    private static let alphabet: [UInt8] = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, char) in alphabet.enumerated() { table[Int(char)] = Int8(index) }
        return table
    }()

    /// Longest string `decode` accepts, bounding the quadratic conversion.
    public static let maxDecodedLength = 1024

    /// Encodes bytes; each leading zero byte becomes a leading '1'.
    public static func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix { $0 == 0 }.count
        // log(256) / log(58) ≈ 1.365
        var digits = [UInt8](repeating: 0, count: (bytes.count - zeros) * 138 / 100 + 1)
        var length = 0
        for byte in bytes[zeros...] {
            var carry = Int(byte)
            var index = 0
            var position = digits.count - 1
            while carry != 0 || index < length {
                carry += 256 * Int(digits[position])
                digits[position] = UInt8(carry % 58)
                carry /= 58
                index += 1
                position -= 1
            }
            length = index
        }
        let significant = digits.suffix(length).drop { $0 == 0 }
        let chars = [UInt8](repeating: alphabet[0], count: zeros) + significant.map { alphabet[Int($0)] }
        return String(decoding: chars, as: UTF8.self)
    }

    /// Decodes a Base58 string; `nil` on any character outside the alphabet or when longer than
    /// `maxDecodedLength`. Like Bitcoin Core, white space before and after is ignored.
    public static func decode(_ string: String) -> [UInt8]? {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || (0x09...0x0d).contains($0) }
        let chars = Array(Array(string.utf8).drop(while: isSpace).reversed().drop(while: isSpace).reversed())
        guard chars.count <= maxDecodedLength else { return nil }
        let ones = chars.prefix { $0 == alphabet[0] }.count
        // log(58) / log(256) ≈ 0.733
        var bytes = [UInt8](repeating: 0, count: (chars.count - ones) * 733 / 1000 + 1)
        var length = 0
        for char in chars[ones...] {
            let value = values[Int(char)]
            guard value >= 0 else { return nil }
            var carry = Int(value)
            var index = 0
            var position = bytes.count - 1
            while carry != 0 || index < length {
                carry += 58 * Int(bytes[position])
                bytes[position] = UInt8(carry % 256)
                carry /= 256
                index += 1
                position -= 1
            }
            length = index
        }
        return [UInt8](repeating: 0, count: ones) + bytes.suffix(length).drop { $0 == 0 }
    }

    /// Base58 of `payload ‖ first 4 bytes of SHA256d(payload)`.
    public static func encodeCheck(_ payload: [UInt8]) -> String {
        encode(payload + Hashing.sha256d(payload).bytes.prefix(4))
    }

    /// Decodes Base58Check, returning the payload if the checksum matches.
    public static func decodeCheck(_ string: String) -> [UInt8]? {
        guard let bytes = decode(string), bytes.count >= 4 else { return nil }
        let payload = Array(bytes.dropLast(4))
        guard Hashing.sha256d(payload).bytes.prefix(4).elementsEqual(bytes.suffix(4)) else { return nil }
        return payload
    }
}
