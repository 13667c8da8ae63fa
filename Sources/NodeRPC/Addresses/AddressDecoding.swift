import Addresses
import ChainCrypto
import ChainParams

/// Decodes address strings as Bitcoin Core's `DecodeDestination` (src/key_io.cpp), keeping
/// its error message and error positions for invalid ones (shown by `validateaddress`).
public enum AddressDecoding {
    /// Why a string is not an address on the network, and where (Bech32 only).
    public struct Failure: Error, Sendable, Hashable {
        /// Core's message, e.g. "Invalid Bech32 checksum".
        public var message: String
        /// Offending character positions, ascending (empty when unknown).
        public var positions: [Int]

        /// A failure with `message` at `positions`.
        public init(_ message: String, positions: [Int] = []) {
            self.message = message
            self.positions = positions
        }
    }

    /// The address `string` encodes under `prefixes`, or Core's reason why not.
    public static func decode(_ string: String, prefixes: AddressPrefixes) -> Result<Address, Failure> {
        let hrp = prefixes.bech32HRP
        let isBech32 = String(string.prefix(hrp.count)).lowercased() == hrp
        if !isBech32 {
            return decodeBase58(string, prefixes: prefixes)
        }
        guard let (decodedHRP, data, variant) = Bech32.decode(string) else {
            let (message, positions) = Bech32ErrorLocator.locate(string)
            return .failure(Failure(message, positions: positions))
        }
        guard let version = data.first else { return .failure(Failure("Empty Bech32 data section")) }
        guard decodedHRP == hrp else {
            return .failure(Failure(
                "Invalid or unsupported prefix for Segwit (Bech32) address (expected \(hrp), got \(decodedHRP))."))
        }
        if version == 0 && variant != .bech32 {
            return .failure(Failure("Version 0 witness address must use Bech32 checksum"))
        }
        if version != 0 && variant != .bech32m {
            return .failure(Failure("Version 1+ witness address must use Bech32m checksum"))
        }
        guard let program = Bech32.convertBits(Array(data.dropFirst()), from: 5, to: 8, pad: false) else {
            return .failure(Failure("Invalid padding in Bech32 data section"))
        }
        let unit = program.count == 1 ? "byte" : "bytes"
        if version == 0 {
            guard program.count == 20 || program.count == 32 else {
                return .failure(Failure("Invalid Bech32 v0 address program size (\(program.count) \(unit)), per BIP141"))
            }
            return .success(.witness(version: 0, program: program))
        }
        if version > 16 { return .failure(Failure("Invalid Bech32 address witness version")) }
        guard (2...40).contains(program.count) || (version == 1 && program.count == 32) else {
            return .failure(Failure("Invalid Bech32 address program size (\(program.count) \(unit))"))
        }
        return .success(.witness(version: Int(version), program: program))
    }

    private static func decodeBase58(_ string: String, prefixes: AddressPrefixes) -> Result<Address, Failure> {
        if let payload = Base58.decodeCheck(string), payload.count <= 21 {
            let hash = Array(payload.dropFirst())
            if payload.count == 21 && payload[0] == prefixes.pubkeyHash { return .success(.payToPubkeyHash(hash)) }
            if payload.count == 21 && payload[0] == prefixes.scriptHash { return .success(.payToScriptHash(hash)) }
            if let first = payload.first, first == prefixes.pubkeyHash || first == prefixes.scriptHash {
                return .failure(Failure("Invalid length for Base58 address (P2PKH or P2SH)"))
            }
            return .failure(Failure("Invalid or unsupported Base58-encoded address."))
        }
        if let decoded = Base58.decode(string), decoded.count <= 100 {
            return .failure(Failure("Invalid checksum or length of Base58 address (P2PKH or P2SH)"))
        }
        return .failure(Failure("Invalid or unsupported Segwit (Bech32) or Base58 encoding."))
    }
}
