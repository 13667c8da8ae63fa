/// Why `Mempool.accept` did not add a transaction.
public enum MempoolError: Error, Equatable, Sendable {
    /// The transaction breaks a rule; Core's reject reason.
    case rejected(MempoolRejection)
    /// The chain could not be read (a storage failure, not the transaction's fault).
    case chainUnavailable(String)
    /// Valid, but paying more than the caller's cap (`sendrawtransaction`'s `maxfeerate`).
    case feeAboveMaximum
}
