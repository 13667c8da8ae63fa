import ByteCodec
import ChainParams
import ChainTypes
import Foundation
import Testing

/// The genesis blocks `ChainParams` builds must match the published `Genesis/*.json` files.
@Suite struct GenesisFileTests {
    static func genesisFile(_ network: Network) throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Genesis/\(network.rawValue).json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    @Test func regtestGenesisMatchesFile() throws {
        let file = try Self.genesisFile(.regtest)
        let genesis = try #require(ChainParams.regtest.genesisBlock)
        let header = genesis.header
        #expect(Int(header.version) == file["version"] as? Int)
        #expect(header.previousBlockHash.description == file["previousBlockHash"] as? String)
        #expect(header.merkleRoot.displayHex == file["merkleRoot"] as? String)
        #expect(Int(header.time) == file["time"] as? Int)
        #expect(String(header.bits, radix: 16) == file["bits"] as? String)
        #expect(Int(header.nonce) == file["nonce"] as? Int)
        #expect(genesis.hash.description == file["hash"] as? String)
        let coinbase = try #require(genesis.transactions.first)
        #expect(Int(coinbase.outputs[0].value.satoshis) == file["coinbaseValue"] as? Int)
        let message = try #require(file["coinbaseMessage"] as? String)
        #expect(coinbase.inputs[0].scriptSig.suffix(message.utf8.count).elementsEqual(message.utf8))
    }
}
