import JSONRPC

/// bitcoin-cli's conversion of command-line words to RPC parameters (src/rpc/client.cpp):
/// a table says which (method, position, name) take JSON; every other word is passed as a
/// string.
public enum RPCParameterConversion {
    /// How a listed parameter is read from its word.
    public enum Format: Sendable, Equatable {
        /// Parsed as JSON; a word that is not JSON is an error.
        case json
        /// Passed as a string; listed so that `-named` treats a word containing `=` as a
        /// positional value rather than `name=value`.
        case string
        /// Parsed as JSON when it is JSON, else passed as a string (e.g. hash or height).
        case jsonOrString
    }

    /// One table entry.
    public struct Entry: Sendable, Equatable {
        /// The method.
        public var method: String
        /// The 0-based position.
        public var position: Int
        /// The parameter name.
        public var name: String
        /// How the word is read.
        public var format: Format

        init(_ method: String, _ position: Int, _ name: String, _ format: Format = .json) {
            self.method = method
            self.position = position
            self.name = name
            self.format = format
        }
    }

    /// The entries for the methods of Bitcoin Core that this node implements or will, with
    /// Core's positions and names. `help`'s only parameter is a string, so it has none.
    public static let table: [Entry] = [
        Entry("setmocktime", 0, "timestamp"),
        Entry("generatetoaddress", 0, "nblocks"),
        Entry("generatetoaddress", 2, "maxtries"),
        Entry("generatetodescriptor", 0, "num_blocks"),
        Entry("generatetodescriptor", 2, "maxtries"),
        Entry("generateblock", 1, "transactions"),
        Entry("generateblock", 2, "submit"),
        Entry("getnetworkhashps", 0, "nblocks"),
        Entry("getnetworkhashps", 1, "height"),
        Entry("getblockhash", 0, "height"),
        Entry("waitforblockheight", 0, "height"),
        Entry("waitforblockheight", 1, "timeout"),
        Entry("waitforblock", 1, "timeout"),
        Entry("waitfornewblock", 0, "timeout"),
        Entry("getblocktemplate", 0, "template_request"),
        Entry("getblock", 1, "verbosity"),
        Entry("getblock", 1, "verbose"),
        Entry("getblockheader", 1, "verbose"),
        Entry("getchaintxstats", 0, "nblocks"),
        Entry("getrawtransaction", 1, "verbosity"),
        Entry("getrawtransaction", 1, "verbose"),
        Entry("createrawtransaction", 0, "inputs"),
        Entry("createrawtransaction", 1, "outputs"),
        Entry("createrawtransaction", 2, "locktime"),
        Entry("createrawtransaction", 3, "replaceable"),
        Entry("createrawtransaction", 4, "version"),
        Entry("decoderawtransaction", 1, "iswitness"),
        Entry("signrawtransactionwithkey", 1, "privkeys"),
        Entry("signrawtransactionwithkey", 2, "prevtxs"),
        Entry("sendrawtransaction", 1, "maxfeerate"),
        Entry("sendrawtransaction", 2, "maxburnamount"),
        Entry("testmempoolaccept", 0, "rawtxs"),
        Entry("testmempoolaccept", 1, "maxfeerate"),
        Entry("submitpackage", 0, "package"),
        Entry("submitpackage", 1, "maxfeerate"),
        Entry("submitpackage", 2, "maxburnamount"),
        Entry("combinerawtransaction", 0, "txs"),
        Entry("gettxout", 1, "n"),
        Entry("gettxout", 2, "include_mempool"),
        Entry("gettxoutproof", 0, "txids"),
        Entry("gettxoutsetinfo", 1, "hash_or_height", .jsonOrString),
        Entry("gettxoutsetinfo", 2, "use_index"),
        Entry("verifychain", 0, "checklevel"),
        Entry("verifychain", 1, "nblocks"),
        Entry("getblockstats", 0, "hash_or_height", .jsonOrString),
        Entry("getblockstats", 1, "stats"),
        Entry("pruneblockchain", 0, "height"),
        Entry("getrawmempool", 0, "verbose"),
        Entry("getrawmempool", 1, "mempool_sequence"),
        Entry("estimatesmartfee", 0, "conf_target"),
        Entry("estimaterawfee", 0, "conf_target"),
        Entry("estimaterawfee", 1, "threshold"),
        Entry("prioritisetransaction", 1, "dummy"),
        Entry("prioritisetransaction", 2, "fee_delta"),
        Entry("setban", 2, "bantime"),
        Entry("setban", 3, "absolute"),
        Entry("setnetworkactive", 0, "state"),
        Entry("getmempoolancestors", 1, "verbose"),
        Entry("getmempooldescendants", 1, "verbose"),
        Entry("gettxspendingprevout", 0, "outputs"),
        Entry("logging", 0, "include"),
        Entry("logging", 1, "exclude"),
        Entry("disconnectnode", 1, "nodeid"),
        Entry("getnodeaddresses", 0, "count"),
        Entry("addnode", 2, "v2transport"),
        Entry("createmultisig", 0, "nrequired"),
        Entry("createmultisig", 1, "keys"),
        Entry("deriveaddresses", 1, "range"),
        Entry("scantxoutset", 1, "scanobjects"),
        Entry("verifymessage", 1, "signature", .string),
        Entry("verifymessage", 2, "message", .string),
        Entry("signmessagewithprivkey", 1, "message", .string),
        Entry("stop", 0, "wait"),
        Entry("echojson", 0, "arg0"), Entry("echojson", 1, "arg1"), Entry("echojson", 2, "arg2"),
        Entry("echojson", 3, "arg3"), Entry("echojson", 4, "arg4"), Entry("echojson", 5, "arg5"),
        Entry("echojson", 6, "arg6"), Entry("echojson", 7, "arg7"), Entry("echojson", 8, "arg8"),
        Entry("echojson", 9, "arg9"),
    ]

