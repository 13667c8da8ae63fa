/// Why relay policy refuses a transaction, with Bitcoin Core's reject reason (what
/// `testmempoolaccept` and `sendrawtransaction` report) and, where Core gives one, detail.
public struct PolicyRejection: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String
    public let detail: String?

    public init(_ reason: String, _ detail: String? = nil) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { detail.map { "\(reason) (\($0))" } ?? reason }

    public static let version = PolicyRejection("version")
    public static let weight = PolicyRejection("tx-size")
    public static let tooSmall = PolicyRejection("tx-size-small")
    public static let scriptSigSize = PolicyRejection("scriptsig-size")
    public static let scriptSigNotPushOnly = PolicyRejection("scriptsig-not-pushonly")
    public static let scriptPubKey = PolicyRejection("scriptpubkey")
    public static let dataCarrier = PolicyRejection("datacarrier")
    public static let bareMultisig = PolicyRejection("bare-multisig")
    public static let dust = PolicyRejection("dust")
    public static let nonstandardInputs = PolicyRejection("bad-txns-nonstandard-inputs")
    public static let nonstandardWitness = PolicyRejection("bad-witness-nonstandard")
    /// An extension record of a type this node does not know (PROTOCOL.md §1); no Core
    /// equivalent, named like Core's output reasons.
    public static let unknownExtensionRecord = PolicyRejection("extension-record-unknown")
}
