import ChainCrypto
import P2PWire

/// The addresses a node knows of, kept as Bitcoin Core's `addrman` keeps them: a "new" table of
/// 1024 buckets of 64 slots for addresses heard of, and a "tried" table of 256 buckets of 64
/// slots for addresses we once connected to. Where an address may go is derived from a secret
/// key and from its network group and, in the new table, the group of the peer that told us
/// (`AddressBucketing`), so one peer or one operator can only ever fill a few buckets: the
/// defence against eclipse attacks.
///
/// A pure value: no I/O, no clock (every time is passed in, in seconds since 1970), and every
/// random choice drawn from the generator passed in.
public struct AddressManager: Sendable {
    /// In how many new buckets one address may be at most (Core's `ADDRMAN_NEW_BUCKETS_PER_ADDRESS`).
    static let newBucketsPerAddress = 8
    /// The most entries the two tables can hold.
    static let capacity = (AddressBucketing.newBucketCount + AddressBucketing.triedBucketCount) * AddressBucketing.bucketSize

    /// Whether addresses that are valid but not publicly routable (127.0.0.1, 10.0.0.0/8, ...)
    /// are kept. Core never keeps them; regtest nodes talking over loopback need them.
    public let allowsNonRoutable: Bool
    let bucketing: AddressBucketing

    var entries: [Int: AddressEntry] = [:]
    var ids: [AddressKey: Int] = [:]
    /// Every id once, in the order `addresses(...)` shuffles from (Core's `vRandom`).
    var randomOrder: [Int] = []
    /// `newBucketCount * bucketSize` slots, bucket-major; -1 when empty.
    var newTable = [Int](repeating: -1, count: AddressBucketing.newBucketCount * AddressBucketing.bucketSize)
    /// `triedBucketCount * bucketSize` slots, bucket-major; -1 when empty.
    var triedTable = [Int](repeating: -1, count: AddressBucketing.triedBucketCount * AddressBucketing.bucketSize)
    var nextID = 0
    var newCount = 0
    var triedCount = 0
    /// When `good` was last called; failed attempts count once per success (Core's `nLastGood`).
    var lastGood: Int64 = 1

    /// An empty manager whose bucket positions derive from `key` (keep it secret, and keep it
    /// with the tables: `serialized()` does). With `allowsNonRoutable`, addresses that are valid
    /// but not publicly routable are kept too; use it only for local test networks.
    public init(key: Hash256, allowsNonRoutable: Bool = false) {
        bucketing = AddressBucketing(key: key)
        self.allowsNonRoutable = allowsNonRoutable
    }

    /// The secret key the bucket positions derive from.
    public var key: Hash256 { bucketing.key }

    /// How many addresses are in each table.
    public var counts: (new: Int, tried: Int) { (newCount, triedCount) }

    /// How many addresses are known.
    public var count: Int { entries.count }

    /// Whether an address may enter the tables.
    func accepts(_ address: NetworkAddress) -> Bool {
        allowsNonRoutable ? address.isValid : address.isRoutable
    }

    /// The id of `address`'s entry, if it is known.
    func id(of address: NetworkAddress) -> Int? {
        AddressKey(address).flatMap { ids[$0] }
    }

    /// What is known of `address`.
    func entry(for address: NetworkAddress) -> AddressEntry? {
        id(of: address).flatMap { entries[$0] }
    }

    // MARK: Adding

    /// Adds the addresses `source` told us of (in `addr`, or `source` is unspecified for seeds),
    /// as Core's `AddrMan::Add`, and returns how many were not known before. Addresses not
    /// accepted (see `allowsNonRoutable`) are ignored. A new address's time is set back by
    /// `timePenalty` seconds, unless it is the source announcing itself. A known address gains
    /// the services it is announced with and, if announced as seen well after its time, the
    /// newer time; if it is still in the new table and in fewer than 8 buckets, this source's
    /// bucket is added with chance 1/2^n (n the buckets it is in). A taken slot is given up
    /// only by a terrible entry (or one in several buckets, to an address in none).
    public mutating func add(
        _ addresses: [TimestampedAddress], source: NetworkAddress, timePenalty: Int64, now: Int64,
        using rng: inout some RandomNumberGenerator
    ) -> Int {
        let sourceGroup = AddressGroup(source)
        var added = 0
        for address in addresses {
            if add(address, source: source, sourceGroup: sourceGroup, timePenalty: timePenalty, now: now, using: &rng) { added += 1 }
        }
        return added
    }

