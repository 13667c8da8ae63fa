import ByteCodec
import ChainCrypto
import ChainTypes
import Foundation
import Testing
import TestSupport
@testable import Script

/// BIP341's wallet test vectors: output keys and control blocks from script trees, and key-path
/// signature hashes, signatures and the fully signed transaction.
@Suite struct TaprootVectorTests {
    struct Leaf {
        let id: Int
        let version: UInt8
        let hash: Hash256
        var path: [Hash256]
    }

    /// Hashes a script tree (a leaf object or a two-element array) bottom-up, collecting each
    /// leaf's merkle path.
    static func walk(_ node: Any) throws -> (hash: Hash256, leaves: [Leaf]) {
        if let leaf = node as? [String: Any] {
            guard let id = leaf["id"] as? Int, let scriptHex = leaf["script"] as? String, let script = [UInt8](hex: scriptHex),
                let version = leaf["leafVersion"] as? Int
            else { throw FixtureError.malformed("bip341", "leaf") }
            let hash = ScriptVerifier.tapleafHash(leafVersion: UInt8(version), script: script)
            return (hash, [Leaf(id: id, version: UInt8(version), hash: hash, path: [])])
        }
        guard let branch = node as? [Any], branch.count == 2 else { throw FixtureError.malformed("bip341", "branch") }
        let left = try walk(branch[0]), right = try walk(branch[1])
        let leaves = left.leaves.map { Leaf(id: $0.id, version: $0.version, hash: $0.hash, path: $0.path + [right.hash]) }
            + right.leaves.map { Leaf(id: $0.id, version: $0.version, hash: $0.hash, path: $0.path + [left.hash]) }
        return (ScriptVerifier.tapBranchHash(left.hash, right.hash), leaves)
    }

    static func hex(_ value: Any?) -> [UInt8] { (value as? String).flatMap { [UInt8](hex: $0) } ?? [] }

    @Test func scriptPubKeysAndControlBlocks() throws {
        let vectors = try Fixture("bip341_wallet_vectors.json", in: .module).object()
        let cases = try #require(vectors["scriptPubKey"] as? [[String: Any]])
        #expect(cases.count == 7)
        for (index, vector) in cases.enumerated() {
            let given = try #require(vector["given"] as? [String: Any])
            let intermediary = try #require(vector["intermediary"] as? [String: Any])
            let expected = try #require(vector["expected"] as? [String: Any])
            let internalKey = try XOnlyPublicKey(bytes: Self.hex(given["internalPubkey"]))
            var merkleRoot: Hash256?
            var leaves: [Leaf] = []
            if let tree = given["scriptTree"], !(tree is NSNull) {
                (merkleRoot, leaves) = try Self.walk(tree)
                leaves.sort { $0.id < $1.id }
                #expect(leaves.map { $0.hash.bytes.hexString } == (intermediary["leafHashes"] as? [String]), "case \(index) leaf hashes")
            }
            #expect(merkleRoot?.bytes.hexString == intermediary["merkleRoot"] as? String, "case \(index) merkle root")
            let tweak = XOnlyPublicKey.tapTweak(internalKey: internalKey, merkleRoot: merkleRoot)
            #expect(tweak.bytes.hexString == intermediary["tweak"] as? String, "case \(index) tweak")
            let (output, parity) = try internalKey.tapTweaked(merkleRoot: merkleRoot)
            #expect(output.bytes.hexString == intermediary["tweakedPubkey"] as? String, "case \(index) output key")
            let scriptPubKey = [Opcode.op1, 0x20] + output.bytes
            #expect(scriptPubKey.hexString == expected["scriptPubKey"] as? String, "case \(index) scriptPubKey")
            #expect(Bech32.encodeSegwit(hrp: "bc", version: 1, program: output.bytes) == expected["bip350Address"] as? String)
            if let controlBlocks = expected["scriptPathControlBlocks"] as? [String] {
                let ours = leaves.map { leaf in
                    ([leaf.version | (parity ? 1 : 0)] + internalKey.bytes + leaf.path.flatMap(\.bytes)).hexString
                }
                #expect(ours == controlBlocks, "case \(index) control blocks")
                // Each control block must pass the script-path commitment check.
                for (leaf, block) in zip(leaves, controlBlocks) {
                    #expect(ScriptVerifier.verifyTaprootCommitment(control: Self.hex(block), program: output.bytes, leafHash: leaf.hash))
                }
            }
        }
    }

