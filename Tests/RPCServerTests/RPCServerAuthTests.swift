import Foundation
import IPAddressing
import JSONRPC
import RPCClient
import RPCServer
import Testing

@Suite struct RPCServerAuthTests {
    @Test func cookieIsWrittenOwnerOnlyAndAcceptedThenDeleted() async throws {
        let server = try await TestServer.start()
        let cookie = try String(contentsOfFile: server.cookiePath, encoding: .utf8)
        #expect(cookie.hasPrefix("__cookie__:"))
        #expect(cookie.dropFirst("__cookie__:".count).count == 64)
        let password = cookie.dropFirst("__cookie__:".count)
        #expect(password.allSatisfy { $0.isHexDigit })
        let attributes = try FileManager.default.attributesOfItem(atPath: server.cookiePath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let response = try await server.post(#"{"method":"whoami","id":1}"#, authorization: try server.cookieAuthorization())
        #expect(response.status == 200)
        #expect(response.text == "{\"result\":{\"user\":\"__cookie__\",\"wallet\":null},\"error\":null,\"id\":1}\n")
        #expect(response.header("Content-Type") == "application/json")
        try await server.stop()
        #expect(!FileManager.default.fileExists(atPath: server.cookiePath))
    }

    @Test func userAndPasswordAreAcceptedAndNoCookieIsWritten() async throws {
        let server = try await TestServer.start(
            authentication: RPCAuthConfiguration(user: "alice", password: "pw", cookiePath: nil))
        #expect(!FileManager.default.fileExists(atPath: server.cookiePath))
        let ok = try await server.post(#"{"method":"uptime","id":1}"#, authorization: TestServer.basic("alice", "pw"))
        #expect(ok.status == 200)
        #expect(ok.text == "{\"result\":42,\"error\":null,\"id\":1}\n")
        for wrong in [TestServer.basic("alice", "px"), TestServer.basic("bob", "pw"), "Basic !!!", "Bearer x", TestServer.basic("alice", "")] {
            let refused = try await server.post(#"{"method":"uptime","id":1}"#, authorization: wrong)
            #expect(refused.status == 401, "\(wrong)")
            #expect(refused.header("WWW-Authenticate") == "Basic realm=\"jsonrpc\"")
        }
        let missing = try await server.post(#"{"method":"uptime","id":1}"#, authorization: nil)
        #expect(missing.status == 401)
        #expect(missing.header("WWW-Authenticate") == "Basic realm=\"jsonrpc\"")
        try await server.stop()
    }

    @Test func rpcauthLinesFromRpcauthPyAreAccepted() async throws {
        // From share/rpcauth/rpcauth.py's algorithm: hex(HMAC-SHA256(key: salt, message: password)).
        let line = "carol:cb77f0957de88ff388cf817ddbc72731$686b30dc309eb625f901b3074b6c91f827e96a8e44e81871255387aa0561021b"
        #expect(RPCAuthenticator.rpcAuthLine(user: "carol", password: "correct horse", salt: "cb77f0957de88ff388cf817ddbc72731") == line)
        let server = try await TestServer.start(authentication: RPCAuthConfiguration(rpcAuth: [line], cookiePath: nil))
        let ok = try await server.post(#"{"method":"whoami","id":1}"#, authorization: TestServer.basic("carol", "correct horse"))
        #expect(ok.status == 200)
        #expect(ok.text.contains(#""user":"carol""#))
        let wrong = try await server.post(#"{"method":"whoami","id":1}"#, authorization: TestServer.basic("carol", "correct horsE"))
        #expect(wrong.status == 401)
        try await server.stop()
    }

    @Test func malformedRpcauthStopsTheStart() async throws {
        await #expect(throws: RPCServerError.invalidRPCAuth("nohash")) {
            _ = try await TestServer.start(authentication: RPCAuthConfiguration(rpcAuth: ["nohash"]))
        }
    }

    @Test func peersOutsideTheAllowListGet403() async throws {
        let server = try await TestServer.start(configure: { $0.allowedSubnets = [IPSubnet("10.0.0.0/8")!] })
        let response = try await server.post(#"{"method":"uptime","id":1}"#, authorization: try server.cookieAuthorization())
        #expect(response.status == 403)
        try await server.stop()
    }

    @Test func subnetsParseAndMatchLikeRpcallowip() throws {
        #expect(IPSubnet("192.168.1.0/24")!.contains("192.168.1.77"))
        #expect(!IPSubnet("192.168.1.0/24")!.contains("192.168.2.1"))
        #expect(IPSubnet("10.0.0.0/255.0.0.0")!.contains("10.200.3.4"))
        #expect(IPSubnet("1.2.3.4")!.contains("1.2.3.4"))
        #expect(!IPSubnet("1.2.3.4")!.contains("1.2.3.5"))
        #expect(IPSubnet("127.0.0.0/8")!.contains("::ffff:127.0.0.1"))
        #expect(IPSubnet("::1")!.contains("::1"))
        #expect(IPSubnet("fd00::/8")!.contains("fdab::1"))
        #expect(IPSubnet("0.0.0.0/0")!.contains("8.8.8.8"))
        #expect(!IPSubnet("::/0")!.contains("8.8.8.8"))
        #expect(IPSubnet("10.1.2.3/8")!.description == "10.0.0.0/8")
        for bad in ["", "host.example", "1.2.3.4/33", "1.2.3/24", "1.2.3.4/", "::1/129", "1.2.3.4/255.0.255.x"] {
            #expect(IPSubnet(bad) == nil, "\(bad)")
        }
        var configuration = RPCServerConfiguration.loopback(port: 1, authentication: .init())
        #expect(throws: RPCServerError.invalidAllowIP("nonsense")) { try configuration.allow(["10.0.0.1", "nonsense"]) }
    }
}
