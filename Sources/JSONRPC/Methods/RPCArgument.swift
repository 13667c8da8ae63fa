/// The declaration of one positional RPC argument: names, type, whether it may be left
/// out, and its help text (Bitcoin Core's `RPCArg`).
public struct RPCArgument: Sendable {
    /// Whether an argument may be left out.
    public enum Requirement: Sendable, Hashable {
        /// The argument must be given.
        case required
        /// The argument may be left out; `defaultHint` (e.g. `"1"` or `"false"`) is shown
        /// in help as `default=…`.
        case optional(defaultHint: String?)
    }

    /// The names, first the primary one, separated by `|` (e.g. `"verbosity|verbose"`); any
    /// of them may be used as a named parameter.
    public var names: String
    /// The JSON type.
    public var type: RPCArgumentType
    /// Whether the argument may be left out.
    public var requirement: Requirement
    /// The help text.
    public var help: String
    /// For an options object: the options, which callers may also pass as top-level named
    /// parameters (Core's `OBJ_NAMED_PARAMS`); they are collected into this argument.
    public var options: [RPCArgument]
    /// Whether the argument is left out of help (it and every later argument).
    public var isHidden: Bool

    /// An argument declaration.
    public init(
        _ names: String, _ type: RPCArgumentType, _ requirement: Requirement, help: String,
        options: [RPCArgument] = [], isHidden: Bool = false
    ) {
        self.names = names
        self.type = type
        self.requirement = requirement
        self.help = help
        self.options = options
        self.isHidden = isHidden
    }

    /// A required argument.
    public static func required(_ names: String, _ type: RPCArgumentType, _ help: String) -> RPCArgument {
        RPCArgument(names, type, .required, help: help)
    }

    /// An optional argument with `default` shown in help.
    public static func optional(
        _ names: String, _ type: RPCArgumentType, default defaultHint: String? = nil, _ help: String
    ) -> RPCArgument {
        RPCArgument(names, type, .optional(defaultHint: defaultHint), help: help)
    }

    /// An optional options object whose members may also be passed as named parameters.
    public static func options(_ names: String, _ options: [RPCArgument], _ help: String) -> RPCArgument {
        RPCArgument(names, .object, .optional(defaultHint: nil), help: help, options: options)
    }

    /// The first of ``names``.
    public var primaryName: String {
        String(names.split(separator: "|", omittingEmptySubsequences: false).first ?? "")
    }

    /// Whether the argument may be left out.
    public var isOptional: Bool {
        if case .optional = requirement { return true }
        return false
    }

    /// nil when `value` fits this argument, otherwise UniValue's mismatch message.
    func typeMismatch(_ value: JSONValue) -> String? {
        if isOptional, value.isNull { return nil }
        guard let expected = type.expectedTypeName, value.typeName != expected else { return nil }
        return RPCError.wrongType(value, expected: expected).message
    }
}
