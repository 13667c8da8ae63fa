/// Maps named parameters to positions as Bitcoin Core's `transformNamedArguments`
/// (src/rpc/server.cpp): holes between given parameters become `null`, trailing ones are
/// left out; options of an options object may be given by name and are collected into it;
/// an `args` array supplies leading positional values; any other name is refused.
enum NamedParameters {
    static func positional(
        from named: JSONObject, method: RPCMethod
    ) throws(RPCError) -> [JSONValue] {
        var remaining: [String: JSONValue] = [:]
        for member in named {
            guard remaining[member.key] == nil else {
                throw RPCError.invalidParameter("Parameter \(member.key) specified multiple times")
            }
            remaining[member.key] = member.value
        }
        var output: [JSONValue] = []
        var hole = 0
        var initialHoleSize = 0
        var initialParameter: String?
        var options = JSONObject()
        for (pattern, namedOnly) in method.parameterNames {
            var found: (name: String, value: JSONValue)?
            for name in pattern.split(separator: "|", omittingEmptySubsequences: false).map(String.init) {
                if let value = remaining[name] {
                    found = (name, value)
                    break
                }
            }
            if namedOnly {
                if let found {
                    guard !options.contains(found.name) else {
                        throw RPCError.invalidParameter("Parameter \(found.name) specified multiple times")
                    }
                    options.append(found.name, found.value)
                    remaining[found.name] = nil
                }
                continue
            }
            if !options.isEmpty || found != nil {
                output.append(contentsOf: repeatElement(.null, count: hole))
                hole = 0
                if initialParameter == nil { initialParameter = pattern }
            } else {
                hole += 1
                if output.isEmpty { initialHoleSize = hole }
            }
            if let found {
                if let first = options.keys.first {
                    throw RPCError.invalidParameter("Parameter \(found.name) conflicts with parameter \(first)")
                }
                output.append(found.value)
                remaining[found.name] = nil
            }
            if !options.isEmpty {
                output.append(.object(options))
                options = JSONObject()
            }
        }
        if let positional = remaining.removeValue(forKey: "args"), case let .array(values) = positional {
            if initialHoleSize < values.count, let initialParameter {
                throw RPCError.invalidParameter(
                    "Parameter \(initialParameter) specified twice both as positional and named argument")
            }
            let named = output
            output = values
            if named.count > output.count { output.append(contentsOf: named[output.count...]) }
        }
        if let unknown = named.keys.first(where: { remaining[$0] != nil }) {
            throw RPCError.invalidParameter("Unknown named parameter \(unknown)")
        }
        return output
    }
}
