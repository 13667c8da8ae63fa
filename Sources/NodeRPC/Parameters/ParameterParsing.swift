import ByteCodec
import ChainCrypto
import ChainTypes
import JSONRPC

/// Bitcoin Core's helpers for reading RPC parameters (src/rpc/util.cpp), with its error codes
/// and messages.
public enum ParameterParsing {
    /// Core's `IsHex`: a non-empty, even-length string of hex digits.
    public static func isHex(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count % 2 == 0 && text.utf8.allSatisfy(\.isHexDigit)
    }

    /// `ParseHexV`: the bytes of a hex string, or RPC_INVALID_PARAMETER
    /// "`name` must be hexadecimal string (not '…')" (also for a value that is not a string).
    public static func hexBytes(_ value: JSONValue, name: String) throws(RPCError) -> [UInt8] {
        let text = value.stringValue ?? ""
        guard isHex(text), let bytes = try? Hex.decode(text) else {
            throw RPCError.invalidParameter("\(name) must be hexadecimal string (not '\(text)')")
        }
        return bytes
    }

    /// `ParseHashV`: a 64-digit hash in display order, or RPC_INVALID_PARAMETER.
    public static func hash(_ value: JSONValue, name: String) throws(RPCError) -> TxID {
        TxID(try hash(string(value), name: name))
    }

    /// `ParseHashV` of a string argument.
    public static func hash(_ text: String, name: String) throws(RPCError) -> Hash256 {
        if text.utf8.count == 64, text.utf8.allSatisfy(\.isHexDigit), let hash = Hash256(displayHex: text) {
            return hash
        }
        if text.utf8.count != 64 {
            throw RPCError.invalidParameter("\(name) must be of length 64 (not \(text.utf8.count), for '\(text)')")
        }
        throw RPCError.invalidParameter("\(name) must be hexadecimal string (not '\(text)')")
    }

    /// UniValue's `get_str`: the string, or RPC_TYPE_ERROR with UniValue's message.
    public static func string(_ value: JSONValue) throws(RPCError) -> String {
        guard let text = value.stringValue else { throw RPCError.wrongType(value, expected: "string") }
        return text
    }

    /// UniValue's `get_obj`.
    public static func object(_ value: JSONValue) throws(RPCError) -> JSONObject {
        guard let object = value.objectValue else { throw RPCError.wrongType(value, expected: "object") }
        return object
    }

    /// UniValue's `get_array`.
    public static func array(_ value: JSONValue) throws(RPCError) -> [JSONValue] {
        guard let array = value.arrayValue else { throw RPCError.wrongType(value, expected: "array") }
        return array
    }

    /// UniValue's `getInt<int64_t>`: an integer number; RPC_TYPE_ERROR for another type,
    /// RPC_MISC_ERROR "JSON integer out of range" for a number that is not an `Int64`.
    public static func integer(_ value: JSONValue) throws(RPCError) -> Int64 {
        if let integer = value.int64Value { return integer }
        if value.isNumber { throw RPCError(.miscError, "JSON integer out of range") }
        throw RPCError.wrongType(value, expected: "number")
    }

    /// Core's `AmountFromValue`: a number or numeric string with at most eight decimals, in the
    /// money range. RPC_TYPE_ERROR "Amount is not a number or string", "Invalid amount" or
    /// "Amount out of range".
    public static func amount(_ value: JSONValue) throws(RPCError) -> Amount {
        let text: String
        switch value {
        case let .string(string): text = string
        case let .int(integer): text = String(integer)
        case let .double(number): text = number.description
        case .decimal: text = value.jsonString
        default: throw RPCError(.typeError, "Amount is not a number or string")
        }
        guard let satoshis = FixedPoint.parse(text, decimals: 8) else { throw RPCError(.typeError, "Invalid amount") }
        let amount = Amount(satoshis: satoshis)
        guard amount.isInMoneyRange else { throw RPCError(.typeError, "Amount out of range") }
        return amount
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x61...0x66).contains(self) || (0x41...0x46).contains(self)
    }
}
