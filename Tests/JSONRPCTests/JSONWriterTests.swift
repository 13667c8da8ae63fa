import JSONRPC
import Testing

@Suite struct JSONWriterTests {
    @Test func writesCompactJSONLikeUniValue() {
        let value: JSONValue = ["result": ["a": 1, "b": [true, nil, 1.5]], "error": nil, "id": "x"]
        #expect(value.jsonString == #"{"result":{"a":1,"b":[true,null,1.5]},"error":null,"id":"x"}"#)
    }

    @Test func prettyPrintsLikeBitcoinCli() {
        let value: JSONValue = ["chain": "regtest", "blocks": 0, "warnings": [], "softforks": [:], "list": [1, "two"]]
        let expected = """
            {
              "chain": "regtest",
              "blocks": 0,
              "warnings": [
              ],
              "softforks": {
              },
              "list": [
                1,
                "two"
              ]
            }
            """
        #expect(value.jsonString(indent: 2) == expected)
        #expect(JSONValue.array([]).jsonString(indent: 2) == "[\n]")
    }

    @Test func writesNumbersInTheirOwnForm() {
        #expect(JSONValue.int(-42).jsonString == "-42")
        #expect(JSONValue.int(.min).jsonString == "-9223372036854775808")
        #expect(JSONValue.double(0.1).jsonString == "0.1")
        #expect(JSONValue.double(3).jsonString == "3.0")
        #expect(JSONValue.double(.infinity).jsonString == "null")
        #expect(JSONValue.amount(5_000_000_000).jsonString == "50.00000000")
        #expect(JSONValue.amount(1000).jsonString == "0.00001000")
        #expect(JSONValue.amount(-1).jsonString == "-0.00000001")
        #expect(JSONValue.amount(.min).jsonString == "-92233720368.54775808")
        #expect(JSONValue.decimal(7, scale: 0).jsonString == "7")
    }

    @Test func escapesStrings() {
        let value = JSONValue.string("q\"b\\n\n\t\u{1}\u{7f}é/😀")
        #expect(value.jsonString == #""q\"b\\n\n\t\u0001\u007fé/😀""#)
    }

    @Test func roundTripsThroughTheParser() throws {
        let value: JSONValue = [
            "s": "line\nbreak \u{0} é 😀", "i": .int(.max), "d": -1.25e-7, "n": nil,
            "a": [[], [:], [["k": false]]],
        ]
        #expect(try JSONParser.parse(value.jsonString) == value)
        #expect(try JSONParser.parse(value.jsonString(indent: 4)) == value)
    }
}
