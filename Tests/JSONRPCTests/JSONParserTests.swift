import JSONRPC
import TestSupport
import Testing

@Suite struct JSONParserTests {
    @Test func parsesScalarsAtTopLevel() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse(" true ") == .bool(true))
        #expect(try JSONParser.parse("false") == .bool(false))
        #expect(try JSONParser.parse("\"x\"") == .string("x"))
        #expect(try JSONParser.parse("\n\t42\r\n") == .int(42))
    }

    @Test func keepsIntegersAndDoublesApart() throws {
        #expect(try JSONParser.parse("0") == .int(0))
        #expect(try JSONParser.parse("-0") == .int(0))
        #expect(try JSONParser.parse("9223372036854775807") == .int(.max))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(.min))
        #expect(try JSONParser.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONParser.parse("1.5") == .decimal(15, scale: 1))
        #expect(try JSONParser.parse("-5100.00000000").jsonString == "-5100.00000000")
        #expect(try JSONParser.parse("1.0") == .decimal(10, scale: 1))
        #expect(try JSONParser.parse("1.0").int64Value == nil)
        #expect(try JSONParser.parse("2e3") == .double(2000))
        #expect(try JSONParser.parse("-1.25E-2") == .double(-0.0125))
    }

    @Test func refusesMalformedAndHugeNumbers() throws {
        for text in ["01", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "1e999", "-1e400", "NaN", "Infinity", "--1"] {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONParser.parse(text) }
        }
        let longNumber = String(repeating: "9", count: 5000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(longNumber) }
        let manyDigitsInRange = "0." + String(repeating: "1", count: 400)
        #expect(try JSONParser.parse(manyDigitsInRange).doubleValue != nil)
    }

    @Test func decodesStringEscapesAndUnicode() throws {
        #expect(try JSONParser.parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{c}\n\r\t"))
        #expect(try JSONParser.parse(#""\u00e9\u20AC""#) == .string("é€"))
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONParser.parse("\"ünïcødé 😀\"") == .string("ünïcødé 😀"))
        #expect(try JSONParser.parse(#""\u0000""#) == .string("\u{0}"))
    }

    @Test func refusesBadStrings() {
        let texts = [
            #""\ud83d""#, #""\ude00""#, #""\ud83d\u0041""#, #""\x""#, #""\u12""#, #""\u12G4""#,
            "\"a\nb\"", "\"tab\there\"", "\"unterminated",
        ]
        for text in texts {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONParser.parse(text) }
        }
    }

    @Test func refusesInvalidUTF8() {
        let inputs: [[UInt8]] = [
            [0x22, 0xff, 0x22], [0x22, 0xc3, 0x22], [0x22, 0xed, 0xa0, 0x80, 0x22], [0x22, 0xc0, 0xaf, 0x22],
            [0x22, 0x5c, 0x6e, 0xfe, 0x22],
        ]
        for bytes in inputs {
            #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
        }
    }

    @Test func keepsKeyOrderAndDuplicates() throws {
        let value = try JSONParser.parse(#"{"z":1,"a":2,"m":3,"a":4}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a", "m", "a"])
        #expect(object["a"] == .int(2))
    }

    @Test func boundsNestingDepth() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try JSONParser.parse(ok).arrayValue != nil)
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(throws: JSONParseError(.tooDeep(limit: 512), at: 512)) { try JSONParser.parse(tooDeep) }
        let hostile = String(repeating: "{\"a\":[", count: 200_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(hostile) }
    }

    @Test func boundsInputSize() {
        let parser = JSONParser(limits: .init(maxBytes: 10))
        #expect(throws: JSONParseError(.tooLarge(limit: 10), at: 0)) { try parser.parse("[1,2,3,4,5,6]") }
    }

    @Test func everyTruncationOfADocumentFailsCleanly() throws {
        let document = Array(#"{"a":[1,-2.5e3,"x\u00e9\n",true,false,null,{"b":{}}],"c":"😀"}"#.utf8)
        _ = try JSONParser.parse(document)
        for length in 0..<document.count {
            let prefix = Array(document[0..<length])
            #expect(throws: JSONParseError.self, "prefix \(length)") { try JSONParser.parse(prefix) }
        }
    }

    @Test func refusesStructuralErrors() {
        let texts = [
            "", " ", "[1,]", "[,1]", "{\"a\"}", "{\"a\":}", "{a:1}", "{\"a\":1,}", "[1 2]", "tru", "nul", "[1]x",
            "{\"a\":1}}", "'x'", "[\"a\" \"b\"]",
        ]
        for text in texts {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONParser.parse(text) }
        }
    }

    @Test func survivesRandomBytes() {
        var generator = SplitMix64(seed: 7)
        let alphabet = Array("{}[]\",:0123456789-+.eEtruefalsn\\u \n".utf8) + [0x80, 0xff, 0xc3]
        for _ in 0..<3000 {
            let length = Int(generator.next() % 40)
            let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            _ = try? JSONParser.parse(bytes)
        }
    }
}
