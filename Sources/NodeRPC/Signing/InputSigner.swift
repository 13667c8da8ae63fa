import ChainCrypto
import ChainTypes
import Script

/// Produces the scriptSig and witness of one input from a ``SigningProvider``, following the
/// shape of Bitcoin Core's `ProduceSignature`/`SignStep` (src/script/sign.cpp): bare keys,
/// P2PKH, multisig, P2SH and P2WSH around them, P2WPKH (also inside P2SH), and taproot key
/// path spends. Taproot outputs are signed when the output key is a key's own x-only key (as
/// Core does without descriptor data) or its BIP86 tweak without a script tree.
struct InputSigner {
    let provider: SigningProvider
    let transaction: Transaction
    let inputIndex: Int
    let amount: Amount
    let precomputed: PrecomputedTransactionData
    /// The requested hash type; `SighashType.default` means ALL for ECDSA.
    let hashType: UInt8

    /// The result of signing: the new scriptSig and witness, and whether every signature needed
    /// was made (`solved`).
    struct Output {
        var scriptSig: [UInt8] = []
        var witness: [[UInt8]] = []
        var solved = false
    }

    /// Signs for `scriptPubKey`.
    func sign(scriptPubKey: [UInt8]) -> Output {
        var output = Output()
        var (solved, type, stack) = step(scriptPubKey, version: .base)
        var redeemScript: [UInt8]?
        if solved && type == .scripthash {
            let script = stack[0]
            redeemScript = script
            (solved, type, stack) = step(script, version: .base)
            solved = solved && type != .scripthash
        }
        if solved && type == .witnessV0KeyHash {
            let scriptCode = payToPubkeyHashScript(stack[0])
            let (inner, _, innerStack) = step(scriptCode, version: .witnessV0)
            solved = inner
            output.witness = innerStack
            stack = []
        } else if solved && type == .witnessV0ScriptHash {
            let witnessScript = stack[0]
            let (inner, innerType, innerStack) = step(witnessScript, version: .witnessV0)
            solved = inner && ![.scripthash, .witnessV0ScriptHash, .witnessV0KeyHash].contains(innerType)
            output.witness = innerStack + [witnessScript]
            stack = []
        } else if type == .witnessV1Taproot && redeemScript == nil {
            if solved { output.witness = stack }
            stack = []
        }
        if let redeemScript { stack.append(redeemScript) }
        output.scriptSig = Self.pushAll(stack)
        output.solved = solved
        return output
    }

    /// Core's `SignStep`: whether `script` could be satisfied, its template, and the stack.
    private func step(_ script: [UInt8], version: SignatureVersion) -> (Bool, OutputScriptType, [[UInt8]]) {
        let solution = ScriptSolution(script: script)
        let data = solution.solutions
        switch solution.type {
        case .nonstandard, .nulldata, .witnessUnknown:
            return (false, solution.type, [])
        case .anchor:
            return (true, solution.type, [])
        case .pubkey:
            guard let signature = ecdsaSignature(publicKey: data[0], scriptCode: script, version: version) else {
                return (false, solution.type, [])
            }
            return (true, solution.type, [signature])
        case .pubkeyhash:
            guard let key = provider.key(keyID: data[0]),
                let signature = ecdsaSignature(publicKey: key.publicKey, scriptCode: script, version: version)
            else { return (false, solution.type, []) }
            return (true, solution.type, [signature, key.publicKey])
        case .scripthash:
            guard let redeemScript = provider.script(scriptID: data[0]) else { return (false, solution.type, []) }
            return (true, solution.type, [redeemScript])
        case .witnessV0ScriptHash:
            guard let witnessScript = provider.script(scriptID: Hashing.ripemd160(data[0])) else {
                return (false, solution.type, [])
            }
            return (true, solution.type, [witnessScript])
        case .witnessV0KeyHash:
            return (true, solution.type, [data[0]])
        case .multisig:
            let required = Int(data[0][0])
            var stack: [[UInt8]] = [[]]
            for publicKey in data.dropFirst().dropLast() where stack.count < required + 1 {
                if let signature = ecdsaSignature(publicKey: publicKey, scriptCode: script, version: version) {
                    stack.append(signature)
                }
            }
            let solved = stack.count == required + 1
            while stack.count < required + 1 { stack.append([]) }
            return (solved, solution.type, stack)
        case .witnessV1Taproot:
            guard let signature = taprootKeyPathSignature(outputKey: data[0]) else { return (false, solution.type, []) }
            return (true, solution.type, [signature])
        }
    }

    private func ecdsaSignature(publicKey: [UInt8], scriptCode: [UInt8], version: SignatureVersion) -> [UInt8]? {
        guard let key = provider.key(publicKey: publicKey) else { return nil }
        if version == .witnessV0 && key.publicKey.count != 33 { return nil }
        let type = hashType == SighashType.default ? SighashType.all : hashType
        let sighash = SignatureHash.ecdsa(
            transaction: transaction, inputIndex: inputIndex, scriptCode: scriptCode, amount: amount, hashType: Int32(type),
            version: version, precomputed: precomputed)
        guard let signature = try? key.privateKey.signECDSA(messageHash: sighash) else { return nil }
        return signature.der + [type]
    }

    private func taprootKeyPathSignature(outputKey: [UInt8]) -> [UInt8]? {
        var execution = ScriptExecutionData()
        guard let sighash = SignatureHash.taproot(
            transaction: transaction, inputIndex: inputIndex, hashType: hashType, signatureVersion: .taproot,
            precomputed: precomputed, execution: &execution)
        else { return nil }
        guard let signingKey = provider.key(xOnly: outputKey) ?? keyPathTweakedKey(outputKey: outputKey) else {
            return nil
        }
        guard let signature = try? signingKey.signSchnorr(message: sighash.bytes, auxiliaryRandomness: SystemRandom.bytes(32))
        else { return nil }
        return hashType == SighashType.default ? signature : signature + [hashType]
    }

    /// The BIP86-tweaked secret of a key whose tweaked x-only key (no script tree) is `outputKey`.
    private func keyPathTweakedKey(outputKey: [UInt8]) -> PrivateKey? {
        for key in provider.allKeys {
            guard let tweaked = try? key.privateKey.xOnlyPublicKey.tapTweaked(merkleRoot: nil), tweaked.key.bytes == outputKey
            else { continue }
            return try? key.privateKey.tapTweaked(merkleRoot: nil)
        }
        return nil
    }

    private func payToPubkeyHashScript(_ hash: [UInt8]) -> [UInt8] {
        [Opcode.dup, Opcode.hash160, 20] + hash + [Opcode.equalVerify, Opcode.checkSig]
    }

    /// Core's `PushAll`: each element as a minimal push (`OP_0` for empty, `OP_1`…`OP_16` for
    /// one-byte small numbers).
    static func pushAll(_ stack: [[UInt8]]) -> [UInt8] {
        var builder = ScriptBuilder()
        for element in stack {
            if element.isEmpty {
                builder.add(opcode: Opcode.op0)
            } else if element.count == 1, (1...16).contains(element[0]) {
                builder.add(opcode: Opcode.smallInteger(Int(element[0])))
            } else {
                builder.add(data: element)
            }
        }
        return builder.bytes
    }
}
