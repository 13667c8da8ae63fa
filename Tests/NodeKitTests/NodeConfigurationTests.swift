import Mempool
import Testing
@testable import NodeKit

/// rustyd's relay-policy and event options, from the command line and `rusty.conf`, with
/// Core's units (MB, hours, coins per kvB, kvB) and Core's refusals.
@Suite struct NodeConfigurationTests {
    func parse(_ arguments: [String], file: String? = nil) throws(NodeConfiguration.Invalid) -> NodeConfiguration {
        try NodeConfiguration(arguments: arguments, home: "/nonexistent") { _ in file }
    }

    func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try parse(arguments)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func scriptThreadsFollowCoresPar() throws {
        #expect(NodeConfiguration.scriptThreads(par: 0, cores: 8) == 8)
        #expect(NodeConfiguration.scriptThreads(par: -2, cores: 8) == 6)
        #expect(NodeConfiguration.scriptThreads(par: -9, cores: 8) == 1, "never fewer than the connecting thread")
        #expect(NodeConfiguration.scriptThreads(par: 3, cores: 8) == 3)
        #expect(NodeConfiguration.scriptThreads(par: 64, cores: 8) == 16, "Core's 15 workers and the connecting thread")
        #expect(try parse(["-par=1"]).scriptThreads == 1)
        #expect(refusal(["-par=many"]) != nil)
    }

    @Test func defaultsAreCores() throws {
        let configuration = try parse([])
        #expect(configuration.mempoolPolicy == PolicySettings())
        #expect(configuration.mempoolPolicy.maxMempoolBytes == 300_000_000 && configuration.mempoolPolicy.expirySeconds == 336 * 3600)
        #expect(configuration.finalDepth == 6)
    }

    @Test func policyOptionsInCoresUnits() throws {
        let policy = try parse([
            "-maxmempool=50", "-mempoolexpiry=2", "-minrelaytxfee=0.00001", "-incrementalrelayfee=0.00002", "-dustrelayfee=0.0001",
            "-limitancestorcount=10", "-limitdescendantsize=50", "-permitbaremultisig=0", "-datacarriersize=83",
        ]).mempoolPolicy
        #expect(policy.maxMempoolBytes == 50_000_000 && policy.expirySeconds == 7_200)
        #expect(policy.minRelayFee == FeeRate(satoshisPerKilovirtualByte: 1_000))
        #expect(policy.incrementalRelayFee == FeeRate(satoshisPerKilovirtualByte: 2_000))
        #expect(policy.dustRelayFee == FeeRate(satoshisPerKilovirtualByte: 10_000))
        #expect(policy.maxAncestorCount == 10 && policy.maxDescendantSize == 50_000)
        #expect(!policy.permitBareMultisig && policy.dataCarrierBytes == 83)
        #expect(try parse(["-datacarrier=0"]).mempoolPolicy.dataCarrierBytes == nil)
        // The config file's network section counts too.
        #expect(try parse([], file: "[regtest]\nmaxmempool=20\ntxstatusfinaldepth=2\n").mempoolPolicy.maxMempoolBytes == 20_000_000)
        #expect(try parse([], file: "[regtest]\ntxstatusfinaldepth=2\n").finalDepth == 2)
    }

    @Test func refusesWhatCoreRefuses() {
        #expect(refusal(["-maxmempool=4"]) == "Error: -maxmempool must be at least 5 MB")
        #expect(refusal(["-minrelaytxfee=abc"])?.hasPrefix("Error: Invalid amount -minrelaytxfee") == true)
        #expect(refusal(["-minrelaytxfee=-1"]) != nil)
        #expect(refusal(["-mempoolexpiry=soon"]) != nil)
        #expect(refusal(["-txstatusfinaldepth=0"]) == "Error: -txstatusfinaldepth must be at least 1")
    }

    @Test func networkOptions() throws {
        let defaults = try parse([])
        #expect(!defaults.blockFilterIndex && !defaults.peerBlockFilters && defaults.compactBlocks && defaults.seedNode.isEmpty)
        let set = try parse(["-blockfilterindex=basic", "-peerblockfilters", "-compactblocks=0", "-seednode=10.0.0.1", "-seednode=10.0.0.2:18444"])
        #expect(set.blockFilterIndex && set.peerBlockFilters && !set.compactBlocks && set.seedNode == ["10.0.0.1", "10.0.0.2:18444"])
        #expect(set.ignored.isEmpty, "-seednode is acted on")
        #expect(try parse(["-blockfilterindex=1"]).blockFilterIndex)
        #expect(refusal(["-blockfilterindex=extended"]) == "Error: Unknown -blockfilterindex value extended.")
        #expect(refusal(["-peerblockfilters"]) == "Error: Cannot set -peerblockfilters without -blockfilterindex.")
        // -connect (even =0) turns automatic connections and, by default, listening off.
        #expect(defaults.automaticConnections && defaults.listen)
        let none = try parse(["-connect=0"])
        #expect(!none.automaticConnections && !none.listen && none.connect.isEmpty)
        let line = try parse(["-connect=127.0.0.1:1", "-listen=1"])
        #expect(!line.automaticConnections && line.listen && line.connect == ["127.0.0.1:1"])
    }
}
