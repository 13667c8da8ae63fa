/// The JSON type an RPC argument takes, as Bitcoin Core's `RPCArg::Type`.
public enum RPCArgumentType: Sendable, Hashable {
    /// A string.
    case string
    /// A hexadecimal string.
    case hex
    /// A number.
    case number
    /// A boolean.
    case bool
    /// An amount: a number or a string (not type-checked by the dispatcher).
    case amount
    /// An end index or a `[begin, end]` pair (not type-checked by the dispatcher).
    case range
    /// An object with fixed keys.
    case object
    /// An object with user-chosen keys.
    case objectWithUserKeys
    /// An array.
    case array
    /// Any JSON value (not type-checked by the dispatcher).
    case any

    /// The JSON type name the dispatcher checks for, or nil when any type passes.
    var expectedTypeName: String? {
        switch self {
        case .string, .hex: "string"
        case .number: "number"
        case .bool: "bool"
        case .object, .objectWithUserKeys: "object"
        case .array: "array"
        case .amount, .range, .any: nil
        }
    }

    /// The type as help texts name it.
    var helpName: String {
        switch self {
        case .string, .hex: "string"
        case .number: "numeric"
        case .bool: "boolean"
        case .amount: "numeric or string"
        case .range: "numeric or array"
        case .object, .objectWithUserKeys: "json object"
        case .array: "json array"
        case .any: "any"
        }
    }
}
