/// A JSON value as JSON-RPC carries it.
///
/// Numbers keep the distinction between integers (``int(_:)``), binary floating point
/// (``double(_:)``) and exact decimals (``decimal(_:scale:)``), so an integer prints without
/// ".0" and an amount prints as Bitcoin Core prints it (`50.00000000`). Objects keep their key
/// order (see ``JSONObject``), because Bitcoin Core's results have a fixed field order.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer number.
    case int(Int64)
    /// A number with a fraction or an exponent, or an integer too large for `Int64`.
    case double(Double)
    /// The exact decimal `units / 10^scale`, written with exactly `scale` fraction digits.
    /// The parser never produces it; results use it for amounts (see ``amount(_:)``).
    case decimal(Int64, scale: UInt8)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object with ordered keys.
    case object(JSONObject)

    /// An amount in satoshis as Bitcoin Core writes it: a number with eight fraction digits.
    public static func amount(_ satoshis: Int64) -> JSONValue {
        .decimal(satoshis, scale: 8)
    }

    /// The name UniValue gives this value's type (`null`, `bool`, `number`, `string`,
    /// `array`, `object`), used in Bitcoin Core's type error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int, .double, .decimal: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Whether this is a number of any representation.
    public var isNumber: Bool {
        switch self {
        case .int, .double, .decimal: true
        default: false
        }
    }

    /// The boolean, if this is one.
    public var boolValue: Bool? {
        if case let .bool(value) = self { return value }
        return nil
    }

    /// The integer, if this is an integer (a decimal with scale 0 counts; a double does not,
    /// as in Bitcoin Core, which rejects `1.0` where it wants an integer).
    public var int64Value: Int64? {
        switch self {
        case let .int(value): value
        case let .decimal(units, scale) where scale == 0: units
        default: nil
        }
    }

    /// The number as a `Double`, if this is a number.
    public var doubleValue: Double? {
        switch self {
        case let .int(value): Double(value)
        case let .double(value): value
        case let .decimal(units, scale): Double(units) / Self.powerOfTen(scale)
        default: nil
        }
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case let .string(value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case let .array(value) = self { return value }
        return nil
    }

    /// The object, if this is one.
    public var objectValue: JSONObject? {
        if case let .object(value) = self { return value }
        return nil
    }

    /// The value of the first member named `key`, if this is an object that has one.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    private static func powerOfTen(_ exponent: UInt8) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}
