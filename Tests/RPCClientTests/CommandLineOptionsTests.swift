import ChainParams
import JSONRPC
import RPCClient
import Testing

@Suite struct CommandLineOptionsTests {
    @Test func optionsStopAtTheMethod() throws {
        let options = try CommandLineOptions(parsing: ["-regtest", "--rpcport=1234", "-norpcwait", "echo", "-1", "-named"])
        #expect(options.method == "echo")
        #expect(options.words == ["-1", "-named"])
        #expect(options.value("rpcport") == "1234")
        #expect(options.flag("regtest"))
        #expect(!options.flag("rpcwait"))
        #expect(!options.flag("named"))
        #expect(throws: CommandLineOptions.Invalid.self) { try CommandLineOptions(parsing: ["-bogus", "x"]) }
    }

    @Test func settingsResolveLikeBitcoinCli() throws {
        let config = ConfigFile(parsing: """
            # comment
            rpcuser=alice
            rpcport=9999
            [test]
            rpcpassword=secret # trailing comment
            [regtest]
            rpcconnect=[::1]:18500
            """)
        let regtest = try RPCClientSettings(options: CommandLineOptions(parsing: ["x"]), config: config, home: "/h")
        #expect(regtest.network == .regtest)
        #expect(regtest.host == "::1")
        #expect(regtest.port == 18500)
        #expect(regtest.user == "alice")
        #expect(regtest.cookiePath == "/h/.rustycoin/regtest/.cookie")
        let test = try RPCClientSettings(options: CommandLineOptions(parsing: ["-testnet", "x"]), config: config, home: "/h")
        #expect(test.port == 17332)
        #expect(test.password == "secret")
        let main = try RPCClientSettings(options: CommandLineOptions(parsing: ["-chain=main", "-datadir=/d", "x"]), config: config, home: "/h")
        #expect(main.port == 9999)
        #expect(main.cookiePath == "/d/main/.cookie")
        let override = try RPCClientSettings(
            options: CommandLineOptions(parsing: ["-rpcconnect=10.0.0.1:1", "-rpcport=2", "x"]), config: config, home: "/h")
        #expect(override.host == "10.0.0.1")
        #expect(override.port == 2)
        #expect(throws: CommandLineOptions.Invalid.self) {
            try RPCClientSettings(options: CommandLineOptions(parsing: ["-rpcport=70000", "x"]), config: config, home: "/h")
        }
    }

    @Test func requestBodyIsJSONRPC2() {
        #expect(
            String(decoding: RPCClient.requestBody(method: "getblockhash", params: [0]), as: UTF8.self)
                == #"{"method":"getblockhash","params":[0],"id":1,"jsonrpc":"2.0"}"#)
    }

    @Test func renderingFollowsBitcoinCli() {
        #expect(CommandLineTool.render(["result": "text", "id": 1]).output == "text\n")
        #expect(CommandLineTool.render(["result": nil, "error": nil]).output == "")
        #expect(CommandLineTool.render(["result": ["a": 1]]).output == "{\n  \"a\": 1\n}\n")
        let error = CommandLineTool.render(["error": ["code": -8, "message": "Block height out of range"]])
        #expect(error == .init(output: "", error: "error code: -8\nerror message:\nBlock height out of range\n", status: 8))
    }
}
