/// An RPC method: its name, help category, description, argument declarations, result and
/// example help texts, and its handler.
///
/// ```swift
/// registry.register(RPCMethod(
///     "getblockhash", category: "blockchain",
///     description: "Returns hash of block in best-block-chain at height provided.",
///     arguments: [.required("height", .number, "The height index")],
///     result: "\"hex\"    (string) The block hash"
/// ) { args throws(RPCError) in
///     let height = try args.int(0)
///     …
/// })
/// ```
///
/// The dispatcher has already checked the argument count (too few or too many → -1 with the
/// method's help) and the JSON type of each declared argument (→ -3) before the handler runs.
public struct RPCMethod: Sendable {
    /// The handler: it receives positional arguments and returns the result or throws.
    public typealias Handler = @Sendable (RPCArguments) async throws(RPCError) -> JSONValue

    /// The method name.
    public var name: String
    /// The help category (`blockchain`, `control`, …; `hidden` leaves it out of `help`).
    public var category: String
    /// The description shown by `help <method>`.
    public var description: String
    /// The positional arguments in order.
    public var arguments: [RPCArgument]
    /// The "Result:" help text.
    public var resultHelp: String
    /// The "Examples:" help text.
    public var examples: String
    /// The handler.
    public var handler: Handler

    /// A method.
    public init(
        _ name: String, category: String, description: String, arguments: [RPCArgument] = [],
        result resultHelp: String = "", examples: String = "", handler: @escaping Handler
    ) {
        self.name = name
        self.category = category
        self.description = description
        self.arguments = arguments
        self.resultHelp = resultHelp
        self.examples = examples
        self.handler = handler
    }

    /// Whether `count` positional arguments are neither too few nor too many.
    func acceptsArgumentCount(_ count: Int) -> Bool {
        let required = (arguments.lastIndex { !$0.isOptional } ?? -1) + 1
        return required <= count && count <= arguments.count
    }

    /// The names for mapping named parameters: each options object's members (named-only)
    /// before the object itself, as Core's `RPCHelpMan::GetArgNames`.
    var parameterNames: [(names: String, namedOnly: Bool)] {
        var result: [(names: String, namedOnly: Bool)] = []
        for argument in arguments {
            for option in argument.options { result.append((option.names, true)) }
            result.append((argument.names, false))
        }
        return result
    }
}