    /// A word that had to be JSON but is not (Core: "Error parsing JSON: <word>").
    public struct InvalidJSON: Error, Sendable, Equatable, CustomStringConvertible {
        /// The word.
        public var word: String

        /// The error for `word`.
        public init(word: String) {
            self.word = word
        }

        public var description: String { "Error parsing JSON: \(word)" }
    }

    /// The entry for `method` at `position`.
    public static func entry(_ method: String, position: Int, in table: [Entry] = table) -> Entry? {
        table.first { $0.method == method && $0.position == position }
    }

    /// The entry for `method`'s parameter `name`.
    public static func entry(_ method: String, name: String, in table: [Entry] = table) -> Entry? {
        table.first { $0.method == method && $0.name == name }
    }

    /// Positional parameters (Core's `RPCConvertValues`).
    public static func positional(method: String, words: [String], table: [Entry] = table) throws(InvalidJSON)
        -> JSONValue
    {
        var params: [JSONValue] = []
        for word in words {
            params.append(try convert(word, entry(method, position: params.count, in: table)))
        }
        return .array(params)
    }

    /// Named parameters for `-named` (Core's `RPCConvertNamedValues`): `name=value` words
    /// become named parameters (a later one overrides an earlier one); words without `=`, and
    /// words whose `name` is unknown while the next positional parameter takes JSON that the
    /// word parses as, or takes a string, are positional and sent as `args`.
    public static func named(method: String, words: [String], table: [Entry] = table) throws(InvalidJSON) -> JSONValue {
        var params = JSONObject()
        var positional: [JSONValue] = []
        for word in words {
            guard let equals = word.firstIndex(of: "=") else {
                positional.append(try convert(word, entry(method, position: positional.count, in: table)))
                continue
            }
            let name = String(word[..<equals])
            let value = String(word[word.index(after: equals)...])
            let namedEntry = entry(method, name: name, in: table)
            if namedEntry == nil, let next = entry(method, position: positional.count, in: table) {
                if next.format == .json, let parsed = try? JSONParser.parse(word) {
                    positional.append(parsed)
                    continue
                }
                if next.format == .string {
                    positional.append(.string(word))
                    continue
                }
            }
            params[name] = try convert(value, namedEntry)
        }
        if !positional.isEmpty {
            // Appended even after an explicit args=…, as Core's pushKVEnd: the server refuses it.
            params.append("args", .array(positional))
        }
        return .object(params)
    }

    private static func convert(_ word: String, _ entry: Entry?) throws(InvalidJSON) -> JSONValue {
        guard let entry, entry.format != .string else { return .string(word) }
        do {
            return try JSONParser.parse(word)
        } catch {
            if entry.format == .jsonOrString { return .string(word) }
            throw InvalidJSON(word: word)
        }
    }
}
