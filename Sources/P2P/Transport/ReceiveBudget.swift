import P2PWire
import Synchronization

/// How much a peer's received messages may pile up before being handled: reading from its
/// socket pauses above the limit (Core's `-maxreceivebuffer`, 5 MB) and resumes once half is
/// handled, so a peer that sends faster than the node validates is slowed by TCP, not
/// buffered in memory.
public final class ReceiveBudget: Sendable {
    /// Core's `DEFAULT_MAXRECEIVEBUFFER`: 5,000 KB.
    public static let defaultLimit = 5_000_000

    private struct State {
        var queued = 0
        var paused = false
    }

    private let state = Mutex(State())
    public let limit: Int

    public init(limit: Int = defaultLimit) {
        self.limit = limit
    }

    /// Bytes received and not yet handled.
    public var queued: Int { state.withLock { $0.queued } }

    /// A message was queued; returns true when reading must pause now.
    public func charge(_ message: Message) -> Bool {
        state.withLock { state in
            state.queued += message.queuedCost
            guard state.queued > limit, !state.paused else { return false }
            state.paused = true
            return true
        }
    }

    /// A message was handled; returns true when reading may resume now.
    public func release(_ message: Message) -> Bool {
        state.withLock { state in
            state.queued = max(0, state.queued - message.queuedCost)
            guard state.paused, state.queued <= limit / 2 else { return false }
            state.paused = false
            return true
        }
    }
}

extension Message {
    /// About the bytes the message held on the wire (cheap: sizes are known after decoding).
    var queuedCost: Int {
        switch self {
        case let .block(block): block.totalSize
        case let .serializedBlock(bytes): bytes.count
        case let .transaction(transaction): transaction.totalSize
        case let .compactBlock(compact): 88 + 6 * compact.shortIDs.count + compact.prefilled.reduce(0) { $0 + $1.transaction.totalSize }
        case let .blockTransactions(answer): 32 + answer.transactions.reduce(0) { $0 + $1.totalSize }
        case let .headers(headers): 81 * headers.count
        case let .inventory(items), let .getData(items), let .notFound(items): 36 * items.count
        case let .addresses(entries): 30 * entries.count
        case let .addressesV2(entries): entries.reduce(0) { $0 + 16 + $1.address.count }
        case let .filter(message): 40 + message.filter.count
        default: 64
        }
    }
}
