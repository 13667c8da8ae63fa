extension RPCMethod {
    /// The one-line synopsis, e.g. `getblock "blockhash" ( verbosity )`.
    public var synopsis: String {
        var line = name
        var inOptional = false
        for argument in arguments {
            if argument.isHidden { break }
            line += " "
            if argument.isOptional {
                if !inOptional { line += "( " }
                inOptional = true
            } else {
                if inOptional { line += ") " }
                inOptional = false
            }
            line += argument.synopsis
        }
        if inOptional { line += " )" }
        return line
    }

    /// The full help text as `help <method>` shows it: synopsis, description, arguments,
    /// result and examples, laid out as Bitcoin Core's `RPCHelpMan::ToString`.
    public var helpText: String {
        var text = synopsis + "\n" + description
        if !text.hasSuffix("\n") { text += "\n" }
        var rows: [(left: String, right: String)] = []
        for (position, argument) in arguments.enumerated() {
            if argument.isHidden { break }
            rows.append(("\(position + 1). \(argument.primaryName)", argument.helpDescription))
            for option in argument.options where !option.isHidden {
                rows.append(("     \"\(option.primaryName)\"", option.helpDescription))
            }
        }
        if !rows.isEmpty {
            text += "\nArguments:\n" + Self.layout(rows)
        }
        if !resultHelp.isEmpty {
            text += "\nResult:\n" + resultHelp
            if !resultHelp.hasSuffix("\n") { text += "\n" }
        }
        if !examples.isEmpty {
            text += "\nExamples:\n" + examples
            if !examples.hasSuffix("\n") { text += "\n" }
        }
        return text
    }

    /// Two columns, the left padded to the widest entry plus four spaces; continuation
    /// lines of the right column are indented to line up.
    private static func layout(_ rows: [(left: String, right: String)]) -> String {
        let pad = (rows.map(\.left.count).max() ?? 0) + 4
        var text = ""
        for row in rows {
            text += row.left.padding(to: pad)
            text += row.right.split(separator: "\n", omittingEmptySubsequences: false)
                .enumerated()
                .map { $0.offset == 0 ? String($0.element) : String(repeating: " ", count: pad) + $0.element }
                .joined(separator: "\n")
            text += "\n"
        }
        return text
    }
}

extension RPCArgument {
    /// How the argument appears in a synopsis: strings quoted, objects with their options.
    var synopsis: String {
        switch type {
        case .string, .hex: "\"\(primaryName)\""
        case .object where !options.isEmpty:
            "{" + options.map { "\"\($0.primaryName)\":\($0.synopsisValue)" }.joined(separator: ",") + "}"
        case .object, .objectWithUserKeys: "{...}"
        case .array: "[...]"
        default: primaryName
        }
    }

    private var synopsisValue: String {
        switch type {
        case .string: "\"str\""
        case .hex: "\"hex\""
        case .number: "n"
        case .bool: "bool"
        case .amount: "amount"
        case .range: "n or [n,n]"
        case .array: "[...]"
        case .object, .objectWithUserKeys: "{...}"
        case .any: "..."
        }
    }

    /// `(type, required|optional, default=…) help`.
    var helpDescription: String {
        var text = "(" + type.helpName
        switch requirement {
        case .required: text += ", required"
        case let .optional(defaultHint?): text += ", optional, default=" + defaultHint
        case .optional(nil): text += ", optional"
        }
        text += ")"
        if !help.isEmpty { text += " " + help }
        return text
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
