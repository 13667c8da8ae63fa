import Addresses
import ByteCodec
import ChainCrypto
import ChainParams
import Foundation
import Testing
import TestSupport

/// Bitcoin Core's key_io vectors: addresses and WIF keys on Bitcoin's networks, decoded and
/// re-encoded, plus strings that must be rejected everywhere.
@Suite struct KeyIOVectorTests {
    /// Bitcoin's prefixes for the chains the vectors name (our regtest uses the same).
    static let chains: [String: AddressPrefixes] = [
        "main": AddressPrefixes(pubkeyHash: 0, scriptHash: 5, secretKey: 128, bech32HRP: "bc", extendedKeys: .bitcoinMain),
        "test": AddressPrefixes(pubkeyHash: 111, scriptHash: 196, secretKey: 239, bech32HRP: "tb", extendedKeys: .bitcoinTest),
        "testnet4": AddressPrefixes(pubkeyHash: 111, scriptHash: 196, secretKey: 239, bech32HRP: "tb", extendedKeys: .bitcoinTest),
        "signet": AddressPrefixes(pubkeyHash: 111, scriptHash: 196, secretKey: 239, bech32HRP: "tb", extendedKeys: .bitcoinTest),
        "regtest": ChainParams.regtest.addressPrefixes,
    ]

    static func flippedCase(_ text: String) -> String {
        String(text.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) })
    }

    @Test func validStringsDecodeAndEncode() throws {
        let rows = try Fixture("key_io_valid.json", in: .module).rows()
        #expect(rows.count == 70, "every row of key_io_valid.json is read")
        for row in rows {
            guard let text = row.fields[0] as? String, let payload = [UInt8](hex: row.fields[1] as? String ?? ""),
                let meta = row.fields[2] as? [String: Any], let chain = meta["chain"] as? String,
                let prefixes = Self.chains[chain]
            else { throw FixtureError.malformed("key_io_valid", row.label) }
            if meta["isPrivkey"] as? Bool == true {
                let wif = try #require(WIF(text, prefixes: prefixes), "\(row.label) WIF")
                #expect(wif.key.bytes == payload, "\(row.label)")
                #expect(wif.compressed == (meta["isCompressed"] as? Bool), "\(row.label) compression")
                #expect(Address(text, prefixes: prefixes) == nil, "\(row.label) key accepted as address")
                #expect(wif.encoded(prefixes: prefixes) == text, "\(row.label) encode")
            } else {
                let address = try #require(Address(text, prefixes: prefixes), "\(row.label) address")
                #expect(address.scriptPubKey == payload, "\(row.label) script")
                let flipped = Address(Self.flippedCase(text), prefixes: prefixes)
                #expect((flipped != nil) == (meta["tryCaseFlip"] as? Bool ?? false), "\(row.label) case flip")
                #expect(WIF(text, prefixes: prefixes) == nil, "\(row.label) address accepted as key")
                let fromScript = try #require(Address(scriptPubKey: payload), "\(row.label) script → address")
                #expect(fromScript.encoded(prefixes: prefixes) == text, "\(row.label) encode")
            }
        }
    }

    @Test func invalidStringsAreRejectedOnEveryNetwork() throws {
        let rows = try Fixture("key_io_invalid.json", in: .module).rows(skippingComments: false)
        #expect(rows.count == 70, "every row of key_io_invalid.json is read")
        for row in rows {
            let text = try #require(row.fields.first as? String)
            for (chain, prefixes) in Self.chains {
                #expect(Address(text, prefixes: prefixes) == nil, "\(row.label) address on \(chain)")
                #expect(WIF(text, prefixes: prefixes) == nil, "\(row.label) key on \(chain)")
            }
        }
    }
}
