/// Why a string is not valid Bech32/Bech32m and where, as Bitcoin Core's `bech32::LocateErrors`:
/// structural errors with the offending positions, or for a bad checksum the positions of up
/// to two substituted characters when such a correction exists.
public enum Bech32ErrorLocator {
    private static let maxLength = Bech32.maxLength
    private static let checksumLength = 6
    private static let constants: [(name: String, value: UInt32)] =
        [("Bech32", Bech32.Variant.bech32.constant), ("Bech32m", Bech32.Variant.bech32m.constant)]

    /// The error message and the positions (0-based, ascending) of `string`'s errors. Meant for
    /// strings that failed to decode; a valid string yields "Invalid checksum" and no positions.
    public static func locate(_ string: String) -> (message: String, positions: [Int]) {
        let bytes = Array(string.utf8)
        if bytes.count > maxLength { return ("Bech32 string too long", Array(maxLength..<bytes.count)) }
        var bad: [Int] = []
        var lower = false, upper = false
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case 0x61...0x7a: if upper { bad.append(index) } else { lower = true }
            case 0x41...0x5a: if lower { bad.append(index) } else { upper = true }
            case ..<33, 127...: bad.append(index)
            default: break
            }
        }
        if !bad.isEmpty { return ("Invalid character or mixed case", bad) }
        guard let separator = bytes.lastIndex(of: UInt8(ascii: "1")) else { return ("Missing separator", []) }
        if separator == 0 || separator + checksumLength >= bytes.count {
            return ("Invalid separator position", [separator])
        }
        let hrp = bytes[..<separator].map { (0x41...0x5a).contains($0) ? $0 + 32 : $0 }
        var values: [UInt8] = []
        for index in (separator + 1)..<bytes.count {
            let byte = (0x41...0x5a).contains(bytes[index]) ? bytes[index] + 32 : bytes[index]
            guard let value = Bech32.charset.firstIndex(of: byte) else { return ("Invalid Base 32 character", [index]) }
            values.append(UInt8(value))
        }
        let residue = Bech32.polymod(Bech32.expand(hrp) + values)
        let effects = errorEffects(length: values.count)
        var best: (name: String, distances: [Int])?
        for constant in constants where residue != constant.value {
            let distances = correction(for: residue ^ constant.value, effects: effects)
            if !distances.isEmpty, best == nil || distances.count < best!.distances.count {
                best = (constant.name, distances)
            }
        }
        guard let best else { return ("Invalid checksum", []) }
        return ("Invalid \(best.name) checksum", best.distances.map { bytes.count - 1 - $0 }.sorted())
    }

    /// `effects[d][v]`: how the residue changes when the character `d` places before the end
    /// of the string is XORed with `v`.
    private static func errorEffects(length: Int) -> [[UInt32]] {
        (0..<length).map { distance in
            (0..<32).map { value in
                var checksum = Bech32.step(0, UInt8(value))
                for _ in 0..<distance { checksum = Bech32.step(checksum, 0) }
                return checksum
            }
        }
    }

    /// The distances from the end of one or two substitutions that explain `syndrome`, or
    /// none. A code of distance 5 makes such a correction unique when it exists.
    private static func correction(for syndrome: UInt32, effects: [[UInt32]]) -> [Int] {
        var single: [UInt32: Int] = [:]
        for (distance, row) in effects.enumerated() {
            for value in 1..<32 {
                if row[value] == syndrome { return [distance] }
                single[row[value]] = distance
            }
        }
        for (distance, row) in effects.enumerated() {
            for value in 1..<32 {
                if let other = single[syndrome ^ row[value]], other != distance { return [distance, other] }
            }
        }
        return []
    }
}
