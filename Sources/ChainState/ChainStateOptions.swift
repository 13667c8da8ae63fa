import Foundation
import Script

/// Tunables of a `ChainState`.
public struct ChainStateOptions: Sendable {
    /// Bytes of UTXO cache before changes are flushed to the store (`-dbcache`, default 450 MiB).
    public var coinsCacheBytes: Int
    /// Keep a txid → block index (`-txindex`).
    public var transactionIndex: Bool
    /// Keep the BIP158 basic filter and filter header of every connected block
    /// (`-blockfilterindex`).
    public var blockFilterIndex: Bool
    /// Threads that verify scripts in parallel, the connecting thread included (`-par`;
    /// default: all cores).
    public var scriptThreads: Int
    /// Current Unix time, injectable for tests.
    public var now: @Sendable () -> Int64
    /// Signature cache shared with the mempool, if any.
    public var signatureCache: SignatureCache?

    public init(
        coinsCacheBytes: Int = 450 << 20, transactionIndex: Bool = false, blockFilterIndex: Bool = false,
        scriptThreads: Int = ProcessInfo.processInfo.activeProcessorCount,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }, signatureCache: SignatureCache? = nil
    ) {
        self.coinsCacheBytes = coinsCacheBytes
        self.transactionIndex = transactionIndex
        self.blockFilterIndex = blockFilterIndex
        self.scriptThreads = max(1, scriptThreads)
        self.now = now
        self.signatureCache = signatureCache
    }
}
