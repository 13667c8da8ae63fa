/// Why the mempool refuses a transaction (a consensus rule or relay policy), with Bitcoin
/// Core's reject reason (what `testmempoolaccept` and `sendrawtransaction` report) and, where
/// Core gives one, detail.
public struct MempoolRejection: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String
    public let detail: String?

    public init(_ reason: String, _ detail: String? = nil) {
        self.reason = reason
        self.detail = detail
    }

    /// Core's `TxValidationState::ToString`: the reason, then `, ` and the detail if any (the
    /// message of `sendrawtransaction` errors and `testmempoolaccept`'s `reject-details`).
    public var description: String { detail.map { "\(reason), \($0)" } ?? reason }

    public static let version = MempoolRejection("version")
    public static let weight = MempoolRejection("tx-size")
    public static let tooSmall = MempoolRejection("tx-size-small")
    public static let scriptSigSize = MempoolRejection("scriptsig-size")
    public static let scriptSigNotPushOnly = MempoolRejection("scriptsig-not-pushonly")
    public static let scriptPubKey = MempoolRejection("scriptpubkey")
    public static let dataCarrier = MempoolRejection("datacarrier")
    public static let bareMultisig = MempoolRejection("bare-multisig")
    public static let dust = MempoolRejection("dust")
    public static let nonstandardInputs = MempoolRejection("bad-txns-nonstandard-inputs")
    public static let nonstandardWitness = MempoolRejection("bad-witness-nonstandard")
    public static let coinbase = MempoolRejection("coinbase")
    public static let nonFinal = MempoolRejection("non-final")
    public static let nonBIP68Final = MempoolRejection("non-BIP68-final")
    public static let alreadyInMempool = MempoolRejection("txn-already-in-mempool")
    public static let sameNonWitnessData = MempoolRejection("txn-same-nonwitness-data-in-mempool")
    public static let spendsConflictingTransaction = MempoolRejection("bad-txns-spends-conflicting-tx")
    public static let tooManyReplacements = MempoolRejection("too many potential replacements")
    public static let replacementAddsUnconfirmed = MempoolRejection("replacement-adds-unconfirmed")
    public static let missingInputs = MempoolRejection("missing-inputs")
    public static let alreadyKnown = MempoolRejection("txn-already-known")
    public static let tooManySigops = MempoolRejection("bad-txns-too-many-sigops")
    public static let mempoolFull = MempoolRejection("mempool full")
    /// A package transaction conflicting with the pool (replacement inside packages is not
    /// supported, as in Core before package RBF).
    public static let replacementDisallowed = MempoolRejection("bip125-replacement-disallowed")

    /// Core's `TX_RECONSIDERABLE`: the fee is too low on its own, but a child's could make up for it.
    public var isFeeTooLow: Bool { reason == "mempool min fee not met" || reason == "min relay fee not met" }
    /// An extension record of a type this node does not know (PROTOCOL.md §1); no Core
    /// equivalent, named like Core's output reasons.
    public static let unknownExtensionRecord = MempoolRejection("extension-record-unknown")
}
