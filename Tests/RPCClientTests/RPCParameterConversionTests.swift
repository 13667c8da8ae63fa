import JSONRPC
import RPCClient
import Testing

@Suite struct RPCParameterConversionTests {
    @Test func positionalWordsAreJSONOnlyWhereTheTableSaysSo() throws {
        #expect(try RPCParameterConversion.positional(method: "getblockhash", words: ["0"]) == [0])
        #expect(try RPCParameterConversion.positional(method: "getblock", words: ["00ab", "2"]) == ["00ab", 2])
        #expect(try RPCParameterConversion.positional(method: "getblockheader", words: ["00", "false"]) == ["00", false])
        #expect(try RPCParameterConversion.positional(method: "generatetoaddress", words: ["101", "bcrt1q", "1000"]) == [101, "bcrt1q", 1000])
        #expect(try RPCParameterConversion.positional(method: "help", words: ["getblock"]) == ["getblock"])
        #expect(try RPCParameterConversion.positional(method: "unknown", words: ["1", "true"]) == ["1", "true"])
        let inputs = #"[{"txid":"aa","vout":0}]"#
        #expect(
            try RPCParameterConversion.positional(method: "createrawtransaction", words: [inputs, #"{"addr":0.1}"#, "0", "true"])
                == [[["txid": "aa", "vout": 0]], ["addr": .decimal(1, scale: 1)], 0, true])
        #expect(try RPCParameterConversion.positional(method: "sendrawtransaction", words: ["00", "0.1"]) == ["00", .decimal(1, scale: 1)])
        #expect(try RPCParameterConversion.positional(method: "gettxout", words: ["aa", "1", "false"]) == ["aa", 1, false])
        #expect(try RPCParameterConversion.positional(method: "verifychain", words: ["4", "0"]) == [4, 0])
        #expect(try RPCParameterConversion.positional(method: "getblocktemplate", words: [#"{"rules":["segwit"]}"#]) == [["rules": ["segwit"]]])
        #expect(try RPCParameterConversion.positional(method: "signrawtransactionwithkey", words: ["00", #"["k"]"#, "[]"]) == ["00", ["k"], []])
        #expect(try RPCParameterConversion.positional(method: "stop", words: ["1000"]) == [1000])
    }

    @Test func invalidJSONIsAnError() {
        #expect(throws: RPCParameterConversion.InvalidJSON(word: "ten")) {
            try RPCParameterConversion.positional(method: "getblockhash", words: ["ten"])
        }
    }

    @Test func jsonOrStringFallsBackToString() throws {
        #expect(try RPCParameterConversion.positional(method: "getblockstats", words: ["1000"]) == [1000])
        #expect(try RPCParameterConversion.positional(method: "getblockstats", words: ["00ff"]) == ["00ff"])
    }

    @Test func namedWordsFollowCoresHeuristics() throws {
        #expect(try RPCParameterConversion.named(method: "getblock", words: ["blockhash=00", "verbosity=2"]) == ["blockhash": "00", "verbosity": 2])
        #expect(try RPCParameterConversion.named(method: "getblock", words: ["verbosity=1", "verbosity=0"]) == ["verbosity": 0])
        #expect(try RPCParameterConversion.named(method: "getblock", words: ["00", "verbosity=2"]) == ["verbosity": 2, "args": ["00"]])
        // An unknown name where the next positional parameter is a string: the whole word is positional.
        #expect(try RPCParameterConversion.named(method: "verifymessage", words: ["addr", "sig=nature==", "msg=x"]) == ["args": ["addr", "sig=nature==", "msg=x"]])
        // An unknown name where the next positional parameter is JSON that parses: positional.
        #expect(try RPCParameterConversion.named(method: "echojson", words: [#"["a","=b"]"#]) == ["args": [["a", "=b"]]])
        // Otherwise name=value even for unknown names (the server reports them).
        #expect(try RPCParameterConversion.named(method: "uptime", words: ["x=1"]) == ["x": "1"])
        #expect(try RPCParameterConversion.named(method: "getblock", words: ["args=[1]", "00"]).objectValue?.keys == ["args", "args"])
    }
}
