import Foundation

/// Loads test vectors copied into a test target's `Fixtures/` folder. One loader serves every
/// vector file: JSON arrays (with Core's one-element comment rows dropped, but row numbers kept
/// so a failure names the row of the file), JSON objects, and CSV.
public struct Fixture: Sendable {
    public let name: String
    public let data: Data

    /// Reads `Fixtures/<name>` from `bundle` (the test target's `Bundle.module`).
    public init(_ name: String, in bundle: Bundle) throws {
        guard let url = bundle.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw FixtureError.missing(name)
        }
        self.name = name
        data = try Data(contentsOf: url)
    }

    /// One row of a JSON array fixture: its index in the file and its fields.
    public struct Row: @unchecked Sendable {  // JSON values are immutable after parsing
        public let index: Int
        public let fields: [Any]
        public var label: String { "row \(index)" }
    }

    /// The rows of a top-level JSON array. Bitcoin Core's script, transaction and sighash vectors
    /// use one-string rows as comments; `skippingComments` drops those.
    public func rows(skippingComments: Bool = true) throws -> [Row] {
        guard let array = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [Any] else {
            throw FixtureError.malformed(name, "top level is not an array")
        }
        return array.enumerated().compactMap { index, value in
            guard let fields = value as? [Any] else { return nil }
            if skippingComments, fields.count == 1, fields[0] is String { return nil }
            return Row(index: index, fields: fields)
        }
    }

    /// A top-level JSON object.
    public func object() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError.malformed(name, "top level is not an object")
        }
        return object
    }

    /// CSV records as dictionaries keyed by the header row (no quoted commas in our vectors).
    public func csvRecords() throws -> [[String: String]] {
        guard let text = String(data: data, encoding: .utf8) else { throw FixtureError.malformed(name, "not UTF-8") }
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var record: [String: String] = [:]
            for (index, key) in header.enumerated() where index < fields.count { record[key] = fields[index] }
            return record
        }
    }
}

public enum FixtureError: Error, CustomStringConvertible {
    case missing(String)
    case malformed(String, String)

    public var description: String {
        switch self {
        case let .missing(name): "fixture \(name) not found in the test bundle"
        case let .malformed(name, why): "fixture \(name) malformed: \(why)"
        }
    }
}
