import ChainCrypto
import ChainTypes
import Testing
@testable import Mempool
@testable import Script

/// Bitcoin Core's standardness rules (`IsStandardTx`, `GetDustThreshold`, `AreInputsStandard`,
/// `IsWitnessStandard`) with Core's reject reasons and v31 defaults.
@Suite struct StandardnessPolicyTests {
    static let settings = PolicySettings()
    static let key = PrivateKey.random().publicKey()
    static let p2wpkh = TransactionSigner.payToWitnessPubkeyHash(key)
    static let p2pkh: [UInt8] = [Opcode.dup, Opcode.hash160, 20] + [UInt8](repeating: 7, count: 20) + [Opcode.equalVerify, Opcode.checkSig]
    static let p2sh: [UInt8] = [Opcode.hash160, 20] + [UInt8](repeating: 8, count: 20) + [Opcode.equal]
    static let p2wsh: [UInt8] = [Opcode.op0, 32] + [UInt8](repeating: 9, count: 32)
    static let p2tr: [UInt8] = [Opcode.op1, 32] + [UInt8](repeating: 10, count: 32)
    static let anchor: [UInt8] = [Opcode.op1, 2, 0x4e, 0x73]

    /// A one-input transaction paying `outputs` (default: one P2WPKH output of 10,000 sat).
    static func transaction(
        version: UInt32 = 2, scriptSig: [UInt8] = [], witness: [[UInt8]] = [], outputs: [TxOut]? = nil
    ) -> Transaction {
        let funding = TxID(Hashing.sha256d(Array("standardness".utf8)))
        return Transaction(
            version: version,
            inputs: [TxIn(previousOutput: OutPoint(txid: funding, index: 0), scriptSig: scriptSig, sequence: 0xffff_fffd, witness: witness)],
            outputs: outputs ?? [TxOut(value: Amount(satoshis: 10_000), scriptPubKey: p2wpkh)])
    }

    static func output(_ script: [UInt8], _ value: Int64 = 10_000) -> TxOut { TxOut(value: Amount(satoshis: value), scriptPubKey: script) }

