import ByteCodec
import ChainParams
import ChainTypes
import Consensus
import Foundation
import Testing

/// The genesis blocks `ChainParams` builds must match the published `Genesis/*.json` files
/// (written by `Scripts/mine-genesis.py`) and meet their own proof of work.
@Suite struct GenesisFileTests {
    static func genesisFile(_ network: Network) throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Genesis/\(network.rawValue).json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    @Test(arguments: Network.allCases) func genesisMatchesFile(_ network: Network) throws {
        let file = try Self.genesisFile(network)
        let params = ChainParams.forNetwork(network)
        let genesis = params.genesisBlock
        let header = genesis.header
        #expect(file["network"] as? String == network.rawValue)
        #expect(Int(header.version) == file["version"] as? Int)
        #expect(header.previousBlockHash.description == file["previousBlockHash"] as? String)
        #expect(header.merkleRoot.displayHex == file["merkleRoot"] as? String)
        #expect(genesis.computeMerkleRoot().root == header.merkleRoot)
        #expect(Int(header.time) == file["time"] as? Int)
        #expect(String(header.bits, radix: 16) == file["bits"] as? String)
        #expect(Int(header.nonce) == file["nonce"] as? Int)
        #expect(genesis.hash.description == file["hash"] as? String)

        #expect(genesis.transactions.count == 1)
        let coinbase = try #require(genesis.transactions.first)
        #expect(coinbase.isCoinbase)
        #expect(Int(coinbase.outputs[0].value.satoshis) == file["coinbaseValue"] as? Int)
        #expect(coinbase.outputs[0].scriptPubKey.hexString == file["coinbaseScriptPubKey"] as? String)
        let message = try #require(file["coinbaseMessage"] as? String)
        let scriptSig = coinbase.inputs[0].scriptSig
        #expect(scriptSig.starts(with: [0x04, 0xff, 0xff, 0x00, 0x1d, 0x01, 0x04]))
        #expect(scriptSig.suffix(message.utf8.count).elementsEqual(message.utf8))
        #expect(throws: Never.self) { try TransactionCheck.check(coinbase) }
    }

    @Test(arguments: Network.allCases) func genesisMeetsItsOwnProofOfWork(_ network: Network) {
        let params = ChainParams.forNetwork(network)
        let header = params.genesisBlock.header
        #expect(header.bits == params.powLimitBits)
        #expect(ProofOfWork.check(hash: header.hash, bits: header.bits, powLimit: params.powLimit))
        // The nonce is the one that works: its neighbours (almost surely) do not.
        if network != .regtest {
            var other = header
            other.nonce &+= 1
            #expect(!params.checkProofOfWork(other))
        }
    }

    /// Main and test carry Rusty Coin headlines dated 28 Nov 2026 and pay an unspendable
    /// `OP_RETURN`; regtest is Bitcoin Core's, paying Satoshi's key.
    @Test func genesisIdentities() throws {
        #expect(ChainParams.regtest.genesisBlock.hash.description == "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206")
        #expect(ChainParams.main.genesisBlock.hash.description == "000004230a5bda0c5a153031f69c506959a04dd92e131ad8fe31d6d0fb6bedaa")
        #expect(ChainParams.test.genesisBlock.hash.description == "000009db969b81b1f7a3f8fbbd194f07f62207db90963e76f2d0927e5e13412e")
        #expect(ChainParams.main.genesisBlock.hash != ChainParams.test.genesisBlock.hash)
        for params in [ChainParams.main, .test] {
            let coinbase = try #require(params.genesisBlock.transactions.first)
            #expect(coinbase.outputs[0].scriptPubKey == [0x6a])
            let text = String(decoding: coinbase.inputs[0].scriptSig.dropFirst(8), as: UTF8.self)
            #expect(text.hasPrefix("Rusty Gazette 28/Nov/2026 "))
        }
    }
}
