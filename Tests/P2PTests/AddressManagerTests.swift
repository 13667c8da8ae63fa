import ChainCrypto
import Testing
@testable import P2P
@testable import P2PWire

/// The address manager: Core's bucket hashes and groups, its rules for adding, promoting,
/// selecting and sharing addresses, and a save format that survives hostile bytes.
@Suite struct AddressManagerTests {
    static let now: Int64 = 1_700_000_000
    /// Core's unit-test key, `(HashWriter{} << 1).GetHash()`.
    static let coreKey = Hashing.sha256d([1, 0, 0, 0])

    // MARK: Helpers

    /// A seeded generator (xorshift64*): P2PTests does not depend on TestSupport's `SplitMix64`.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed | 1 }
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 0x2545_f491_4f6c_dd1d
        }
    }

    static func ipv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, port: UInt16 = 8333) -> NetworkAddress {
        NetworkAddress(services: [.network], ipv4: (a, b, c, d), port: port)
    }

    static func ipv6(_ groups: [UInt16], port: UInt16 = 8333) -> NetworkAddress {
        let words = groups + [UInt16](repeating: 0, count: 8 - groups.count)
        return NetworkAddress(services: [.network], ip: words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }, port: port)
    }

    static func seen(_ address: NetworkAddress, secondsAgo: Int64 = 3600) -> TimestampedAddress {
        TimestampedAddress(time: UInt32(now - secondsAgo), address: address)
    }

    /// First octets of routable IPv4 addresses.
    static let routableOctets = [UInt8](1...9) + [UInt8](11...99)

    /// A distinct routable address for each `index`, consecutive ones in different groups.
    static func routable(_ index: Int) -> NetworkAddress {
        let octets = routableOctets.count
        return ipv4(routableOctets[index % octets], UInt8(index / octets % 256), UInt8(index / octets / 256 % 256), 7)
    }

    /// Adds addresses seen an hour ago, told by `source`, or each by itself when `source` is
    /// `nil`; returns how many were new.
    @discardableResult
    static func add(_ addresses: [NetworkAddress], to manager: inout AddressManager, source: NetworkAddress? = nil, seed: UInt64 = 1) -> Int {
        var rng = SeededGenerator(seed: seed)
        if let source {
            return manager.add(addresses.map { seen($0) }, source: source, timePenalty: 0, now: now, using: &rng)
        }
        return addresses.reduce(0) { $0 + manager.add([seen($1)], source: $1, timePenalty: 0, now: now, using: &rng) }
    }

    /// Counts one failed attempt per call: a success with any address (here an unknown one)
    /// must come between two counted failures.
    static func fail(_ address: NetworkAddress, times: Int, in manager: inout AddressManager, at time: Int64) {
        for step in 0..<Int64(times) {
            manager.good(.unspecified, now: time + 2 * step)
            manager.attempt(address, countFailure: true, now: time + 2 * step + 1)
        }
    }

    /// The address in every slot of both tables.
    static func layout(_ manager: AddressManager) -> (new: [AddressKey?], tried: [AddressKey?]) {
        let key = { (id: Int) in id < 0 ? nil : manager.entries[id]?.key }
        return (manager.newTable.map(key), manager.triedTable.map(key))
    }

    /// What breaks the manager's invariants (empty when sound): counts agree with the tables,
    /// each entry's reference count with its new slots, every id is in `ids` and `randomOrder`.
    static func violations(_ manager: AddressManager) -> [String] {
        var problems: [String] = []
        var references: [Int: Int] = [:]
        for id in manager.newTable where id >= 0 { references[id, default: 0] += 1 }
        let tried = manager.triedTable.filter { $0 >= 0 }
        if references.count != manager.counts.new { problems.append("new count \(manager.counts.new), \(references.count) in table") }
        if tried.count != manager.counts.tried || Set(tried).count != tried.count { problems.append("tried count") }
        if manager.count != manager.counts.new + manager.counts.tried { problems.append("count \(manager.count)") }
        if Set(manager.randomOrder) != Set(manager.entries.keys) || manager.randomOrder.count != manager.count { problems.append("random order") }
        for (id, entry) in manager.entries {
            if entry.referenceCount != references[id, default: 0] { problems.append("references of \(id)") }
            if entry.isInTried != tried.contains(id) { problems.append("tried flag of \(id)") }
            if entry.isInTried && entry.referenceCount != 0 { problems.append("tried entry \(id) in new") }
            if manager.ids[entry.key] != id { problems.append("ids of \(id)") }
            if manager.randomOrder.indices.contains(entry.randomPosition) == false || manager.randomOrder[entry.randomPosition] != id {
                problems.append("random position of \(id)")
            }
        }
        return problems
    }

    /// The bytes with their checksum made to match again.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        let body = Array(bytes.dropLast(AddressBookFile.checksumSize))
        return body + Hashing.sha256(body).bytes
    }

    /// A manager with new and tried entries, failures and various times.
    static func populated(count: Int = 300) -> AddressManager {
        var manager = AddressManager(key: coreKey)
        var rng = SeededGenerator(seed: 7)
        for sourceIndex in 0..<10 {
            let batch = (0..<count / 10).map { seen(routable(sourceIndex * count / 10 + $0), secondsAgo: Int64($0) * 600) }
            _ = manager.add(batch, source: ipv4(20 + UInt8(sourceIndex), 1, 1, 1), timePenalty: 7200, now: now, using: &rng)
        }
        for index in stride(from: 0, to: count, by: 7) {
            manager.good(routable(index), now: now - Int64(index))
        }
        for index in stride(from: 3, to: count, by: 11) {
            manager.attempt(routable(index), countFailure: true, now: now - 120)
        }
        manager.connected(routable(1), now: now)
        return manager
    }

    // MARK: Groups and buckets

    @Test func bucketPositionsAreCores() {
        // Core's addrman_tests (caddrinfo_get_tried_bucket_legacy, caddrinfo_get_new_bucket_legacy)
        // use 250.x.y.z, which Core then grouped by /16 ([NET_IPV4, 250, x]); it now counts
        // 240.0.0.0/4 as reserved, so the groups are given here as they were.
        let bucketing = AddressBucketing(key: Self.coreKey)
        let otherKey = AddressBucketing(key: Hashing.sha256d([2, 0, 0, 0]))
        func key(_ address: NetworkAddress) -> AddressKey { AddressKey(address)! }
        func group(_ b: UInt8) -> AddressGroup { AddressGroup(bytes: [1, 250, b]) }

        let address = key(Self.ipv4(250, 1, 1, 1))
        #expect(bucketing.triedBucket(of: address, group: group(1)) == 40)
        #expect(otherKey.triedBucket(of: address, group: group(1)) != 40, "the key moves addresses")
        #expect(bucketing.triedBucket(of: key(Self.ipv4(250, 1, 1, 1, port: 9999)), group: group(1)) != 40, "so does the port")
        // Core's loops resolve without a port: port 0.
        let sameGroup = Set((0..<255).map { bucketing.triedBucket(of: key(Self.ipv4(250, 1, 1, UInt8($0), port: 0)), group: group(1)) })
        #expect(sameGroup.count == 8, "one /16 spreads over exactly 8 tried buckets")
        let groups = Set((0..<255).map { bucketing.triedBucket(of: key(Self.ipv4(250, UInt8($0), 1, 1, port: 0)), group: group(UInt8($0))) })
        #expect(groups.count == 160)

        #expect(bucketing.newBucket(group: group(1), sourceGroup: group(1)) == 786)
        #expect(otherKey.newBucket(group: group(1), sourceGroup: group(1)) != 786)
        let sources = Set((0..<255).map { bucketing.newBucket(group: group(1), sourceGroup: group(UInt8($0))) })
        #expect(sources.count > 64, "many source groups reach many new buckets")
    }

    @Test func groupsFollowCore() {
        let group = { (address: NetworkAddress) in AddressGroup(address).bytes }
        #expect(group(Self.ipv4(1, 2, 3, 4)) == [1, 1, 2])
        #expect(group(Self.ipv4(1, 2, 200, 7)) == group(Self.ipv4(1, 2, 3, 4)), "same /16, same group")
        #expect(group(Self.ipv4(1, 3, 3, 4)) != group(Self.ipv4(1, 2, 3, 4)))
        #expect(group(Self.ipv6([0x2a00, 0x1450, 0x4001, 0x81c, 0, 0, 0, 0x200e])) == [2, 0x2a, 0x00, 0x14, 0x50])
        #expect(group(Self.ipv6([0x2a00, 0x1450, 0xffff, 1])) == group(Self.ipv6([0x2a00, 0x1450, 1])), "same /32, same group")
        #expect(group(Self.ipv6([0x2a00, 0x1451, 1])) != group(Self.ipv6([0x2a00, 0x1450, 1])))
        #expect(group(Self.ipv6([0x2001, 0x470, 0xabcd, 1])) == [2, 0x20, 0x01, 0x04, 0x70, 0xaf], "he.net by /36")
        #expect(group(Self.ipv6([0x2002, 0x0102, 0x0304])) == [1, 1, 2], "6to4 groups as its IPv4 address")
        #expect(group(Self.ipv6([0x2001, 0, 0, 0, 0, 0, 0xfefd, 0xfcfb])) == [1, 1, 2], "Teredo, bits inverted")
        for unroutable in [Self.ipv4(127, 0, 0, 1), Self.ipv4(10, 1, 2, 3), Self.ipv6([0, 0, 0, 0, 0, 0, 0, 1]), Self.ipv6([0xfe80, 0, 0, 0, 1])] {
            #expect(group(unroutable) == [0], "local and unroutable addresses share one group")
        }
    }

    @Test func routabilityFollowsCore() {
        for address in [Self.ipv4(8, 8, 8, 8), Self.ipv4(1, 1, 1, 1), Self.ipv6([0x2a00, 0x1450, 1])] {
            #expect(address.isRoutable && address.isValid)
        }
        let unroutable = [
            Self.ipv4(127, 0, 0, 1), Self.ipv4(10, 1, 2, 3), Self.ipv4(172, 16, 0, 1), Self.ipv4(192, 168, 1, 1), Self.ipv4(100, 64, 0, 1),
            Self.ipv4(169, 254, 1, 1), Self.ipv4(198, 18, 0, 1), Self.ipv4(192, 0, 2, 1), Self.ipv4(240, 0, 0, 1), Self.ipv6([0xfe80, 0, 0, 0, 1]),
            Self.ipv6([0xfc00, 1]), Self.ipv6([0, 0, 0, 0, 0, 0, 0, 1]),
        ]
        for address in unroutable {
            #expect(!address.isRoutable && address.isValid)
        }
        let invalid = [
            Self.ipv4(0, 0, 0, 0), Self.ipv4(255, 255, 255, 255), Self.ipv6([]), Self.ipv6([0x2001, 0xdb8, 1]),
            NetworkAddress(services: [], ip: [1, 2, 3, 4], port: 1),
        ]
        for address in invalid {
            #expect(!address.isValid && !address.isRoutable)
        }
    }

    // MARK: Adding

    @Test func addCountsOnlyNewAddresses() {
        var manager = AddressManager(key: Self.coreKey)
        let (a, b, c) = (Self.ipv4(1, 2, 3, 4), Self.ipv4(5, 6, 7, 8), Self.ipv6([0x2a00, 0x1450, 1]))
        #expect(Self.add([a, b, c, a], to: &manager) == 3)
        #expect(manager.count == 3 && manager.counts == (3, 0))
        #expect(Self.add([a, b], to: &manager) == 0, "known addresses are not new")
        #expect(Self.add([Self.ipv4(1, 2, 3, 4, port: 8334)], to: &manager) == 1, "another port is another address")
        #expect(manager.count == 4 && Self.violations(manager).isEmpty)
    }

    @Test func nonRoutableRefusedUnlessAllowed() {
        let local = [Self.ipv4(127, 0, 0, 1, port: 18444), Self.ipv4(10, 0, 0, 1), Self.ipv4(192, 168, 0, 1), Self.ipv6([0, 0, 0, 0, 0, 0, 0, 1])]
        var strict = AddressManager(key: Self.coreKey)
        #expect(Self.add(local, to: &strict) == 0 && strict.count == 0)

        var regtest = AddressManager(key: Self.coreKey, allowsNonRoutable: true)
        #expect(Self.add(local, to: &regtest, source: Self.ipv4(127, 0, 0, 1)) == 4)
        #expect(Self.add([Self.ipv4(0, 0, 0, 0), Self.ipv6([]), Self.ipv4(255, 255, 255, 255)], to: &regtest) == 0, "invalid ones never")
        let moved = regtest.good(local[0], now: Self.now)
        #expect(moved && regtest.counts == (3, 1))
        var rng = SeededGenerator(seed: 3)
        #expect(regtest.select(newOnly: false, using: &rng, now: Self.now).map { local.contains($0.address) } == true)
    }

    @Test func timesFollowCoreRules() throws {
        var manager = AddressManager(key: Self.coreKey)
        var rng = SeededGenerator(seed: 1)
        let (peer, source) = (Self.ipv4(1, 2, 3, 4), Self.ipv4(5, 6, 7, 8))
        let announced = TimestampedAddress(time: UInt32(Self.now - 600), address: peer)
        _ = manager.add([announced], source: source, timePenalty: 7200, now: Self.now, using: &rng)
        #expect(try #require(manager.entry(for: peer)).time == Self.now - 600 - 7200, "penalised")

        _ = manager.add([TimestampedAddress(time: UInt32(Self.now), address: source)], source: source, timePenalty: 7200, now: Self.now, using: &rng)
        #expect(try #require(manager.entry(for: source)).time == Self.now, "a source announcing itself is not penalised")

        var later = TimestampedAddress(time: UInt32(Self.now - 60), address: peer)
        later.address.services = [.witness]
        _ = manager.add([later], source: source, timePenalty: 0, now: Self.now, using: &rng)
        let updated = try #require(manager.entry(for: peer))
        #expect(updated.time == Self.now - 60 && updated.services == [.network, .witness], "newer time and more services taken")
        _ = manager.add([TimestampedAddress(time: UInt32(Self.now - 30), address: peer)], source: source, timePenalty: 0, now: Self.now, using: &rng)
        #expect(try #require(manager.entry(for: peer)).time == Self.now - 60, "not within the hour")

        manager.connected(peer, now: Self.now + 20 * 60 + 61)
        #expect(try #require(manager.entry(for: peer)).time == Self.now + 20 * 60 + 61)
        manager.connected(peer, now: Self.now + 30 * 60)
        #expect(try #require(manager.entry(for: peer)).time == Self.now + 20 * 60 + 61, "updated at most every 20 minutes")
    }

    @Test func knownAddressesJoinAtMostEightBuckets() throws {
        var manager = AddressManager(key: Self.coreKey)
        var rng = SeededGenerator(seed: 5)
        let peer = Self.ipv4(1, 2, 3, 4)
        // The same address from 3000 source groups, each time a little newer.
        for index in 0..<3000 {
            let announced = TimestampedAddress(time: UInt32(Self.now - 100_000 + Int64(index) * 30), address: peer)
            _ = manager.add([announced], source: Self.routable(index + 1), timePenalty: 0, now: Self.now, using: &rng)
        }
        #expect(try #require(manager.entry(for: peer)).referenceCount == 8)
        #expect(manager.count == 1 && Self.violations(manager).isEmpty)
    }

    @Test func aTakenNewSlotGoesOnlyToReplaceATerribleEntry() throws {
        var manager = AddressManager(key: Self.coreKey)
        let source = Self.ipv4(9, 9, 9, 9)
        // Addresses of one /16 from one source share a new bucket; find two wanting one slot.
        let bucket = manager.bucketing.newBucket(group: AddressGroup(Self.ipv4(5, 6, 0, 1)), sourceGroup: AddressGroup(source))
        var slots: [Int: NetworkAddress] = [:]
        var pair: (NetworkAddress, NetworkAddress)?
        for index in 1..<250 where pair == nil {
            let address = Self.ipv4(5, 6, 0, UInt8(index))
            let slot = manager.newIndex(of: AddressKey(address)!, bucket: bucket)
            if let earlier = slots[slot] { pair = (earlier, address) } else { slots[slot] = address }
        }
        let (first, second) = try #require(pair)
        var rng = SeededGenerator(seed: 6)
        let add = { (manager: inout AddressManager, address: NetworkAddress, secondsAgo: Int64) in
            manager.add([Self.seen(address, secondsAgo: secondsAgo)], source: source, timePenalty: 0, now: Self.now, using: &rng)
        }
        #expect(add(&manager, first, 3600) == 1)
        #expect(add(&manager, second, 3600) == 0, "the slot's entry is worth keeping")
        #expect(manager.entry(for: first) != nil && manager.entry(for: second) == nil && manager.count == 1)

        var stale = AddressManager(key: Self.coreKey)
        #expect(add(&stale, first, 31 * 24 * 60 * 60) == 1)
        #expect(add(&stale, second, 3600) == 1, "a terrible entry gives way")
        #expect(stale.entry(for: first) == nil && stale.entry(for: second) != nil && stale.count == 1)
        #expect(Self.violations(stale).isEmpty)
    }

    // MARK: Tried table

    @Test func goodMovesToTried() throws {
        var manager = AddressManager(key: Self.coreKey)
        let (a, b) = (Self.ipv4(1, 2, 3, 4), Self.ipv4(5, 6, 7, 8))
        Self.add([a, b], to: &manager)
        manager.attempt(a, countFailure: true, now: Self.now - 100)
        let moved = manager.good(a, now: Self.now)
        #expect(moved && manager.counts == (1, 1) && manager.count == 2)
        let entry = try #require(manager.entry(for: a))
        #expect(entry.isInTried && entry.attempts == 0 && entry.lastSuccess == Self.now && entry.referenceCount == 0)
        let (again, unknown) = (manager.good(a, now: Self.now), manager.good(Self.ipv4(9, 9, 9, 1), now: Self.now))
        #expect(!again, "already tried")
        #expect(!unknown, "unknown")
        #expect(manager.counts == (1, 1) && Self.violations(manager).isEmpty)
    }

    @Test func triedCollisionEvictsToNew() throws {
        var manager = AddressManager(key: Self.coreKey)
        // Two addresses of one /16 (8 tried buckets) that want the same tried slot.
        var seenSlots: [Int: NetworkAddress] = [:]
        var pair: (NetworkAddress, NetworkAddress)?
        for index in 0..<10_000 where pair == nil {
            let address = Self.ipv4(5, 6, UInt8(index / 250), UInt8(index % 250 + 1))
            let entry = AddressEntry(key: AddressKey(address)!, services: [], time: 0, sourceGroup: AddressGroup(bytes: [0]))
            let slot = manager.triedIndex(of: entry)
            if let earlier = seenSlots[slot] { pair = (earlier, address) } else { seenSlots[slot] = address }
        }
        let (first, second) = try #require(pair)
        try #require(Self.add([first], to: &manager, source: Self.ipv4(20, 1, 1, 1)) == 1)
        try #require(Self.add([second], to: &manager, source: Self.ipv4(30, 1, 1, 1)) == 1)

        let moved = (manager.good(first, now: Self.now), manager.good(second, now: Self.now))
        #expect(moved == (true, true) && manager.counts == (1, 1))
        let evicted = try #require(manager.entry(for: first))
        #expect(!evicted.isInTried && evicted.referenceCount == 1, "the old tried entry is back in new")
        #expect(try #require(manager.entry(for: second)).isInTried)
        var rng = SeededGenerator(seed: 9)
        #expect(manager.select(newOnly: true, using: &rng, now: Self.now)?.address == first)
        #expect(Self.violations(manager).isEmpty)
    }

    // MARK: Sharing and selecting

    @Test func terribleAddressesAreNeverShared() throws {
        var manager = AddressManager(key: Self.coreKey)
        let day: Int64 = 24 * 60 * 60
        let fresh = Self.ipv4(1, 1, 1, 1), stale = Self.ipv4(2, 2, 2, 2), future = Self.ipv4(3, 3, 3, 3)
        let threeFailures = Self.ipv4(4, 4, 4, 4), twoFailures = Self.ipv4(5, 5, 5, 5)
        let tenFailures = Self.ipv4(6, 6, 6, 6), nineFailures = Self.ipv4(7, 7, 7, 7), staleButJustTried = Self.ipv4(8, 8, 8, 8)
        var rng = SeededGenerator(seed: 11)
        let announced = [
            Self.seen(fresh), Self.seen(stale, secondsAgo: 31 * day), Self.seen(future, secondsAgo: -3600), Self.seen(threeFailures),
            Self.seen(twoFailures), Self.seen(tenFailures), Self.seen(nineFailures), Self.seen(staleButJustTried, secondsAgo: 31 * day),
        ]
        #expect(manager.add(announced, source: .unspecified, timePenalty: 0, now: Self.now, using: &rng) == 8)
        Self.fail(threeFailures, times: 3, in: &manager, at: Self.now - 1000)
        Self.fail(twoFailures, times: 2, in: &manager, at: Self.now - 1000)
        for (address, failures) in [(tenFailures, 10), (nineFailures, 9)] {
            manager.good(address, now: Self.now - 8 * day)
            Self.fail(address, times: failures, in: &manager, at: Self.now - 1000)
        }
        manager.attempt(staleButJustTried, countFailure: false, now: Self.now - 30)

        let terrible: Set = [stale, future, threeFailures, tenFailures]
        for address in announced.map(\.address) {
            #expect(try #require(manager.entry(for: address)).isTerrible(now: Self.now) == terrible.contains(address))
        }
        for seed in 0..<20 as Range<UInt64> {
            var rng = SeededGenerator(seed: seed)
            let shared = manager.addresses(maxCount: 0, maxPercent: 0, using: &rng, now: Self.now).map(\.address)
            #expect(Set(shared) == [fresh, twoFailures, nineFailures, staleButJustTried] && shared.count == 4)
        }
    }

    @Test func addressesRespectsLimits() {
        var manager = AddressManager(key: Self.coreKey)
        let known = (0..<1000).map(Self.routable)
        Self.add(known, to: &manager)
        let stored = Set(manager.entries.values.map(\.address))
        #expect(manager.count > 900, "few lost to new-slot collisions")
        var rng = SeededGenerator(seed: 2)
        let sample = { (maxCount: Int, maxPercent: Int) in manager.addresses(maxCount: maxCount, maxPercent: maxPercent, using: &rng, now: Self.now) }
        #expect(sample(0, 0).count == manager.count)
        #expect(sample(10, 0).count == 10)
        #expect(sample(0, 23).count == 23 * manager.count / 100)
        #expect(sample(1000, 23).count == 23 * manager.count / 100)
        #expect(sample(5, 23).count == 5)
        let drawn = sample(100, 0)
        #expect(Set(drawn.map(\.address)).count == 100 && drawn.allSatisfy { stored.contains($0.address) })
        #expect(Set(sample(100, 0).map(\.address)) != Set(drawn.map(\.address)), "a random sample")
    }

    @Test func selectReturnsOnlyKnownAddresses() {
        var manager = AddressManager(key: Self.coreKey)
        var rng = SeededGenerator(seed: 4)
        #expect(manager.select(newOnly: false, using: &rng, now: Self.now) == nil, "empty")
        let known = (0..<60).map(Self.routable)
        Self.add(known, to: &manager)
        for address in known.prefix(10) { manager.good(address, now: Self.now - 3600) }
        #expect(manager.counts == (50, 10))
        let tried = Set(manager.entries.values.filter(\.isInTried).map(\.address))

        var fromTried = 0
        for _ in 0..<400 {
            guard let (address, _) = manager.select(newOnly: false, using: &rng, now: Self.now) else {
                Issue.record("nothing selected")
                return
            }
            #expect(known.contains(address))
            if tried.contains(address) { fromTried += 1 }
        }
        #expect((120...280).contains(fromTried), "tried and new with even odds: \(fromTried) of 400")
        for _ in 0..<200 {
            let selected = manager.select(newOnly: true, using: &rng, now: Self.now)
            #expect(selected.map { known.contains($0.address) && !tried.contains($0.address) } == true)
        }

        var onlyTried = AddressManager(key: Self.coreKey)
        Self.add([known[0]], to: &onlyTried)
        onlyTried.good(known[0], now: Self.now - 100)
        #expect(onlyTried.select(newOnly: true, using: &rng, now: Self.now) == nil, "nothing new")
        let selected = onlyTried.select(newOnly: false, using: &rng, now: Self.now)
        #expect(selected?.address == known[0] && selected?.lastTry == Self.now - 100)
    }

    @Test func selectPrefersAddressesNotTriedRecently() {
        var manager = AddressManager(key: Self.coreKey)
        let (rested, busy) = (Self.ipv4(1, 2, 3, 4), Self.ipv4(5, 6, 7, 8))
        Self.add([rested, busy], to: &manager)
        manager.attempt(busy, countFailure: false, now: Self.now - 60)
        var rng = SeededGenerator(seed: 8)
        let picks = (0..<300).compactMap { _ in manager.select(newOnly: false, using: &rng, now: Self.now)?.address }
        #expect(picks.filter { $0 == busy }.count < 60, "an address tried a minute ago has 1% of the chance at first")
    }

    // MARK: Anti-eclipse

    @Test func oneSourceGroupFillsFewNewBuckets() {
        let addresses = (0..<4000).map(Self.routable)
        func buckets(_ manager: AddressManager) -> Set<Int> {
            Set(manager.newTable.indices.filter { manager.newTable[$0] >= 0 }.map { $0 / AddressBucketing.bucketSize })
        }
        var oneGroup = AddressManager(key: Self.coreKey)
        for (index, address) in addresses.enumerated() {
            // Sources all in 9.9.0.0/16.
            Self.add([address], to: &oneGroup, source: Self.ipv4(9, 9, UInt8(index % 250), UInt8(index / 250 + 1)))
        }
        #expect(buckets(oneGroup).count <= 64)
        #expect(oneGroup.count <= 64 * 64, "so it can hold at most 64 buckets' worth")

        var manyGroups = AddressManager(key: Self.coreKey)
        for (index, address) in addresses.enumerated() {
            Self.add([address], to: &manyGroups, source: Self.ipv4(UInt8(11 + index % 80), UInt8(index / 80 + 1), 1, 1))
        }
        #expect(buckets(manyGroups).count > 500)
        #expect(manyGroups.count > oneGroup.count)
    }

    // MARK: Saving

    @Test func serializationRoundTrips() throws {
        var original = Self.populated()
        #expect(original.counts.tried > 30 && original.counts.new > 200 && Self.violations(original).isEmpty)
        let bytes = original.serialized()
        var loaded = try AddressManager(serialized: bytes)
        #expect(loaded.counts == original.counts && loaded.count == original.count && loaded.key == original.key)
        #expect(loaded.serialized() == bytes)
        let (originalLayout, loadedLayout) = (Self.layout(original), Self.layout(loaded))
        #expect(originalLayout.new == loadedLayout.new && originalLayout.tried == loadedLayout.tried)
        for entry in original.entries.values {
            #expect(loaded.entry(for: entry.address) == entry)
        }
        #expect(Self.violations(loaded).isEmpty)

        for seed in 0..<5 as Range<UInt64> {
            var (rngA, rngB) = (SeededGenerator(seed: seed), SeededGenerator(seed: seed))
            for _ in 0..<50 {
                let (a, b) = (original.select(newOnly: false, using: &rngA, now: Self.now), loaded.select(newOnly: false, using: &rngB, now: Self.now))
                #expect(a?.address == b?.address && a?.lastTry == b?.lastTry)
            }
            #expect(
                original.addresses(maxCount: 50, maxPercent: 23, using: &rngA, now: Self.now)
                    == loaded.addresses(maxCount: 50, maxPercent: 23, using: &rngB, now: Self.now))
        }
        // And they go on alike (ids differ after loading; behaviour must not).
        let more = (5000..<5300).map(Self.routable)
        Self.add(more, to: &original, seed: 99)
        Self.add(more, to: &loaded, seed: 99)
        for address in more.prefix(40) {
            original.good(address, now: Self.now)
            loaded.good(address, now: Self.now)
        }
        #expect(original.serialized() == loaded.serialized())
    }

    @Test func nonRoutableEntriesAreDroppedWhenNotAllowed() throws {
        var regtest = AddressManager(key: Self.coreKey, allowsNonRoutable: true)
        Self.add([Self.ipv4(127, 0, 0, 1, port: 18444), Self.ipv4(1, 2, 3, 4)], to: &regtest)
        let bytes = regtest.serialized()
        #expect(try AddressManager(serialized: bytes, allowsNonRoutable: true).count == 2)
        let strict = try AddressManager(serialized: bytes)
        #expect(strict.count == 1 && strict.entry(for: Self.ipv4(1, 2, 3, 4)) != nil && Self.violations(strict).isEmpty)
    }

    @Test func damagedBooksThrow() throws {
        var small = AddressManager(key: Self.coreKey)
        Self.add([Self.ipv4(1, 2, 3, 4), Self.ipv4(5, 6, 7, 8)], to: &small)
        small.good(Self.ipv4(1, 2, 3, 4), now: Self.now)
        let bytes = small.serialized()

        for length in 0..<bytes.count {
            #expect(throws: AddressBookError.self) { try AddressManager(serialized: Array(bytes.prefix(length))) }
        }
        var wrongMagic = bytes
        wrongMagic[0] ^= 1
        #expect(throws: AddressBookError.notAnAddressBook) { try AddressManager(serialized: wrongMagic) }
        var nextVersion = bytes
        nextVersion[4] = 2
        #expect(throws: AddressBookError.unsupportedVersion(2)) { try AddressManager(serialized: nextVersion) }
        var flipped = bytes
        flipped[60] ^= 0x40
        #expect(throws: AddressBookError.checksumMismatch) { try AddressManager(serialized: flipped) }

        // Past the checksum: a count the bytes cannot hold, an address twice, a time out of range.
        let header = Array(bytes.prefix(4 + 1 + 32 + 8))
        let hugeCount = Self.resealed(header + [0xfe, 0xff, 0xff, 0xff, 0xff] + [UInt8](repeating: 0, count: 32))
        #expect(throws: AddressBookError.self) { try AddressManager(serialized: hugeCount) }
        var one = AddressManager(key: Self.coreKey)
        Self.add([Self.ipv4(1, 2, 3, 4)], to: &one)
        let oneBytes = one.serialized()
        let entryBytes = Array(oneBytes[(header.count + 1)..<(oneBytes.count - 32)])
        let twice = Self.resealed(header + [2] + entryBytes + entryBytes + [UInt8](repeating: 0, count: 32))
        #expect(throws: AddressBookError.inconsistent("an address is stored twice")) { try AddressManager(serialized: twice) }
        var farFuture = entryBytes
        farFuture[16 + 2 + 8 + 7] = 0x7f  // the time's top byte
        let badTime = Self.resealed(header + [1] + farFuture + [UInt8](repeating: 0, count: 32))
        #expect(throws: AddressBookError.malformed(.invalid("time \(Int64(0x7f) << 56 | Int64(Self.now - 3600)) out of range"))) {
            try AddressManager(serialized: badTime)
        }
    }

    @Test func fuzzedBooksThrowOrLoadSound() {
        let bytes = Self.populated(count: 60).serialized()
        var rng = SeededGenerator(seed: 2024)
        var (rejected, loaded) = (0, 0)
        for round in 0..<3000 {
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                guard !mutated.isEmpty else { break }
                let position = Int.random(in: 0..<mutated.count, using: &rng)
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: mutated[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                case 1: mutated[position] = UInt8.random(in: 0...255, using: &rng)
                case 2: mutated.removeSubrange(position...)
                case 3: mutated.insert(contentsOf: (0..<Int.random(in: 1...9, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: position)
                default: mutated.removeSubrange(position..<min(mutated.count, position + Int.random(in: 1...70, using: &rng)))
                }
            }
            // Most rounds get a matching checksum, so the parser behind it is exercised.
            if round % 4 != 0 && mutated.count >= 37 { mutated = Self.resealed(mutated) }
            do {
                var manager = try AddressManager(serialized: mutated)
                loaded += 1
                #expect(Self.violations(manager).isEmpty)
                // Whatever loaded must also work.
                _ = manager.addresses(maxCount: 0, maxPercent: 0, using: &rng, now: Self.now)
                _ = manager.select(newOnly: false, using: &rng, now: Self.now)
                _ = manager.add([Self.seen(Self.ipv4(1, 2, 3, 4))], source: .unspecified, timePenalty: 0, now: Self.now, using: &rng)
                manager.good(Self.ipv4(1, 2, 3, 4), now: Self.now)
                #expect(Self.violations(manager).isEmpty)
            } catch {
                rejected += 1
            }
        }
        #expect(rejected > 2000 && loaded > 0 && rejected + loaded == 3000)
    }
}
