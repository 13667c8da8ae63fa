/// bitcoin-cli's command line: `-name[=value]` options (also `--name`, and `-noname` for
/// false), then the method and its words. Options end at the first word that does not start
/// with `-`, so later words such as `-1` are parameters.
///
/// Parsed by hand rather than with swift-argument-parser: bitcoind options are single-dash
/// with `=` values and `-no` negation, end at the method name, and unknown-but-valid
/// options from `rusty.conf` share the same names; argument-parser's conventions differ.
public struct CommandLineOptions: Sendable, Equatable {
    /// The options in order as `(name, value)`; `-name` alone has value "1", `-noname` "0".
    public var options: [(name: String, value: String)]
    /// The method, if given.
    public var method: String?
    /// The words after the method.
    public var words: [String]

    /// The options rusty-cli knows.
    public static let knownOptions: Set<String> = [
        "regtest", "testnet", "mainnet", "chain", "datadir", "conf", "rpcconnect", "rpcport", "rpcuser", "rpcpassword",
        "rpccookiefile", "rpcwait", "rpcwaittimeout", "rpcclienttimeout", "rpcwallet", "named", "stdin", "stdinrpcpass",
        "help", "h", "?", "version",
    ]

    /// An invalid command line.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        /// The message.
        public var message: String
        public var description: String { message }
    }

    /// Parses `arguments` (without the program name) against `known` option names.
    public init(parsing arguments: [String], known: Set<String> = CommandLineOptions.knownOptions) throws(Invalid) {
        var options: [(name: String, value: String)] = []
        var index = 0
        while index < arguments.count, arguments[index].hasPrefix("-"), arguments[index].count > 1 {
            var word = Substring(arguments[index].dropFirst())
            if word.hasPrefix("-") { word = word.dropFirst() }
            var name = String(word)
            var value = "1"
            if let equals = word.firstIndex(of: "=") {
                name = String(word[..<equals])
                value = String(word[word.index(after: equals)...])
            }
            if !known.contains(name), name.hasPrefix("no"), known.contains(String(name.dropFirst(2))) {
                name = String(name.dropFirst(2))
                value = value == "0" ? "1" : "0"
            }
            guard known.contains(name) else {
                throw Invalid(message: "Error parsing command line arguments: Invalid parameter -\(name)")
            }
            options.append((name, value))
            index += 1
        }
        self.options = options
        self.method = index < arguments.count ? arguments[index] : nil
        self.words = index + 1 < arguments.count ? Array(arguments[(index + 1)...]) : []
    }

    /// Every value of option `name`, in order (for repeatable options such as `-rpcauth`).
    public func values(_ name: String) -> [String] {
        options.filter { $0.name == name }.map(\.value)
    }

    /// The last value of option `name`.
    public func value(_ name: String) -> String? {
        options.last { $0.name == name }?.value
    }

    /// Whether boolean option `name` is set (`-name`, `-name=1`; `-noname` or `-name=0` unset).
    public func flag(_ name: String) -> Bool {
        guard let value = value(name) else { return false }
        return value != "0" && value.lowercased() != "false"
    }

    public static func == (lhs: CommandLineOptions, rhs: CommandLineOptions) -> Bool {
        lhs.method == rhs.method && lhs.words == rhs.words && lhs.options.elementsEqual(rhs.options) { $0 == $1 }
    }
}
