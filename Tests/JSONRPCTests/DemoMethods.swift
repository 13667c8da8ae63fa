import JSONRPC

/// Methods registered by the dispatcher tests.
enum DemoMethods {
    static func registry() -> RPCMethodRegistry {
        let registry = RPCMethodRegistry()
        registry.register(
            RPCMethod(
                "echo", category: "hidden", description: "Echo back the arguments.\n",
                arguments: (0..<3).map { .optional("arg\($0)", .any, "Any value") }
            ) { args throws(RPCError) in .array(args.values) })
        registry.register(
            RPCMethod("uptime", category: "control", description: "Returns the total uptime of the server.\n") {
                _ throws(RPCError) in 7
            })
        registry.register(
            RPCMethod(
                "add", category: "util", description: "Adds two numbers.\n",
                arguments: [.required("a", .number, "First"), .optional("b", .number, default: "0", "Second")],
                result: "n    (numeric) The sum\n"
            ) { args throws(RPCError) in
                .int(try args.int64(0) + (try args.optionalInt64(1) ?? 0))
            })
        registry.register(
            RPCMethod(
                "getblockhash", category: "blockchain",
                description: "Returns hash of block in best-block-chain at height provided.\n",
                arguments: [.required("height", .number, "The height index")]
            ) { args throws(RPCError) in
                guard try args.int(0) == 0 else { throw RPCError(.invalidParameter, "Block height out of range") }
                return "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206"
            })
        registry.register(
            RPCMethod(
                "getblock", category: "blockchain", description: "Returns a block.\n",
                arguments: [
                    .required("blockhash", .hex, "The block hash"),
                    .optional("verbosity|verbose", .number, default: "1", "0, 1 or 2"),
                ]
            ) { args throws(RPCError) in ["hash": args[0], "verbosity": args[1]] })
        registry.register(
            RPCMethod(
                "send", category: "wallet", description: "Send with options.\n",
                arguments: [
                    .required("outputs", .any, "The outputs"),
                    .optional("conf_target", .number, "Confirmation target"),
                    .options(
                        "options",
                        [.optional("fee_rate", .amount, "Fee rate"), .optional("replaceable", .bool, "RBF")],
                        "Options"),
                ]
            ) { args throws(RPCError) in .array(args.values) })
        return registry
    }
}
