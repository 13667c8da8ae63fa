import ByteCodec
@testable import Script

/// Bitcoin Core's test-data script notation (`ParseScript` in core_io.cpp): decimal numbers are
/// pushed as script numbers, `0x..` is spliced in raw, `'text'` is pushed, and opcodes are named
/// with or without `OP_`.
enum ScriptAsm {
    struct ParseError: Error, CustomStringConvertible {
        let word: String
        var description: String { "cannot parse script word '\(word)'" }
    }

    private static let opcodeNames: [String: UInt8] = {
        var table: [String: UInt8] = [:]
        for code in 0...Int(Opcode.checkSigAdd) where code >= Int(Opcode.nop) || code == Int(Opcode.reserved) {
            let name = Opcode.name(UInt8(code))
            guard name != "OP_UNKNOWN" else { continue }
            table[name] = UInt8(code)
            if name.hasPrefix("OP_") { table[String(name.dropFirst(3))] = UInt8(code) }
        }
        return table
    }()

    static func parse(_ text: String) throws -> [UInt8] {
        var builder = ScriptBuilder()
        var raw: [UInt8] = []
        func flush() {
            raw += builder.bytes
            builder = ScriptBuilder()
        }
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init) {
            let digits = word.hasPrefix("-") ? word.dropFirst() : Substring(word)
            if !digits.isEmpty && digits.allSatisfy(\.isASCIIDigit) {
                guard let number = Int64(word), number <= 0xffff_ffff, number >= -0xffff_ffff else { throw ParseError(word: word) }
                builder.add(number: number)
            } else if word.hasPrefix("0x"), word.count > 2, let bytes = [UInt8](hex: word.dropFirst(2)) {
                flush()
                raw += bytes
            } else if word.count >= 2, word.hasPrefix("'"), word.hasSuffix("'") {
                builder.add(data: Array(word.dropFirst().dropLast().utf8))
            } else if let opcode = opcodeNames[word] {
                builder.add(opcode: opcode)
            } else {
                throw ParseError(word: word)
            }
        }
        flush()
        return raw
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