    /// Core's `AddSingle`; true when the address was new and is now stored.
    private mutating func add(
        _ announced: TimestampedAddress, source: NetworkAddress, sourceGroup: AddressGroup, timePenalty: Int64, now: Int64,
        using rng: inout some RandomNumberGenerator
    ) -> Bool {
        guard accepts(announced.address), let key = AddressKey(announced.address) else { return false }
        let time = Int64(announced.time)
        // Times are 32-bit; a larger penalty means the same as this one.
        let penalty = announced.address.ip == source.ip ? 0 : min(max(timePenalty, 0), Int64(UInt32.max))
        if let id = ids[key], var entry = entries[id] {
            let currentlyOnline = now - time < 24 * 60 * 60
            let updateInterval: Int64 = currentlyOnline ? 60 * 60 : 24 * 60 * 60
            if entry.time < time - updateInterval - penalty {
                entry.time = max(0, time - penalty)
            }
            entry.services.formUnion(announced.address.services)
            entries[id] = entry
            guard time > entry.time, !entry.isInTried, entry.referenceCount < Self.newBucketsPerAddress else { return false }
            if entry.referenceCount > 0, Int.random(in: 0..<(1 << entry.referenceCount), using: &rng) != 0 { return false }
            _ = placeInNew(id, sourceGroup: sourceGroup, now: now)
            return false
        }
        let id = insert(AddressEntry(key: key, services: announced.address.services, time: max(0, time - penalty), sourceGroup: sourceGroup))
        newCount += 1
        if placeInNew(id, sourceGroup: sourceGroup, now: now) { return true }
        delete(id)
        return false
    }

    /// Puts entry `id` into the new slot its address and `sourceGroup` give, unless that slot
    /// holds it already or holds an entry worth keeping; true if it did.
    private mutating func placeInNew(_ id: Int, sourceGroup: AddressGroup, now: Int64) -> Bool {
        guard let entry = entries[id] else { return false }
        let bucket = bucketing.newBucket(group: entry.group, sourceGroup: sourceGroup)
        let index = newIndex(of: entry.key, bucket: bucket)
        let occupant = newTable[index]
        guard occupant != id else { return false }
        if occupant >= 0, let existing = entries[occupant],
            !(existing.isTerrible(now: now) || (existing.referenceCount > 1 && entry.referenceCount == 0))
        {
            return false
        }
        clearNew(at: index)
        newTable[index] = id
        entries[id]?.referenceCount += 1
        return true
    }

    // MARK: Outcomes of connections

    /// We completed a connection to `address` at `now` (Core's `Good`): its failures are
    /// forgotten and, if it was new, it moves to the tried table; true if it moved. Should its
    /// tried slot be taken, the entry there goes back to the new table. (Core instead records
    /// the collision and evicts only after a test connection to the old entry fails; we skip
    /// that test.) Its time is left alone, so that `addr` does not reveal our connections.
    @discardableResult
    public mutating func good(_ address: NetworkAddress, now: Int64) -> Bool {
        lastGood = now
        guard let id = id(of: address), var entry = entries[id] else { return false }
        entry.lastSuccess = now
        entry.lastTry = now
        entry.attempts = 0
        entries[id] = entry
        guard !entry.isInTried, entry.referenceCount > 0 else { return false }
        makeTried(id)
        return true
    }

