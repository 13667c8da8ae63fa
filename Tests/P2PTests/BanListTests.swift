import Foundation
import IPAddressing
import Testing
@testable import P2P
import P2PWire

/// Bans as Core keeps them: subnets with expiry, `banlist.json` round trips, discouragement
/// that spares local addresses, and a hostile file that cannot trap.
@Suite struct BanListTests {
    func ip(_ text: String) -> [UInt8] {
        guard let bytes = IPSubnet.parseAddress(text) else { return [] }
        return NetworkAddress(services: [], addressBytes: bytes, port: 0).ip
    }

    @Test func subnetsBanUntilTheyExpire() throws {
        var list = BanList()
        let subnet = try #require(IPSubnet("10.1.0.0/16"))
        list.ban(subnet, now: 100, until: 200)
        #expect(list.isBanned(ip("10.1.77.3"), now: 150))
        #expect(!list.isBanned(ip("10.2.0.1"), now: 150))
        #expect(!list.isBanned(ip("10.1.77.3"), now: 200), "expired at its end")
        // A shorter ban does not cut a longer one short.
        list.ban(subnet, now: 120, until: 180)
        #expect(list.entries(now: 150).map(\.until) == [200])
        let single = try #require(IPSubnet("2001:db8::1"))
        list.ban(single, now: 130, until: 1_000)
        #expect(list.isBanned(ip("2001:db8::1"), now: 150) && !list.isBanned(ip("2001:db8::2"), now: 150))
        #expect(list.entries(now: 150).map(\.subnet.description) == ["10.1.0.0/16", "2001:db8::1/128"])
        #expect(list.sweep(now: 500) && list.entries(now: 500).count == 1)
        #expect(list.unban(single) && !list.unban(single))
    }

    @Test func theFileRoundTripsInCoresForm() throws {
        var list = BanList()
        list.ban(try #require(IPSubnet("192.168.0.7")), now: 1_000, until: 90_000)
        list.ban(try #require(IPSubnet("fd00::/8")), now: 2_000, until: 80_000)
        let data = list.fileContents(now: 5_000)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let nets = try #require(json["banned_nets"] as? [[String: Any]])
        #expect(nets.map { $0["address"] as? String } == ["192.168.0.7/32", "fd00::/8"])
        #expect(nets.map { $0["banned_until"] as? Int } == [90_000, 80_000] && nets.allSatisfy { $0["version"] as? Int == 1 })
        let loaded = try BanList(fileContents: data)
        #expect(loaded.entries(now: 5_000) == list.entries(now: 5_000))
        // An entry that does not parse is skipped and counted; a file that is not JSON throws.
        let odd = Data(#"{"banned_nets":[{"version":1,"ban_created":1,"banned_until":9,"address":"not-an-ip"}]}"#.utf8)
        #expect(try BanList(fileContents: odd).skipped == 1)
        #expect(throws: (any Error).self) { try BanList(fileContents: Data([0xff, 0x00, 0x7b])) }
    }

    @Test func discouragementSparesLocalAddresses() {
        var list = BanList()
        list.discourage(ip("127.0.0.1"))
        list.discourage(ip("::1"))
        list.discourage(ip("8.8.4.4"))
        #expect(!list.isDiscouraged(ip("127.0.0.1")) && !list.isDiscouraged(ip("::1")))
        #expect(list.isDiscouraged(ip("8.8.4.4")) && !list.isDiscouraged(ip("8.8.8.8")))
        #expect(!list.isBanned(ip("8.8.4.4"), now: 0), "discouraged is not banned")
    }
}
