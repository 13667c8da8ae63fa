/// The BIP380 output descriptor checksum: eight characters appended as `#xxxxxxxx`.
public enum DescriptorChecksum {
    /// The characters a descriptor may contain, in the order that gives each its value.
    private static let inputCharset = Array(
        "0123456789()[],'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#\"\\ ".utf8)
    private static let checksumCharset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let inputValues: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (index, character) in inputCharset.enumerated() { table[Int(character)] = Int8(index) }
        return table
    }()

    /// The checksum of `descriptor`, or nil if it contains a character outside the descriptor
    /// character set.
    public static func checksum(_ descriptor: String) -> String? {
        var c: UInt64 = 1
        var characterClass: UInt64 = 0
        var classCount = 0
        for byte in descriptor.utf8 {
            guard byte < 128, inputValues[Int(byte)] >= 0 else { return nil }
            let position = UInt64(inputValues[Int(byte)])
            c = polymod(c, position & 31)
            characterClass = characterClass * 3 + (position >> 5)
            classCount += 1
            if classCount == 3 {
                c = polymod(c, characterClass)
                characterClass = 0
                classCount = 0
            }
        }
        if classCount > 0 { c = polymod(c, characterClass) }
        for _ in 0..<8 { c = polymod(c, 0) }
        c ^= 1
        let characters = (0..<8).map { index in checksumCharset[Int((c >> (5 * (7 - UInt64(index)))) & 31)] }
        return String(decoding: characters, as: UTF8.self)
    }

    /// `descriptor#checksum` (the descriptor alone if it has no checksum).
    public static func appending(to descriptor: String) -> String {
        guard let checksum = checksum(descriptor) else { return descriptor }
        return descriptor + "#" + checksum
    }

    private static func polymod(_ c: UInt64, _ value: UInt64) -> UInt64 {
        let top = c >> 35
        var result = ((c & 0x7_ffff_ffff) << 5) ^ value
        if top & 1 != 0 { result ^= 0xf5_dee5_1989 }
        if top & 2 != 0 { result ^= 0xa9_fdca_3312 }
        if top & 4 != 0 { result ^= 0x1b_ab10_e32d }
        if top & 8 != 0 { result ^= 0x37_06b1_677a }
        if top & 16 != 0 { result ^= 0x64_4d62_6ffd }
        return result
    }
}
