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
        let digits = convert(bytes[zeros...].map(Int.init), from: 256, to: 58, capacity: (bytes.count - zeros) * 138 / 100 + 1)
        let chars = [UInt8](repeating: alphabet[0], count: zeros) + digits.map { alphabet[Int($0)] }
        return String(decoding: chars, as: UTF8.self)
    }

    /// Decodes a Base58 string; `nil` on any character outside the alphabet or when longer than
    /// `maxDecodedLength`. Like Bitcoin Core, white space before and after is ignored.
    public static func decode(_ string: String) -> [UInt8]? {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || (0x09...0x0d).contains($0) }
        let chars = Array(Array(string.utf8).drop(while: isSpace).reversed().drop(while: isSpace).reversed())
        guard chars.count <= maxDecodedLength else { return nil }
        let ones = chars.prefix { $0 == alphabet[0] }.count
        var digits: [Int] = []
        digits.reserveCapacity(chars.count - ones)
        for char in chars[ones...] {
            let value = values[Int(char)]
            guard value >= 0 else { return nil }
            digits.append(Int(value))
        }
        // log(58) / log(256) ≈ 0.733
        return [UInt8](repeating: 0, count: ones) + convert(digits, from: 58, to: 256, capacity: digits.count * 733 / 1000 + 1)
    }

    /// Re-expresses a big-endian number given by `digits` in base `from` in base `to`, without
    /// leading zeros. `capacity` must be enough digits for the result.
    private static func convert(_ digits: [Int], from inputBase: Int, to outputBase: Int, capacity: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: capacity)
        var length = 0
        for digit in digits {
            var carry = digit
            var index = 0
            var position = output.count - 1
            while carry != 0 || index < length {
                carry += inputBase * Int(output[position])
                output[position] = UInt8(carry % outputBase)
                carry /= outputBase
                index += 1
                position -= 1
            }
            length = index
        }
        return Array(output.suffix(length).drop { $0 == 0 })
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