    /// We tried to connect to `address` at `now` (Core's `Attempt`); with `countFailure`, a
    /// failure counts against it, at most once between two successes with any address.
    public mutating func attempt(_ address: NetworkAddress, countFailure: Bool, now: Int64) {
        guard let id = id(of: address), var entry = entries[id] else { return }
        entry.lastTry = now
        if countFailure && entry.lastCountAttempt < lastGood {
            entry.lastCountAttempt = now
            entry.attempts += 1
        }
        entries[id] = entry
    }

    /// We are connected to `address` at `now` (Core's `Connected`, called when the connection
    /// ends): its time becomes `now` if it is more than 20 minutes older.
    public mutating func connected(_ address: NetworkAddress, now: Int64) {
        guard let id = id(of: address), let entry = entries[id] else { return }
        if now - entry.time > 20 * 60 {
            entries[id]?.time = now
        }
    }

    // MARK: Table upkeep

    /// Moves new entry `id` out of all its new slots into its tried slot, sending the entry
    /// there (if any) back to the new table (Core's `MakeTried`).
    private mutating func makeTried(_ id: Int) {
        guard var entry = entries[id] else { return }
        // Its new slots, searched from the bucket of its first source on.
        let start = bucketing.newBucket(group: entry.group, sourceGroup: entry.sourceGroup)
        for step in 0..<AddressBucketing.newBucketCount {
            if entry.referenceCount == 0 { break }
            let index = newIndex(of: entry.key, bucket: (start + step) % AddressBucketing.newBucketCount)
            if newTable[index] == id {
                newTable[index] = -1
                entry.referenceCount -= 1
            }
        }
        newCount -= 1
        entry.referenceCount = 0

        let triedIndex = triedIndex(of: entry)
        let evicted = triedTable[triedIndex]
        if evicted >= 0, var old = entries[evicted] {
            old.isInTried = false
            triedCount -= 1
            let index = newIndex(of: old.key, bucket: bucketing.newBucket(group: old.group, sourceGroup: old.sourceGroup))
            clearNew(at: index)
            old.referenceCount = 1
            entries[evicted] = old
            newTable[index] = evicted
            newCount += 1
        }
        triedTable[triedIndex] = id
        triedCount += 1
        entry.isInTried = true
        entries[id] = entry
    }

    /// Empties new slot `index`, deleting its entry if that was its last slot (Core's `ClearNew`).
    private mutating func clearNew(at index: Int) {
        let id = newTable[index]
        guard id >= 0 else { return }
        newTable[index] = -1
        entries[id]?.referenceCount -= 1
        if entries[id]?.referenceCount == 0 {
            delete(id)
        }
    }

    /// Stores a new entry under a fresh id, last in the random order.
    mutating func insert(_ entry: AddressEntry) -> Int {
        let id = nextID
        nextID += 1
        var entry = entry
        entry.randomPosition = randomOrder.count
        randomOrder.append(id)
        ids[entry.key] = id
        entries[id] = entry
        return id
    }

    /// Forgets new entry `id`, which is in no slot (Core's `Delete`).
    private mutating func delete(_ id: Int) {
        guard let entry = entries.removeValue(forKey: id) else { return }
        ids[entry.key] = nil
        if let last = randomOrder.popLast(), last != id {
            randomOrder[entry.randomPosition] = last
            entries[last]?.randomPosition = entry.randomPosition
        }
        newCount -= 1
    }

    /// The index in `newTable` of `address`'s slot in `bucket`.
    func newIndex(of address: AddressKey, bucket: Int) -> Int {
        bucket * AddressBucketing.bucketSize + bucketing.slot(of: address, bucket: bucket, inNewTable: true)
    }

    /// The index in `triedTable` of the entry's tried slot.
    func triedIndex(of entry: AddressEntry) -> Int {
        let bucket = bucketing.triedBucket(of: entry.key, group: entry.group)
        return bucket * AddressBucketing.bucketSize + bucketing.slot(of: entry.key, bucket: bucket, inNewTable: false)
    }
}
