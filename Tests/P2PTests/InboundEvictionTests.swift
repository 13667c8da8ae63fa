import Testing
@testable import P2P
@testable import P2PWire

/// Core's choice of an inbound peer to drop for a newcomer: the useful ones are protected, the
/// youngest of the most crowded network group goes, and nobody when all are protected.
@Suite struct InboundEvictionTests {
    static func group(_ second: UInt8) -> AddressGroup {
        AddressGroup(NetworkAddress(services: [], ipv4: (8, second, 0, 1), port: 8333))
    }

    /// Peer `id` connected at 1,000 + id (higher ids are younger), in group 1 unless listed.
    static func candidate(_ id: Int, ping: Int64 = 100, block: Int64 = 0, transaction: Int64 = 0, relays: Bool = true, group: UInt8 = 1)
        -> InboundEviction.Candidate {
        InboundEviction.Candidate(
            id: id, connectedAt: 1_000 + Int64(id), minimumPing: ping, lastBlockTime: block, lastTransactionTime: transaction,
            relaysTransactions: relays, group: Self.group(group), groupKey: UInt64(group))
    }

    @Test func nobodyIsEvictedWhileEveryoneIsProtected() {
        // Twelve peers: 4 protected by group, 8 by ping.
        let few = (0..<12).map { Self.candidate($0, ping: Int64($0), group: UInt8($0)) }
        #expect(InboundEviction.select(from: few) == nil)
    }

    @Test func theYoungestOfTheMostCrowdedUnprotectedGroupGoes() throws {
        var peers: [InboundEviction.Candidate] = []
        for id in 0..<8 { peers.append(Self.candidate(id, ping: 1, group: 2)) }  // fastest pings
        for id in 8..<12 { peers.append(Self.candidate(id, transaction: 5_000, group: 3)) }  // sent new transactions
        for id in 12..<16 { peers.append(Self.candidate(id, block: 5_000, group: 4)) }  // sent new blocks
        for id in 16..<20 { peers.append(Self.candidate(id, group: 9)) }  // the highest group key: protected by group
        for id in 20..<40 { peers.append(Self.candidate(id, group: id < 36 ? 1 : 5)) }  // the rest: 16 in group 1, 4 in group 5
        let victim = try #require(InboundEviction.select(from: peers))
        #expect(!(0..<20).contains(victim), "protected peers stay")
        // Of 20..39 the older half is protected (20..29); the most crowded group left is group 1
        // (30..35), whose youngest is 35.
        #expect(victim == 35)
    }

    @Test func blockRelayPeersThatSendBlocksAreProtected() throws {
        var peers = (0..<24).map { Self.candidate($0, ping: Int64(1_000 - $0), group: UInt8($0 % 6)) }
        // The youngest peer is block-relay-only and just sent a new block.
        peers.append(Self.candidate(99, block: 9_999, relays: false, group: 0))
        let victim = try #require(InboundEviction.select(from: peers))
        #expect(victim != 99)
    }
}
