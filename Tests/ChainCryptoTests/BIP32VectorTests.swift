import ByteCodec
import ChainCrypto
import Foundation
import Testing
import TestSupport

/// BIP32 test vectors 1-4 (derivation and serialization) and 5 (keys that must be rejected).
@Suite struct BIP32VectorTests {
    @Test func derivationMatchesVectors() throws {
        let object = try Fixture("bip32_vectors.json", in: .module).object()
        let vectors = try #require(object["vectors"] as? [[String: Any]])
        var checked = 0
        for vector in vectors {
            guard let seedHex = vector["seed_hex"] as? String, let chains = vector["chains"] as? [[String: String]] else { continue }
            let master = try ExtendedKey(seed: [UInt8](hex: seedHex) ?? [])
            var previous: (path: String, key: ExtendedKey)?
            for chain in chains {
                let path = try #require(chain["path"])
                let key = try master.derive(path: path)
                #expect(key.encoded(versions: .bitcoinMain) == chain["ext_prv"], "vector \(vector["vector"] ?? "?") \(path) xprv")
                #expect(key.neutered.encoded(versions: .bitcoinMain) == chain["ext_pub"], "\(path) xpub")
                // Round trip through the text form.
                let parsed = try ExtendedKey(encoded: try #require(chain["ext_prv"]), versions: .bitcoinMain)
                #expect(parsed == key, "\(path) parse")
                // Public derivation of a non-hardened child from the parent's xpub gives the same xpub.
                if let parent = previous, !path.hasSuffix("H"), path.hasPrefix(parent.path + "/") {
                    let index = try #require(UInt32(path.split(separator: "/").last ?? ""))
                    let child = try parent.key.neutered.child(index)
                    #expect(child.encoded(versions: .bitcoinMain) == chain["ext_pub"], "\(path) CKDpub")
                }
                previous = (path, key)
                checked += 1
            }
        }
        #expect(checked == 17, "all 17 chain entries of vectors 1-4")
    }

    @Test func invalidKeysAreRejected() throws {
        let object = try Fixture("bip32_vectors.json", in: .module).object()
        let vectors = try #require(object["vectors"] as? [[String: Any]])
        let invalid = vectors.compactMap { $0["invalid_extended_keys"] as? [[String: String]] }.flatMap { $0 }
        #expect(invalid.count == 16)
        for entry in invalid {
            let key = try #require(entry["key"])
            #expect(throws: ExtendedKeyError.self, "\(entry["reason"] ?? "")") {
                try ExtendedKey(encoded: key, versions: .bitcoinMain)
            }
        }
    }
}
