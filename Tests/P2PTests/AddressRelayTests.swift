import Testing
@testable import P2P
@testable import P2PWire

/// Core's address relay rules without I/O: the token bucket, time fixing, forwarding of small
/// fresh announcements to two peers, `getaddr` answered once and only to inbound peers.
@Suite struct AddressRelayTests {
    static let now: Int64 = 1_700_000_000

    func entry(_ last: UInt8, time: Int64 = now, third: UInt8 = 0) -> TimestampedAddress {
        TimestampedAddress(time: UInt32(time), address: NetworkAddress(services: [.network], ipv4: (8, 8, third, last), port: 8333))
    }

    @Test func aPeerGetsOneTokenThenOneEveryTenSecondsOrAThousandWhenAsked() {
        var relay = AddressRelay<Int>(salt: (1, 2))
        relay.connected(1, inbound: true, now: Self.now)
        let burst = relay.received((0..<5).map { entry($0) }, from: 1, now: Self.now)
        #expect(burst.accepted.count == 1 && burst.rateLimited == 4)
        // 100 s later: 10 more tokens.
        let later = relay.received((0..<20).map { entry($0, third: 1) }, from: 1, now: Self.now + 100)
        #expect(later.accepted.count == 10 && later.rateLimited == 10)
        // After we ask, its answer of 1,000 passes.
        relay.askedForAddresses(1)
        let answer = relay.received((0..<1_000).map { entry(UInt8($0 % 256), third: UInt8(2 + $0 / 256)) }, from: 1, now: Self.now + 100)
        #expect(answer.accepted.count == 1_000 && answer.rateLimited == 0)
    }

    @Test func oddTimesAreDatedFiveDaysBack() {
        var relay = AddressRelay<Int>(salt: (1, 2))
        relay.connected(1, inbound: false, now: Self.now)
        relay.askedForAddresses(1)
        let outcome = relay.received([entry(1, time: Self.now + 3_600), entry(2, time: 50), entry(3, time: Self.now - 60)], from: 1, now: Self.now)
        #expect(outcome.accepted.map(\.time) == [UInt32(Self.now - 5 * 86_400), UInt32(Self.now - 5 * 86_400), UInt32(Self.now - 60)])
    }

    @Test func smallFreshAnnouncementsGoToTwoOtherPeersOnce() {
        var relay = AddressRelay<Int>(salt: (7, 9))
        for peer in 1...5 { relay.connected(peer, inbound: true, now: Self.now) }
        let fresh = relay.received([entry(1)], from: 1, now: Self.now)
        #expect(fresh.forwards.count == 2 && fresh.forwards[1] == nil && fresh.forwards.values.allSatisfy { $0 == [entry(1)] })
        // The same address again (from another peer) goes to peers that do not know it yet.
        let again = relay.received([entry(1)], from: 2, now: Self.now)
        #expect(!again.forwards.isEmpty && Set(again.forwards.keys).isDisjoint(with: Set(fresh.forwards.keys)) && again.forwards[2] == nil)
        // Old ones and big messages are not forwarded (tokens refill at 0.1 a second).
        #expect(relay.received([entry(9, time: Self.now - 3_600)], from: 3, now: Self.now).forwards.isEmpty)
        #expect(relay.received((0..<11).map { entry($0, third: 7) }, from: 3, now: Self.now + 200).forwards.isEmpty)
    }

    @Test func answersToOurGetaddrAndUnroutableAddressesStayHere() {
        var relay = AddressRelay<Int>(salt: (7, 9))
        for peer in 1...4 { relay.connected(peer, inbound: false, now: Self.now) }
        relay.askedForAddresses(1)
        let answer = relay.received([entry(1), entry(2)], from: 1, now: Self.now)
        #expect(answer.accepted.count == 2 && answer.forwards.isEmpty, "the answer to our getaddr")
        let later = relay.received([entry(3)], from: 1, now: Self.now + 20)
        #expect(!later.forwards.isEmpty, "after the answer, announcements are relayed again")
        let local = TimestampedAddress(time: UInt32(Self.now), address: NetworkAddress(services: [.network], ipv4: (127, 0, 0, 1), port: 18444))
        #expect(relay.received([local], from: 2, now: Self.now).forwards.isEmpty, "not routable")
        var regtest = AddressRelay<Int>(salt: (7, 9), forwardsNonRoutable: true)
        for peer in 1...3 { regtest.connected(peer, inbound: true, now: Self.now) }
        #expect(!regtest.received([local], from: 1, now: Self.now).forwards.isEmpty, "kept for local test networks")
    }

    @Test func getaddrIsAnsweredOnceAndOnlyToInboundPeers() {
        var relay = AddressRelay<Int>(salt: (1, 2))
        relay.connected(1, inbound: true, now: Self.now)
        relay.connected(2, inbound: false, now: Self.now)
        #expect(relay.answersGetaddr(from: 1) && !relay.answersGetaddr(from: 1))
        #expect(!relay.answersGetaddr(from: 2) && !relay.answersGetaddr(from: 3))
    }
}
