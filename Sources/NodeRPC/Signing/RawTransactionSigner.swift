import ByteCodec
import ChainTypes
import Script

/// Signs every input it can, as Bitcoin Core's `SignTransaction` (src/script/sign.cpp): each
/// input's coin must be known; inputs that end up not verifying under the standard flags get
/// Core's error message; a segwit input signed without a known amount is reported as missing
/// its amount.
public struct RawTransactionSigner: Sendable {
    /// Per-input failure, in Core's wording.
    public struct InputError: Sendable, Hashable {
        /// The input's position.
        public var index: Int
        /// Core's message, e.g. "Input not found or already spent".
        public var message: String
    }

    /// The outcome: the transaction with every signature that could be made, and the inputs
    /// that are not (yet) valid.
    public struct Result: Sendable {
        /// The (partially) signed transaction.
        public var transaction: Transaction
        /// The inputs that do not verify, by index.
        public var errors: [InputError]
        /// Whether every input verifies.
        public var isComplete: Bool { errors.isEmpty }
    }

    /// Core's stand-in value for a coin whose amount was not given (`MAX_MONEY`).
    public static let unknownAmount = Amount.maxMoney
    /// The message of an input that needs an amount that was not given.
    public static let missingAmountMessage = "Missing amount"

    /// The keys and scripts to sign with.
    public var provider: SigningProvider
    /// The hash type (`SighashType.default` for ECDSA means ALL).
    public var hashType: UInt8

    /// A signer with `provider` and `hashType`.
    public init(provider: SigningProvider, hashType: UInt8 = SighashType.default) {
        self.provider = provider
        self.hashType = hashType
    }

    /// Signs `transaction`, whose spent coins are looked up in `coins`.
    public func sign(_ transaction: Transaction, coins: [OutPoint: TxOut]) -> Result {
        let spent = transaction.inputs.compactMap { coins[$0.previousOutput] }
        let precomputed = PrecomputedTransactionData(
            transaction: transaction, spentOutputs: spent.count == transaction.inputs.count ? spent : nil)
        let single = hashType & ~SighashType.anyoneCanPay == SighashType.single
        var inputs = transaction.inputs
        var errors: [InputError] = []
        for (index, input) in transaction.inputs.enumerated() {
            guard let coin = coins[input.previousOutput] else {
                errors.append(InputError(index: index, message: "Input not found or already spent"))
                continue
            }
            if !single || index < transaction.outputs.count {
                let signer = InputSigner(
                    provider: provider, transaction: transaction, inputIndex: index, amount: coin.value,
                    precomputed: precomputed, hashType: hashType)
                let output = signer.sign(scriptPubKey: coin.scriptPubKey)
                if output.solved || !output.scriptSig.isEmpty || !output.witness.isEmpty {
                    inputs[index].scriptSig = output.scriptSig
                    inputs[index].witness = output.witness
                }
            }
            if coin.value == Self.unknownAmount && !inputs[index].witness.isEmpty {
                errors.append(InputError(index: index, message: Self.missingAmountMessage))
                continue
            }
            let current = transaction.with(inputs: inputs)
            let checker = TransactionSignatureChecker(
                transaction: current, inputIndex: index, amount: coin.value, precomputed: precomputed)
            do throws(ScriptError) {
                try ScriptVerifier.verify(
                    scriptSig: inputs[index].scriptSig, scriptPubKey: coin.scriptPubKey, witness: inputs[index].witness,
                    flags: .standard, checker: checker)
            } catch {
                errors.append(InputError(index: index, message: Self.message(for: error)))
            }
        }
        return Result(transaction: transaction.with(inputs: inputs), errors: errors)
    }

    private static func message(for error: ScriptError) -> String {
        switch error {
        case .invalidStackOperation: "Unable to sign input, invalid stack size (possibly missing key)"
        case .sigNullFail: "CHECK(MULTI)SIG failing with non-zero signature (possibly need more signatures)"
        default: error.coreMessage
        }
    }
}
