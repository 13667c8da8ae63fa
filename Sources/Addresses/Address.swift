import ChainCrypto
import ChainParams
import Script

/// A payment destination that has a text form: Base58Check P2PKH/P2SH, or a segwit program in
/// Bech32 (v0) / Bech32m (v1+), as Bitcoin Core's `CTxDestination`.
public enum Address: Hashable, Sendable {
    case payToPubkeyHash([UInt8])
    case payToScriptHash([UInt8])
    /// A witness program of version 0-16 (P2WPKH, P2WSH, P2TR, P2A and future versions).
    case witness(version: Int, program: [UInt8])

    /// Decodes a string under `prefixes` as Core's `DecodeDestination`; nil if it is not a valid
    /// address on that network.
    public init?(_ string: String, prefixes: AddressPrefixes) {
        let hrp = prefixes.bech32HRP
        let startsWithHRP = string.count >= hrp.count && string.prefix(hrp.count).lowercased() == hrp
        if !startsWithHRP {
            guard let payload = Base58.decodeCheck(string), payload.count == 21 else { return nil }
            let hash = Array(payload[1...])
            switch payload[0] {
            case prefixes.pubkeyHash: self = .payToPubkeyHash(hash)
            case prefixes.scriptHash: self = .payToScriptHash(hash)
            default: return nil
            }
            return
        }
        guard let (version, program) = Bech32.decodeSegwit(hrp: hrp, address: string) else { return nil }
        self = .witness(version: version, program: program)
    }

    /// Recognises the standard output scripts that have an address.
    public init?(scriptPubKey script: [UInt8]) {
        if script.count == 25, script[0] == Opcode.dup, script[1] == Opcode.hash160, script[2] == 20,
            script[23] == Opcode.equalVerify, script[24] == Opcode.checkSig {
            self = .payToPubkeyHash(Array(script[3..<23]))
        } else if ScriptPattern.isPayToScriptHash(script) {
            self = .payToScriptHash(Array(script[2..<22]))
        } else if let (version, program) = ScriptPattern.witnessProgram(script) {
            if version == 0 && program.count != 20 && program.count != 32 { return nil }
            self = .witness(version: version, program: program)
        } else {
            return nil
        }
    }

    /// The output script paying to this address.
    public var scriptPubKey: [UInt8] {
        switch self {
        case let .payToPubkeyHash(hash):
            [Opcode.dup, Opcode.hash160, 20] + hash + [Opcode.equalVerify, Opcode.checkSig]
        case let .payToScriptHash(hash):
            [Opcode.hash160, 20] + hash + [Opcode.equal]
        case let .witness(version, program):
            [Opcode.smallInteger(version)] + ScriptBuilder.push(program)
        }
    }

    /// The text form on a network.
    public func encoded(prefixes: AddressPrefixes) -> String {
        switch self {
        case let .payToPubkeyHash(hash): Base58.encodeCheck([prefixes.pubkeyHash] + hash)
        case let .payToScriptHash(hash): Base58.encodeCheck([prefixes.scriptHash] + hash)
        case let .witness(version, program):
            Bech32.encodeSegwit(hrp: prefixes.bech32HRP, version: version, program: program) ?? ""
        }
    }
}
