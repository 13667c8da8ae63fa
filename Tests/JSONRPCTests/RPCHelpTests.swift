import JSONRPC
import Testing

@Suite struct RPCHelpTests {
    let dispatcher = RPCDispatcher(registry: DemoMethods.registry())

    @Test func helpListsMethodsByCategoryWithoutHidden() async throws {
        let text = try #require(try await dispatcher.call("help").stringValue)
        let expected = """
            == Blockchain ==
            getblock "blockhash" ( verbosity )
            getblockhash height

            == Control ==
            help ( "command" )
            uptime

            == Util ==
            add a ( b )

            == Wallet ==
            send outputs ( conf_target {"fee_rate":amount,"replaceable":bool} )
            """
        #expect(text == expected)
    }

    @Test func helpForOneMethodShowsArguments() async throws {
        let text = try #require(try await dispatcher.call("help", params: ["add"]).stringValue)
        let expected = """
            add a ( b )
            Adds two numbers.

            Arguments:
            1. a    (numeric, required) First
            2. b    (numeric, optional, default=0) Second

            Result:
            n    (numeric) The sum
            """
        #expect(text == expected)
        #expect(try await dispatcher.call("help", params: ["nosuch"]) == "help: unknown command: nosuch")
        #expect(try await dispatcher.call("help", params: ["command": "echo"]).stringValue?.hasPrefix("echo ( arg0 arg1 arg2 )") == true)
    }

    @Test func registeringReplacesAndUnregisterRemoves() async throws {
        let registry = RPCMethodRegistry()
        registry.register(RPCMethod("x", category: "util", description: "") { _ throws(RPCError) in 1 })
        registry.register(RPCMethod("x", category: "util", description: "") { _ throws(RPCError) in 2 })
        let dispatcher = RPCDispatcher(registry: registry)
        #expect(try await dispatcher.call("x") == 2)
        #expect(registry.unregister("x"))
        await #expect(throws: RPCError(.methodNotFound, "Method not found")) { try await dispatcher.call("x") }
    }
}