    static func rejection(_ body: () throws(MempoolRejection) -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return error.reason
        }
    }

    static func check(_ transaction: Transaction, _ settings: PolicySettings = settings) -> String? {
        rejection { () throws(MempoolRejection) in try StandardnessPolicy.check(transaction, settings: settings) }
    }

    @Test func feeRatesRoundUpAndChargeAtLeastOneSatoshi() {
        let rate = FeeRate(satoshisPerKilovirtualByte: 3000)
        #expect(rate.fee(virtualSize: 182) == Amount(satoshis: 546))
        #expect(FeeRate(satoshisPerKilovirtualByte: 1001).fee(virtualSize: 1) == Amount(satoshis: 2))
        #expect(FeeRate(satoshisPerKilovirtualByte: 100).fee(virtualSize: 1) == Amount(satoshis: 1))
        #expect(FeeRate(satoshisPerKilovirtualByte: 100).fee(virtualSize: 0) == .zero)
        #expect(FeeRate(satoshisPerKilovirtualByte: 0).fee(virtualSize: 500) == .zero)
        #expect(FeeRate(satoshisPerKilovirtualByte: 1234).description == "1.234 sat/vB")
        #expect(FeeRate(satoshisPerKilovirtualByte: 100).description == "0.100 sat/vB")
    }

    /// Core's well-known thresholds at the default 3 sat/vB: 546 (P2PKH), 540 (P2SH), 294
    /// (P2WPKH), 330 (P2WSH, P2TR), 240 (P2A), nothing for OP_RETURN.
    @Test func dustThresholdsMatchCore() {
        let rate = Self.settings.dustRelayFee
        func threshold(_ script: [UInt8]) -> Int64 { StandardnessPolicy.dustThreshold(of: Self.output(script), dustRelayFee: rate).satoshis }
        #expect(threshold(Self.p2pkh) == 546)
        #expect(threshold(Self.p2sh) == 540)
        #expect(threshold(Self.p2wpkh) == 294)
        #expect(threshold(Self.p2wsh) == 330)
        #expect(threshold(Self.p2tr) == 330)
        #expect(threshold(Self.anchor) == 240)
        #expect(threshold([Opcode.return, 1, 0]) == 0)
        #expect(StandardnessPolicy.isDust(Self.output(Self.p2wpkh, 293), dustRelayFee: rate))
        #expect(!StandardnessPolicy.isDust(Self.output(Self.p2wpkh, 294), dustRelayFee: rate))
    }

    @Test func standardTransactionsPass() {
        #expect(Self.check(Self.transaction()) == nil)
        #expect(Self.check(Self.transaction(version: 1)) == nil)
        #expect(Self.check(Self.transaction(version: 3)) == nil)
        let mixed = Self.transaction(outputs: [Self.p2pkh, Self.p2sh, Self.p2wpkh, Self.p2wsh, Self.p2tr].map { Self.output($0) })
        #expect(Self.check(mixed) == nil)
    }

    @Test func versionWeightAndSizeLimits() {
        #expect(Self.check(Self.transaction(version: 0)) == "version")
        #expect(Self.check(Self.transaction(version: 4)) == "version")
        let huge = Self.transaction(outputs: [Self.output(Self.p2wpkh), Self.output([Opcode.return] + [UInt8](repeating: 0x51, count: 99_990))])
        #expect(Self.check(huge) == "tx-size")
        // 64 bytes without witness: one input, one 1-byte-script output... too small.
        let tiny = Self.transaction(outputs: [Self.output([Opcode.return, 1, 0], 0)])
        #expect(tiny.baseSize < 65)
        #expect(Self.check(tiny) == "tx-size-small")
    }

    @Test func scriptSigsMustBeSmallPushes() {
        let push: [UInt8] = [Opcode.pushData2, 0x73, 0x06] + [UInt8](repeating: 1, count: 1651)
        #expect(Self.check(Self.transaction(scriptSig: push)) == "scriptsig-size")
        #expect(Self.check(Self.transaction(scriptSig: [Opcode.op1, Opcode.dup])) == "scriptsig-not-pushonly")
        #expect(Self.check(Self.transaction(scriptSig: [Opcode.op1, 2, 1, 1])) == nil)
    }

    @Test func outputTemplates() {
        func multisig(_ required: Int, _ keys: Int) -> [UInt8] {
            [Opcode.op1 + UInt8(required - 1)] + (0..<keys).flatMap { _ in [33] + Self.key.bytes } + [Opcode.op1 + UInt8(keys - 1), Opcode.checkMultiSig]
        }
        #expect(Self.check(Self.transaction(outputs: [Self.output([Opcode.op1])])) == "scriptpubkey")
        #expect(Self.check(Self.transaction(outputs: [Self.output(multisig(2, 3))])) == nil)
        #expect(Self.check(Self.transaction(outputs: [Self.output(multisig(1, 4))])) == "scriptpubkey")
        var noBare = Self.settings
        noBare.permitBareMultisig = false
        #expect(Self.check(Self.transaction(outputs: [Self.output(multisig(1, 2))]), noBare) == "bare-multisig")
        // Unknown witness versions are standard to create (spending them is not).
        #expect(Self.check(Self.transaction(outputs: [Self.output([Opcode.op1 + 1, 32] + [UInt8](repeating: 3, count: 32))])) == nil)
    }

    @Test func dataCarriersShareOneBudget() {
        let data = { (size: Int) in Self.output([Opcode.return, Opcode.pushData2, UInt8(size & 0xff), UInt8(size >> 8)] + [UInt8](repeating: 5, count: size), 0) }
        #expect(Self.check(Self.transaction(outputs: [Self.output(Self.p2wpkh), data(80), data(80)])) == nil)
        var small = Self.settings
        small.dataCarrierBytes = 100
        #expect(Self.check(Self.transaction(outputs: [Self.output(Self.p2wpkh), data(60), data(60)]), small) == "datacarrier")
        #expect(Self.check(Self.transaction(outputs: [Self.output(Self.p2wpkh), data(40)]), small) == nil)
        var none = Self.settings
        none.dataCarrierBytes = nil
        #expect(Self.check(Self.transaction(outputs: [Self.output(Self.p2wpkh), Self.output([Opcode.return], 0)]), none) == "datacarrier")
    }

    @Test func atMostOneDustOutput() {
        let one = Self.transaction(outputs: [Self.output(Self.p2wpkh), Self.output(Self.p2tr, 100)])
        #expect(Self.check(one) == nil)
        let two = Self.transaction(outputs: [Self.output(Self.p2wpkh), Self.output(Self.p2tr, 100), Self.output(Self.anchor, 0)])
        #expect(Self.check(two) == "dust")
    }

    @Test func extensionRecordsOfUnknownTypesAreNotRelayed() {
        let record = ExtensionRecord(type: 7, version: 1, payload: [1, 2, 3])
        #expect(ExtensionRecord(script: record.script) == record)
        let transaction = Self.transaction(outputs: [Self.output(Self.p2wpkh), Self.output(record.script, 0)])
        #expect(Self.check(transaction) == "extension-record-unknown")
        var knowing = Self.settings
        knowing.knownExtensionRecordTypes = [7]
        #expect(Self.check(transaction, knowing) == nil)
        // A data carrier that merely mentions the magic later is not a record.
        #expect(ExtensionRecord(script: [Opcode.return, 7, 0] + ExtensionRecord.magic + [7, 1]) == nil)
        let large = ExtensionRecord(type: 1, version: 0, payload: [UInt8](repeating: 4, count: 300))
        #expect(ExtensionRecord(script: large.script) == large)
    }

    static func inputsRejection(_ scriptSig: [UInt8], spending script: [UInt8]) -> String? {
        rejection { () throws(MempoolRejection) in
            try StandardnessPolicy.checkInputs(Self.transaction(scriptSig: scriptSig), spentOutputs: [Self.output(script)], settings: Self.settings)
        }
    }

    @Test func spentOutputsMustBeStandard() {
        #expect(Self.inputsRejection([], spending: Self.p2wpkh) == nil)
        #expect(Self.inputsRejection([], spending: [Opcode.op1]) == "bad-txns-nonstandard-inputs")
        #expect(Self.inputsRejection([], spending: [Opcode.op1 + 1, 32] + [UInt8](repeating: 3, count: 32)) == "bad-txns-nonstandard-inputs")
        // P2SH: at most 15 sigops in the redeem script.
        let fifteen = [UInt8](repeating: Opcode.checkSig, count: 15), sixteen = [UInt8](repeating: Opcode.checkSig, count: 16)
        #expect(Self.inputsRejection(ScriptBuilder.push(fifteen), spending: Self.p2sh) == nil)
        #expect(Self.inputsRejection(ScriptBuilder.push(sixteen), spending: Self.p2sh) == "bad-txns-nonstandard-inputs")
        #expect(Self.inputsRejection([], spending: Self.p2sh) == "bad-txns-nonstandard-inputs")
    }

    static func witnessRejection(_ witness: [[UInt8]], spending script: [UInt8], scriptSig: [UInt8] = []) -> String? {
        rejection { () throws(MempoolRejection) in
            try StandardnessPolicy.checkWitnesses(
                Self.transaction(scriptSig: scriptSig, witness: witness), spentOutputs: [Self.output(script)], settings: Self.settings)
        }
    }

    @Test func witnessesWithinCoreLimits() {
        let item = { (size: Int) in [UInt8](repeating: 1, count: size) }
        #expect(Self.witnessRejection([item(72), item(33)], spending: Self.p2wpkh) == nil)
        // Witness on a non-witness output, or on a pay-to-anchor.
        #expect(Self.witnessRejection([item(1)], spending: Self.p2pkh) == "bad-witness-nonstandard")
        #expect(Self.witnessRejection([item(1)], spending: Self.anchor) == "bad-witness-nonstandard")
        // P2WSH: script, item count and item size.
        #expect(Self.witnessRejection([item(80), item(3600)], spending: Self.p2wsh) == nil)
        #expect(Self.witnessRejection([item(80), item(3601)], spending: Self.p2wsh) == "bad-witness-nonstandard")
        #expect(Self.witnessRejection([item(81), item(10)], spending: Self.p2wsh) == "bad-witness-nonstandard")
        #expect(Self.witnessRejection(Array(repeating: item(1), count: 100) + [item(10)], spending: Self.p2wsh) == nil)
        #expect(Self.witnessRejection(Array(repeating: item(1), count: 101) + [item(10)], spending: Self.p2wsh) == "bad-witness-nonstandard")
        // P2SH-wrapped P2WSH follows the same limits.
        let wrapped = ScriptBuilder.push(Self.p2wsh)
        #expect(Self.witnessRejection([item(81), item(10)], spending: Self.p2sh, scriptSig: wrapped) == "bad-witness-nonstandard")
        // Taproot: no annex; tapscript items at most 80 bytes; key path unrestricted.
        #expect(Self.witnessRejection([item(64)], spending: Self.p2tr) == nil)
        #expect(Self.witnessRejection([item(64), [0x50, 1]], spending: Self.p2tr) == "bad-witness-nonstandard")
        let control = [ScriptVerifier.tapscriptLeafVersion] + item(32)
        #expect(Self.witnessRejection([item(80), [Opcode.op1], control], spending: Self.p2tr) == nil)
        #expect(Self.witnessRejection([item(81), [Opcode.op1], control], spending: Self.p2tr) == "bad-witness-nonstandard")
        // Another leaf version: no tapscript item limit.
        #expect(Self.witnessRejection([item(81), [Opcode.op1], [0xc2] + item(32)], spending: Self.p2tr) == nil)
    }
}
