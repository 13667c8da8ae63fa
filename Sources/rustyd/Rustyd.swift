import ArgumentParser
import ChainCrypto
import ChainParams

/// The Rusty Coin node. This milestone checks the cryptography it is linked with and reports the
/// selected network's identity; chain state, P2P and JSON-RPC come with the next milestones
/// (Docs/Roadmap.md).
@main
struct Rustyd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rustyd", abstract: "Rusty Coin full node.", version: "0.1.0")

    @Flag(name: .customLong("regtest", withSingleDash: true), help: "Use the regression-test network (the default).")
    var regtest = false

    @Flag(name: .customLong("testnet", withSingleDash: true), help: "Use the public test network.")
    var testnet = false

    @Flag(name: .customLong("mainnet", withSingleDash: true), help: "Use the main network.")
    var mainnet = false

    mutating func validate() throws {
        if [regtest, testnet, mainnet].filter({ $0 }).count > 1 {
            throw ValidationError("choose at most one of -regtest, -testnet, -mainnet")
        }
    }

    mutating func run() throws {
        do {
            try CryptoSelfTest.run()
        } catch {
            throw RustydError.startup("cryptographic self-test failed: \(error)")
        }
        let network: Network = mainnet ? .main : (testnet ? .test : .regtest)
        let params = ChainParams.forNetwork(network)
        print("rustyd 0.1.0 — network \(network.rawValue)")
        print("  crypto self-test: libsecp256k1 (ecdsa, schnorrsig, extrakeys), SHA-2, RIPEMD-160 ok")
        print("  magic \(params.magic.hexString), P2P port \(params.defaultPort), RPC port \(params.rpcPort), bech32 HRP \(params.addressPrefixes.bech32HRP)")
        print("  genesis \(params.genesisBlock.hash)")
        print("The chain state, P2P and JSON-RPC services are not part of this build yet; see Docs/Roadmap.md.")
    }
}

enum RustydError: Error, CustomStringConvertible {
    case startup(String)
    var description: String {
        switch self {
        case let .startup(message): message
        }
    }
}
