/// A `rusty.conf` file as bitcoind reads `bitcoin.conf`: `key=value` lines, `#` comments,
/// optional `[main]`/`[test]`/`[regtest]` sections. Settings before any section apply to
/// every network, except the network-only ones (`rpcport`, `rpcbind`, `port`, `bind`,
/// `connect`, `addnode`, `wallet`), which there apply to main only.
public struct ConfigFile: Sendable, Equatable {
    /// The `(section, key, value)` entries in order; the section is "" before any header.
    public var entries: [(section: String, key: String, value: String)]

    /// Settings that apply to main only when given outside a section.
    public static let networkOnlyKeys: Set<String> = ["rpcport", "rpcbind", "port", "bind", "connect", "addnode", "wallet"]

    /// Parses `text`.
    public init(parsing text: String) {
        var entries: [(section: String, key: String, value: String)] = []
        var section = ""
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmed
            guard !trimmed.isEmpty else { continue }
            if trimmed.hasPrefix("["), trimmed.hasSuffix("]") {
                section = String(trimmed.dropFirst().dropLast()).trimmed
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else {
                entries.append((section, trimmed, "1"))
                continue
            }
            let key = String(trimmed[..<equals]).trimmed
            let value = String(trimmed[trimmed.index(after: equals)...]).trimmed
            entries.append((section, key, value))
        }
        self.entries = entries
    }

    /// The last value of `key` for `network` (`main`, `test`, `regtest`); a `network.key`
    /// form before any section counts as that network's.
    public func value(_ key: String, network: String) -> String? {
        values(key, network: network).last
    }

    /// Every value of `key` for `network`, in order.
    public func values(_ key: String, network: String) -> [String] {
        var general: [String] = []
        var specific: [String] = []
        for entry in entries {
            if entry.section == network, entry.key == key {
                specific.append(entry.value)
            } else if entry.section.isEmpty, entry.key == "\(network).\(key)" {
                specific.append(entry.value)
            } else if entry.section.isEmpty, entry.key == key,
                network == "main" || !Self.networkOnlyKeys.contains(key)
            {
                general.append(entry.value)
            }
        }
        return general + specific
    }

    public static func == (lhs: ConfigFile, rhs: ConfigFile) -> Bool {
        lhs.entries.elementsEqual(rhs.entries) { $0 == $1 }
    }
}

extension StringProtocol {
    var trimmed: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
