import Synchronization

/// The table of RPC methods. Other targets register their methods here; the dispatcher looks
/// them up per call. Thread-safe, so methods can be added while the server runs (e.g. when a
/// subsystem starts).
///
/// A new registry contains `help`, which lists the registered methods by category or shows
/// one method's help, generated from the declarations.
public final class RPCMethodRegistry: Sendable {
    private let methods = Mutex<[String: RPCMethod]>([:])

    /// A registry holding only the built-in `help` method.
    public init() {
        register(Self.helpMethod(registry: self))
    }

    /// Adds `method`, replacing any method with the same name.
    public func register(_ method: RPCMethod) {
        methods.withLock { $0[method.name] = method }
    }

    /// Adds each of `methods`.
    public func register(contentsOf methods: [RPCMethod]) {
        for method in methods { register(method) }
    }

    /// Removes the method named `name`; returns whether there was one.
    @discardableResult
    public func unregister(_ name: String) -> Bool {
        methods.withLock { $0.removeValue(forKey: name) != nil }
    }

    /// The method named `name`.
    public func method(named name: String) -> RPCMethod? {
        methods.withLock { $0[name] }
    }

    /// Every method, sorted by category and then name (the order of `help`).
    public var allMethods: [RPCMethod] {
        methods.withLock { Array($0.values) }.sorted { ($0.category, $0.name) < ($1.category, $1.name) }
    }

    /// What `help` returns: with no command, the synopsis of every method that is not in the
    /// `hidden` category, under `== Category ==` headings; with a command, its full help, or
    /// `help: unknown command: <command>`.
    public func helpText(for command: String? = nil) -> String {
        let command = command ?? ""
        var text = ""
        var category = ""
        for method in allMethods {
            if command.isEmpty {
                guard method.category != "hidden" else { continue }
                if method.category != category {
                    if !category.isEmpty { text += "\n" }
                    category = method.category
                    text += "== " + category.prefix(1).uppercased() + category.dropFirst() + " ==\n"
                }
                text += method.synopsis + "\n"
            } else if method.name == command {
                text += method.helpText
            }
        }
        if text.isEmpty { text = "help: unknown command: \(command)\n" }
        return String(text.dropLast())
    }

    private static func helpMethod(registry: RPCMethodRegistry) -> RPCMethod {
        RPCMethod(
            "help", category: "control",
            description: "List all commands, or get help for a specified command.\n",
            arguments: [.optional("command", .string, default: "all commands", "The command to get help on")],
            result: "\"text\"    (string) The help text\n"
        ) { [weak registry] arguments throws(RPCError) in
            let command = try arguments.optionalString(0)
            return .string(registry?.helpText(for: command) ?? "")
        }
    }
}
