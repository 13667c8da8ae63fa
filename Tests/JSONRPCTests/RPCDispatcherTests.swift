import JSONRPC
import Testing

@Suite struct RPCDispatcherTests {
    let dispatcher = RPCDispatcher(registry: DemoMethods.registry())

    func send(_ text: String) async -> (status: Int, body: String) {
        let reply = await dispatcher.handle(body: Array(text.utf8), context: .local)
        return (reply.status, String(decoding: reply.body, as: UTF8.self))
    }

    @Test func legacyRequestGetsResultErrorAndId() async {
        let reply = await send(#"{"method":"uptime","params":[],"id":"a"}"#)
        #expect(reply.status == 200)
        #expect(reply.body == "{\"result\":7,\"error\":null,\"id\":\"a\"}\n")
    }

    @Test func jsonrpc1MarkerIsLegacy() async {
        let reply = await send(#"{"jsonrpc":"1.0","method":"uptime","id":1}"#)
        #expect(reply.body == "{\"result\":7,\"error\":null,\"id\":1}\n")
    }

    @Test func legacyRequestWithoutIdGetsReplyWithoutId() async {
        let reply = await send(#"{"method":"uptime"}"#)
        #expect(reply.status == 200)
        #expect(reply.body == "{\"result\":7,\"error\":null}\n")
    }

    @Test func v2RequestGetsOnlyResult() async {
        let reply = await send(#"{"jsonrpc":"2.0","method":"uptime","id":5}"#)
        #expect(reply.status == 200)
        #expect(reply.body == "{\"jsonrpc\":\"2.0\",\"result\":7,\"id\":5}\n")
    }

    @Test func unknownMethodIs404InLegacyAnd200InV2() async {
        let legacy = await send(#"{"method":"nosuch","id":1}"#)
        #expect(legacy.status == 404)
        #expect(legacy.body == "{\"result\":null,\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":1}\n")
        let v2 = await send(#"{"jsonrpc":"2.0","method":"nosuch","id":1}"#)
        #expect(v2.status == 200)
        #expect(v2.body == "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":1}\n")
    }

    @Test func methodErrorsAre500InLegacy() async {
        let reply = await send(#"{"method":"getblockhash","params":[5],"id":1}"#)
        #expect(reply.status == 500)
        #expect(reply.body.contains(#""code":-8,"message":"Block height out of range""#))
    }

    @Test func v2NotificationIsExecutedWithoutReply() async {
        let reply = await send(#"{"jsonrpc":"2.0","method":"nosuch"}"#)
        #expect(reply.status == 204)
        #expect(reply.body.isEmpty)
    }

    @Test func parseErrorsAre500() async {
        let reply = await send("{not json")
        #expect(reply.status == 500)
        #expect(reply.body == "{\"result\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}\n")
        let scalar = await send("42")
        #expect(scalar.status == 500)
        #expect(scalar.body.contains("Top-level object parse error"))
    }

    @Test func malformedRequestsAre400EvenInV2() async {
        let cases: [(String, String)] = [
            (#"{"id":1}"#, "Missing method"),
            (#"{"method":7,"id":1}"#, "Method must be a string"),
            (#"{"method":"uptime","params":"x","id":1}"#, "Params must be an array or object"),
            (#"{"jsonrpc":"3.0","method":"uptime","id":1}"#, "JSON-RPC version not supported"),
            (#"{"jsonrpc":2,"method":"uptime","id":1}"#, "jsonrpc field must be a string"),
            (#"{"jsonrpc":"2.0","id":1}"#, "Missing method"),
        ]
        for (body, message) in cases {
            let reply = await send(body)
            #expect(reply.status == 400, "\(body)")
            #expect(reply.body.contains(#""code":-32600,"message":"\#(message)""#), "\(body)")
        }
    }

    @Test func batchAnswersEveryMemberButNotifications() async throws {
        let body = """
            [{"method":"uptime","id":1},
             {"jsonrpc":"2.0","method":"nosuch","id":2},
             {"jsonrpc":"2.0","method":"uptime"},
             {"method":"nosuch","id":3},
             17,
             {"jsonrpc":"2.0"}]
            """
        let reply = await send(body)
        #expect(reply.status == 200)
        let replies = try #require(try JSONParser.parse(reply.body).arrayValue)
        #expect(replies.count == 4)
        #expect(replies[0] == ["result": 7, "error": nil, "id": 1])
        #expect(replies[1] == ["jsonrpc": "2.0", "error": ["code": -32601, "message": "Method not found"], "id": 2])
        #expect(replies[2] == ["result": nil, "error": ["code": -32601, "message": "Method not found"], "id": 3])
        #expect(replies[3] == ["result": nil, "error": ["code": -32600, "message": "Invalid Request object"], "id": nil])
    }

    @Test func batchOfNotificationsOnlyIs204AndEmptyBatchIsEmptyArray() async {
        let notifications = await send(#"[{"jsonrpc":"2.0","method":"uptime"},{"jsonrpc":"2.0","method":"x"}]"#)
        #expect(notifications.status == 204)
        let empty = await send("[]")
        #expect(empty.status == 200)
        #expect(empty.body == "[]\n")
    }

    @Test func namedParametersMapToPositions() async throws {
        #expect(try await dispatcher.call("add", params: ["b": 2, "a": 40]) == 42)
        #expect(try await dispatcher.call("add", params: ["a": 1]) == 1)
        #expect(try await dispatcher.call("getblock", params: ["verbose": 0, "blockhash": "00"]) == ["hash": "00", "verbosity": 0])
        #expect(try await dispatcher.call("echo", params: ["arg2": "z"]) == [nil, nil, "z"])
        #expect(try await dispatcher.call("echo", params: ["args": [1], "arg2": 3]) == [1, nil, 3])
    }

    @Test func optionsMayBePassedByName() async throws {
        let result = try await dispatcher.call("send", params: ["outputs": [], "fee_rate": 1, "replaceable": true])
        #expect(result == [[], nil, ["fee_rate": 1, "replaceable": true]])
        await #expect(throws: RPCError(.invalidParameter, "Parameter options conflicts with parameter fee_rate")) {
            try await dispatcher.call("send", params: ["outputs": [], "fee_rate": 1, "options": [:]])
        }
    }

    @Test func badNamedParametersAreInvalidParameter() async {
        await #expect(throws: RPCError(.invalidParameter, "Unknown named parameter c")) {
            try await dispatcher.call("add", params: ["a": 1, "c": 2])
        }
        let duplicate = await send(#"{"method":"add","params":{"a":1,"a":2},"id":1}"#)
        #expect(duplicate.body.contains(#""code":-8,"message":"Parameter a specified multiple times""#))
        await #expect(throws: RPCError(.invalidParameter, "Parameter arg0 specified twice both as positional and named argument")) {
            try await dispatcher.call("echo", params: ["args": [1, 2], "arg0": 3])
        }
    }

    @Test func wrongArgumentCountGivesHelpAsMiscError() async throws {
        let method = try #require(dispatcher.registry.method(named: "add"))
        await #expect(throws: RPCError(.miscError, method.helpText)) { try await dispatcher.call("add", params: []) }
        await #expect(throws: RPCError(.miscError, method.helpText)) { try await dispatcher.call("add", params: [1, 2, 3]) }
    }

    @Test func wrongTypesAreTypeErrors() async {
        let expected = """
            Wrong type passed:
            {
                "Position 1 (a)": "JSON value of type string is not of expected type number"
            }
            """
        await #expect(throws: RPCError(.typeError, expected)) { try await dispatcher.call("add", params: ["1"]) }
        await #expect(throws: RPCError(.typeError, "JSON integer out of range")) {
            try await dispatcher.call("getblockhash", params: [1e12])
        }
    }

    @Test func warmupRefusesEveryCall() async {
        let warming = RPCDispatcher(registry: DemoMethods.registry(), warmupStatus: "Loading block index…")
        let reply = await warming.handle(body: Array(#"{"method":"help","id":1}"#.utf8), context: .local)
        #expect(reply.status == 500)
        #expect(String(decoding: reply.body, as: UTF8.self).contains(#""code":-28,"message":"Loading block index…""#))
        warming.setWarmupStatus(nil)
        #expect(await warming.handle(body: Array(#"{"method":"uptime","id":1}"#.utf8), context: .local).status == 200)
    }

    @Test func handlersSeeTheRequestContext() async throws {
        let registry = RPCMethodRegistry()
        registry.register(RPCMethod("whoami", category: "util", description: "") { args throws(RPCError) in
            [.string(args.context.user), .string(args.context.walletName ?? "")]
        })
        let context = RPCRequestContext(uri: "/wallet/w1", walletName: "w1", user: "alice")
        let reply = await RPCDispatcher(registry: registry).handle(
            body: Array(#"{"method":"whoami","id":0}"#.utf8), context: context)
        #expect(String(decoding: reply.body, as: UTF8.self) == "{\"result\":[\"alice\",\"w1\"],\"error\":null,\"id\":0}\n")
    }
}
