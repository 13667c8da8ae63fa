import RPCClient
import Testing

/// `-rpcconnect` / `-rpcbind` values, split as Core's `SplitHostPort` (rusty-cli and rustyd
/// share this parser).
@Suite struct HostPortTests {
    @Test func hostsWithAndWithoutPorts() throws {
        #expect(try #require(RPCClientSettings.splitHostPort("127.0.0.1:18443")) == ("127.0.0.1", 18443))
        #expect(try #require(RPCClientSettings.splitHostPort("localhost")) == ("localhost", nil))
        #expect(try #require(RPCClientSettings.splitHostPort("[::1]:8332")) == ("::1", 8332))
        #expect(try #require(RPCClientSettings.splitHostPort("[::1]")) == ("::1", nil))
        // An unbracketed IPv6 address has more than one colon: no port.
        #expect(try #require(RPCClientSettings.splitHostPort("fe80::1")) == ("fe80::1", nil))
    }

    @Test func malformedPortsAreRefused() {
        #expect(RPCClientSettings.splitHostPort("host:") == nil)
        #expect(RPCClientSettings.splitHostPort("host:http") == nil)
        #expect(RPCClientSettings.splitHostPort("[::1]x") == nil)
        #expect(RPCClientSettings.splitHostPort("[::1]:port") == nil)
    }
}
