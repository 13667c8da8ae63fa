/// The arguments of one call, positional after named parameters were mapped to their
/// positions, with typed accessors that fail with Bitcoin Core's error codes.
///
/// A missing argument reads as `null`. The typed accessors throw RPC_TYPE_ERROR (-3) with
/// UniValue's message ("JSON value of type string is not of expected type number").
public struct RPCArguments: Sendable {
    /// The method name as called.
    public let method: String
    /// The positional arguments (trailing left-out ones are absent, inner ones `null`).
    public let values: [JSONValue]
    /// Where the call came from.
    public let context: RPCRequestContext

    /// Arguments for `method`.
    public init(method: String, values: [JSONValue], context: RPCRequestContext = .local) {
        self.method = method
        self.values = values
        self.context = context
    }

    /// The argument at `index`, or `null` when it was not given.
    public subscript(index: Int) -> JSONValue {
        values.indices.contains(index) ? values[index] : .null
    }

    /// The number of positional arguments given.
    public var count: Int { values.count }

    /// Whether the argument at `index` was given and is not `null`.
    public func isPresent(_ index: Int) -> Bool {
        !self[index].isNull
    }

    /// The string at `index`.
    public func string(_ index: Int) throws(RPCError) -> String {
        let value = self[index]
        guard let string = value.stringValue else { throw RPCError.wrongType(value, expected: "string") }
        return string
    }

    /// The string at `index`, or nil when absent or `null`.
    public func optionalString(_ index: Int) throws(RPCError) -> String? {
        isPresent(index) ? try string(index) : nil
    }

    /// The boolean at `index`.
    public func bool(_ index: Int) throws(RPCError) -> Bool {
        let value = self[index]
        guard let flag = value.boolValue else { throw RPCError.wrongType(value, expected: "bool") }
        return flag
    }

    /// The boolean at `index`, or nil when absent or `null`.
    public func optionalBool(_ index: Int) throws(RPCError) -> Bool? {
        isPresent(index) ? try bool(index) : nil
    }

    /// The integer at `index` (a number with a fraction is refused, as by UniValue).
    public func int64(_ index: Int) throws(RPCError) -> Int64 {
        let value = self[index]
        if let integer = value.int64Value { return integer }
        if value.isNumber { throw RPCError(.typeError, "JSON integer out of range") }
        throw RPCError.wrongType(value, expected: "number")
    }

    /// The integer at `index`, or nil when absent or `null`.
    public func optionalInt64(_ index: Int) throws(RPCError) -> Int64? {
        isPresent(index) ? try int64(index) : nil
    }

    /// The integer at `index` as an `Int`, refusing values outside `range`.
    public func int(_ index: Int, in range: ClosedRange<Int> = Int(Int32.min)...Int(Int32.max)) throws(RPCError) -> Int {
        let value = try int64(index)
        guard let integer = Int(exactly: value), range.contains(integer) else {
            throw RPCError(.typeError, "JSON integer out of range")
        }
        return integer
    }

    /// The integer at `index` as an `Int`, or nil when absent or `null`.
    public func optionalInt(_ index: Int, in range: ClosedRange<Int> = Int(Int32.min)...Int(Int32.max)) throws(RPCError)
        -> Int?
    {
        isPresent(index) ? try int(index, in: range) : nil
    }

    /// The number at `index` as a `Double`.
    public func double(_ index: Int) throws(RPCError) -> Double {
        let value = self[index]
        guard let number = value.doubleValue else { throw RPCError.wrongType(value, expected: "number") }
        return number
    }

    /// The array at `index`.
    public func array(_ index: Int) throws(RPCError) -> [JSONValue] {
        let value = self[index]
        guard let array = value.arrayValue else { throw RPCError.wrongType(value, expected: "array") }
        return array
    }

    /// The object at `index`.
    public func object(_ index: Int) throws(RPCError) -> JSONObject {
        let value = self[index]
        guard let object = value.objectValue else { throw RPCError.wrongType(value, expected: "object") }
        return object
    }
}
