import Foundation
import IPAddressing
import P2PWire

/// Banned networks with their expiry (`setban`, `listbanned`, `clearbanned`, persisted as Core's
/// `banlist.json`), and the addresses discouraged for misbehaviour (kept in memory, as Core's
/// rolling filter: a discouraged address may not connect in, and is not connected to).
public struct BanList: Sendable {
    /// One ban: since when and until when (Unix seconds).
    public struct Entry: Equatable, Sendable {
        public let subnet: IPSubnet
        public let created: Int64
        public let until: Int64
    }

    /// Core's `DEFAULT_MISBEHAVING_BANTIME`: 24 hours.
    public static let defaultBanTime: Int64 = 24 * 3_600
    /// Addresses remembered as discouraged at most (Core's filter holds 50,000).
    public static let maxDiscouraged = 50_000

    private var bans: [IPSubnet: Entry] = [:]
    private var discouraged: Set<[UInt8]> = []

    public init() {}

    /// Bans `subnet` until `until`; a longer existing ban stays.
    public mutating func ban(_ subnet: IPSubnet, now: Int64, until: Int64) {
        if let existing = bans[subnet], existing.until >= until { return }
        bans[subnet] = Entry(subnet: subnet, created: now, until: until)
    }

    /// Lifts the ban on exactly `subnet`; false when it was not banned.
    public mutating func unban(_ subnet: IPSubnet) -> Bool { bans.removeValue(forKey: subnet) != nil }

    public mutating func clear() { bans.removeAll() }

    /// The bans still in force, oldest first.
    public func entries(now: Int64) -> [Entry] {
        bans.values.filter { $0.until > now }.sorted { ($0.created, $0.subnet.description) < ($1.created, $1.subnet.description) }
    }

    /// Drops the bans that ran out; returns whether any did.
    @discardableResult
    public mutating func sweep(now: Int64) -> Bool {
        let before = bans.count
        bans = bans.filter { $0.value.until > now }
        return bans.count != before
    }

    /// Whether a ban in force covers `address` (4 or 16 bytes).
    public func isBanned(_ address: [UInt8], now: Int64) -> Bool {
        bans.values.contains { $0.until > now && $0.subnet.contains(bytes: address) }
    }

    /// Remembers a misbehaving peer's address. Local addresses are not discouraged (that would
    /// shut out every peer on the host; Core does the same).
    public mutating func discourage(_ address: [UInt8]) {
        guard !NetworkAddress(services: [], ip: address, port: 0).isLocal else { return }
        if discouraged.count >= Self.maxDiscouraged { discouraged.removeAll(keepingCapacity: true) }
        discouraged.insert(address)
    }

    public func isDiscouraged(_ address: [UInt8]) -> Bool { discouraged.contains(address) }

    // MARK: banlist.json

    private struct File: Codable {
        struct Ban: Codable {
            var version: Int
            var ban_created: Int64
            var banned_until: Int64
            var address: String
        }

        var banned_nets: [Ban]
    }

    /// Core's `banlist.json` form of the bans in force.
    public func fileContents(now: Int64) -> Data {
        let file = File(banned_nets: entries(now: now).map { .init(version: 1, ban_created: $0.created, banned_until: $0.until, address: $0.subnet.description) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(file)) ?? Data("{\"banned_nets\":[]}".utf8)
    }

    /// Reads `banlist.json`; entries that do not parse are skipped (and counted).
    public init(fileContents data: Data) throws {
        let file = try JSONDecoder().decode(File.self, from: data)
        for ban in file.banned_nets {
            guard let subnet = IPSubnet(ban.address) else {
                skipped += 1
                continue
            }
            bans[subnet] = Entry(subnet: subnet, created: ban.ban_created, until: ban.banned_until)
        }
    }

    /// Entries of the file that was read that did not parse.
    public private(set) var skipped = 0
}
