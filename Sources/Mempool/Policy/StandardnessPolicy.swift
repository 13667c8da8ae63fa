import ByteCodec
import ChainTypes
import Consensus
import Script

/// Bitcoin Core's standardness rules (`policy/policy.cpp`): what a node relays and keeps in its
/// mempool beyond what consensus allows. Each check throws Core's reject reason.
public enum StandardnessPolicy {
    /// Core's `IsStandardTx` and the `tx-size-small` check of `PreChecks`: version, weight,
    /// scriptSigs, output templates, data carriers, bare multisig, dust; plus Rusty Coin's rule
    /// that extension records of unknown types are not relayed.
    public static func check(_ transaction: Transaction, settings: PolicySettings) throws(MempoolRejection) {
        if !settings.standardVersions.contains(transaction.version) { throw .version }
        if transaction.weight > settings.maxStandardWeight { throw .weight }
        for input in transaction.inputs {
            if input.scriptSig.count > settings.maxScriptSigSize { throw .scriptSigSize }
            if !ScriptPattern.isPushOnly(input.scriptSig) { throw .scriptSigNotPushOnly }
        }
        var dataCarrierBytesLeft = settings.dataCarrierBytes ?? 0
        for output in transaction.outputs {
            let solution = ScriptSolution(script: output.scriptPubKey)
            guard isStandard(solution) else { throw .scriptPubKey }
            switch solution.type {
            case .nulldata:
                if output.scriptPubKey.count > dataCarrierBytesLeft { throw .dataCarrier }
                dataCarrierBytesLeft -= output.scriptPubKey.count
                if let record = ExtensionRecord(script: output.scriptPubKey), !settings.knownExtensionRecordTypes.contains(record.type) {
                    throw .unknownExtensionRecord
                }
            case .multisig where !settings.permitBareMultisig:
                throw .bareMultisig
            default:
                break
            }
        }
        if transaction.outputs.count(where: { isDust($0, dustRelayFee: settings.dustRelayFee) }) > settings.maxDustOutputs {
            throw .dust
        }
        // After the rest, as in Core's PreChecks: 65 bytes at least, so a transaction cannot pass
        // for a 64-byte merkle node (CVE-2017-12842).
        if transaction.baseSize < settings.minNonWitnessSize { throw .tooSmall }
    }

    /// Core's `::IsStandard` for an output template: any known one, multisig only up to 3 keys.
    static func isStandard(_ solution: ScriptSolution) -> Bool {
        switch solution.type {
        case .nonstandard:
            return false
        case .multisig:
            guard let required = solution.solutions.first?.first, let keys = solution.solutions.last?.first else { return false }
            return (1...3).contains(keys) && (1...keys).contains(required)
        default:
            return true
        }
    }

    /// The value below which `output` costs more to spend than it is worth at `dustRelayFee`
    /// (Core's `GetDustThreshold`: the output plus a typical input spending it, witness bytes
    /// discounted); zero for unspendable outputs.
    public static func dustThreshold(of output: TxOut, dustRelayFee: FeeRate) -> Amount {
        if ScriptPattern.isUnspendable(output.scriptPubKey) { return .zero }
        var size = 8 + ByteWriter.compactSizeLength(output.scriptPubKey.count) + output.scriptPubKey.count
        if ScriptPattern.witnessProgramShape(output.scriptPubKey) != nil {
            size += 32 + 4 + 1 + 107 / 4 + 4
        } else {
            size += 32 + 4 + 1 + 107 + 4
        }
        return dustRelayFee.fee(virtualSize: size)
    }

    /// Whether `output` is dust at `dustRelayFee`.
    public static func isDust(_ output: TxOut, dustRelayFee: FeeRate) -> Bool {
        output.value < dustThreshold(of: output, dustRelayFee: dustRelayFee)
    }

    /// Core's `AreInputsStandard`: every spent output has a known template other than an
    /// unknown witness version, and a P2SH redeem script has at most 15 sigops.
    public static func checkInputs(_ transaction: Transaction, spentOutputs: [TxOut], settings: PolicySettings) throws(MempoolRejection) {
        guard !transaction.isCoinbase else { return }
        for (input, spent) in zip(transaction.inputs, spentOutputs) {
            let type = ScriptSolution(script: spent.scriptPubKey).type
            switch type {
            case .nonstandard, .witnessUnknown:
                throw .nonstandardInputs
            case .scripthash:
                guard let redeemScript = lastStackItem(of: input.scriptSig),
                    SignatureOperations.count(in: redeemScript, accurate: true) <= settings.maxPayToScriptHashSigops
                else { throw .nonstandardInputs }
            default:
                break
            }
        }
    }

    /// Core's `IsWitnessStandard`: witnesses only on witness programs (P2SH-wrapped included,
    /// never on pay-to-anchor), P2WSH within its script, item-count and item-size limits, no
    /// taproot annex, tapscript items within their size limit.
    public static func checkWitnesses(_ transaction: Transaction, spentOutputs: [TxOut], settings: PolicySettings) throws(MempoolRejection) {
        guard !transaction.isCoinbase else { return }
        for (input, spent) in zip(transaction.inputs, spentOutputs) where !input.witness.isEmpty {
            var script = spent.scriptPubKey
            // Witness stuffing on a pay-to-anchor output.
            if let (version, length) = ScriptPattern.witnessProgramShape(script), length == 2,
                ScriptPattern.isPayToAnchor(version: version, program: script[2...]) {
                throw .nonstandardWitness
            }
            var wrapped = false
            if ScriptPattern.isPayToScriptHash(script) {
                guard let redeemScript = lastStackItem(of: input.scriptSig) else { throw .nonstandardWitness }
                script = redeemScript
                wrapped = true
            }
            guard let (version, length) = ScriptPattern.witnessProgramShape(script) else { throw .nonstandardWitness }
            let stack = input.witness
            if version == 0 && length == 32 {
                guard let witnessScript = stack.last, witnessScript.count <= settings.maxWitnessScriptSize,
                    stack.count - 1 <= settings.maxWitnessScriptStackItems,
                    stack.dropLast().allSatisfy({ $0.count <= settings.maxWitnessStackItemSize })
                else { throw .nonstandardWitness }
            }
            if version == 1 && length == 32 && !wrapped {
                var items = stack[...]
                if items.count >= 2, items.last?.first == 0x50 { throw .nonstandardWitness }  // annex
                if items.count >= 2 {
                    guard let control = items.popLast(), let leaf = control.first else { throw .nonstandardWitness }
                    _ = items.popLast()  // the script
                    if leaf & 0xfe == ScriptVerifier.tapscriptLeafVersion,
                        items.contains(where: { $0.count > settings.maxTapscriptStackItemSize }) {
                        throw .nonstandardWitness
                    }
                } else if items.isEmpty {
                    throw .nonstandardWitness
                }
            }
        }
    }

    /// The top of the stack a scriptSig leaves when run on its own (no signature checks), as Core
    /// extracts a P2SH redeem script; nil if it fails or leaves nothing.
    static func lastStackItem(of scriptSig: [UInt8]) -> [UInt8]? {
        var stack: [[UInt8]] = []
        var execution = ScriptExecutionData()
        do {
            try Interpreter.evaluate(stack: &stack, script: scriptSig, flags: [], checker: NoTransactionChecker(), version: .base, execution: &execution)
        } catch {
            return nil
        }
        return stack.last
    }
}
