import P2PWire

/// What the address manager knows about one address (Bitcoin Core's `AddrInfo`). Times are
/// seconds since 1970.
struct AddressEntry: Equatable, Sendable {
    /// After this long unseen an address is terrible (Core's `ADDRMAN_HORIZON`, 30 days).
    static let horizon: Int64 = 30 * 24 * 60 * 60
    /// Failed attempts after which a never-successful address is terrible (`ADDRMAN_RETRIES`).
    static let retries = 3
    /// Failed attempts after which an address is terrible (`ADDRMAN_MAX_FAILURES`)...
    static let maxFailures = 10
    /// ...when its last success is older than this (`ADDRMAN_MIN_FAIL`, 7 days).
    static let minFailInterval: Int64 = 7 * 24 * 60 * 60

    var key: AddressKey
    var services: ServiceFlags
    /// When the address was last heard of (Core's `nTime`).
    var time: Int64
    /// The group of the peer that first told us of the address.
    var sourceGroup: AddressGroup
    var lastTry: Int64 = 0
    /// When a failed attempt was last counted (at most one per success of any address).
    var lastCountAttempt: Int64 = 0
    var lastSuccess: Int64 = 0
    /// Failed attempts since the last success.
    var attempts = 0
    /// In how many new-table slots the entry is (0 when in tried).
    var referenceCount = 0
    var isInTried = false
    /// Index in the manager's `randomOrder`.
    var randomPosition = 0

    var address: NetworkAddress { key.address(services: services) }
    var group: AddressGroup { AddressGroup(address) }

    /// Core's `IsTerrible`: not worth keeping or relaying. Never for one tried in the last
    /// minute; otherwise when seen in the future, not seen for 30 days, tried 3 times without
    /// ever a success, or failed 10 times with no success in the last week.
    func isTerrible(now: Int64) -> Bool {
        if lastTry != 0 && now - lastTry <= 60 { return false }
        if time > now + 10 * 60 { return true }
        if now - time > Self.horizon { return true }
        if lastSuccess == 0 && attempts >= Self.retries { return true }
        if now - lastSuccess > Self.minFailInterval && attempts >= Self.maxFailures { return true }
        return false
    }

    /// Core's `GetChance`: the relative chance of being selected, 1% when tried in the last
    /// 10 minutes, and 0.66 times less per failed attempt (at most 8 counted).
    func chance(now: Int64) -> Double {
        var chance = 1.0
        if now - lastTry < 10 * 60 { chance *= 0.01 }
        for _ in 0..<min(attempts, 8) { chance *= 0.66 }
        return chance
    }
}
