import ByteCodec
import ChainCrypto
import Foundation
import Testing
import TestSupport

/// BIP173 and BIP350 test vectors. Segwit addresses follow BIP350 rules (v0 Bech32, v1+ Bech32m);
/// the BIP173 list's v1+ Bech32 addresses are therefore expected invalid.
@Suite struct Bech32VectorTests {
    static func strings(_ section: [String: Any], _ key: String) -> [String] {
        (section[key] as? [[String: Any]] ?? []).compactMap { entry in
            if let latin1 = entry["latin1_hex"] as? String, let bytes = [UInt8](hex: latin1) {
                return String(bytes.map { Character(Unicode.Scalar($0)) })
            }
            return entry["string"] as? String
        }
    }

    @Test func checksums() throws {
        let object = try Fixture("bech32_vectors.json", in: .module).object()
        for (name, variant) in [("bip173", Bech32.Variant.bech32), ("bip350", Bech32.Variant.bech32m)] {
            let section = try #require(object[name] as? [String: Any])
            let validKey = variant == .bech32 ? "valid_bech32" : "valid_bech32m"
            let invalidKey = variant == .bech32 ? "invalid_bech32" : "invalid_bech32m"
            let valid = Self.strings(section, validKey)
            #expect(!valid.isEmpty)
            for text in valid {
                let decoded = try #require(Bech32.decode(text), "\(text)")
                #expect(decoded.variant == variant, "\(text)")
                #expect(Bech32.encode(hrp: decoded.hrp, data: decoded.data, variant: variant) == text.lowercased())
            }
            let invalid = Self.strings(section, invalidKey)
            #expect(!invalid.isEmpty)
            for text in invalid {
                #expect(Bech32.decode(text)?.variant != variant, "\(name) must reject \(text.debugDescription)")
            }
        }
    }

    @Test func segwitAddresses() throws {
        let object = try Fixture("bech32_vectors.json", in: .module).object()
        let bip350 = try #require(object["bip350"] as? [String: Any])
        let bip173 = try #require(object["bip173"] as? [String: Any])
        for (name, section) in [("bip350", bip350), ("bip173", bip173)] {
            for entry in section["valid_segwit_addresses"] as? [[String: String]] ?? [] {
                let address = try #require(entry["address"]), script = try #require([UInt8](hex: entry["scriptPubKey"] ?? ""))
                let hrp = address.lowercased().hasPrefix("tb") ? "tb" : "bc"
                let decoded = Bech32.decodeSegwit(hrp: hrp, address: address)
                let version = script[0] == 0 ? 0 : Int(script[0]) - 0x50
                if name == "bip173" && version > 0 {
                    // BIP173-era v1+ addresses use the old checksum, invalid since BIP350.
                    #expect(decoded == nil, "\(address) must be rejected under BIP350")
                    continue
                }
                let parsed = try #require(decoded, "\(address)")
                #expect(parsed.version == version && parsed.program == Array(script[2...]), "\(address)")
                #expect(Bech32.encodeSegwit(hrp: hrp, version: version, program: parsed.program) == address.lowercased())
            }
        }
        for entry in bip350["invalid_segwit_addresses"] as? [[String: Any]] ?? [] {
            let address = try #require(entry["address"] as? String)
            #expect(Bech32.decodeSegwit(hrp: "bc", address: address) == nil && Bech32.decodeSegwit(hrp: "tb", address: address) == nil,
                    "\(address): \(entry["reason"] ?? "")")
        }
    }
}