    @Test func keyPathSpending() throws {
        let vectors = try Fixture("bip341_wallet_vectors.json", in: .module).object()
        let spending = try #require((vectors["keyPathSpending"] as? [[String: Any]])?.first)
        let given = try #require(spending["given"] as? [String: Any])
        let transaction = try Transaction(serialized: Self.hex(given["rawUnsignedTx"]))
        let utxos = try #require(given["utxosSpent"] as? [[String: Any]]).map { utxo in
            TxOut(value: Amount(satoshis: (utxo["amountSats"] as? NSNumber)?.int64Value ?? -1), scriptPubKey: Self.hex(utxo["scriptPubKey"]))
        }
        let precomputed = PrecomputedTransactionData(transaction: transaction, spentOutputs: utxos)
        let intermediary = try #require(spending["intermediary"] as? [String: Any])
        let hashes = try #require(precomputed.taproot)
        #expect(hashes.spentAmounts.bytes.hexString == intermediary["hashAmounts"] as? String)
        #expect(hashes.outputs.bytes.hexString == intermediary["hashOutputs"] as? String)
        #expect(hashes.prevouts.bytes.hexString == intermediary["hashPrevouts"] as? String)
        #expect(hashes.spentScripts.bytes.hexString == intermediary["hashScriptPubkeys"] as? String)
        #expect(hashes.sequences.bytes.hexString == intermediary["hashSequences"] as? String)
        // Verification precomputes only what witnesses need: the unsigned transaction has none.
        let forVerifying = PrecomputedTransactionData(verifying: transaction, spentOutputs: utxos)
        #expect(forVerifying.taproot == nil && forVerifying.witnessV0 == nil)

        let inputs = try #require(spending["inputSpending"] as? [[String: Any]])
        #expect(inputs.count == 7)
        for input in inputs {
            let inputGiven = try #require(input["given"] as? [String: Any])
            let inputIntermediary = try #require(input["intermediary"] as? [String: Any])
            let index = try #require(inputGiven["txinIndex"] as? Int)
            let hashType = UInt8(try #require(inputGiven["hashType"] as? Int))
            let merkleRoot = (inputGiven["merkleRoot"] as? String).flatMap { Hash256(bytes: [UInt8](hex: $0) ?? []) }
            let secret = try PrivateKey(bytes: Self.hex(inputGiven["internalPrivkey"]))
            #expect(secret.xOnlyPublicKey.bytes.hexString == inputIntermediary["internalPubkey"] as? String)
            let tweaked = try secret.tapTweaked(merkleRoot: merkleRoot)
            #expect(tweaked.bytes.hexString == inputIntermediary["tweakedPrivkey"] as? String, "input \(index) tweaked key")
            var execution = ScriptExecutionData()
            let sighash = try #require(SignatureHash.taproot(
                transaction: transaction, inputIndex: index, hashType: hashType, signatureVersion: .taproot,
                precomputed: precomputed, execution: &execution))
            #expect(sighash.bytes.hexString == inputIntermediary["sigHash"] as? String, "input \(index) sighash")
            // BIP341's vectors sign with all-zero auxiliary randomness.
            var signature = try tweaked.signSchnorr(message: sighash.bytes, auxiliaryRandomness: [UInt8](repeating: 0, count: 32))
            if hashType != SighashType.default { signature.append(hashType) }
            let expectedWitness = (input["expected"] as? [String: Any])?["witness"] as? [String]
            #expect([signature.hexString] == expectedWitness, "input \(index) signature")
        }

        // The fully signed transaction (taproot, P2PKH and P2WPKH inputs) verifies under consensus rules.
        let auxiliary = try #require(spending["auxiliary"] as? [String: Any])
        let signed = try Transaction(serialized: Self.hex(auxiliary["fullySignedTx"]))
        #expect(throws: Never.self) { try ScriptVerifier.verifyInputs(of: signed, spentOutputs: utxos, flags: .standard) }
    }
}
