import ChainTypes

/// Transactions whose inputs are not known yet, kept until a parent arrives (Core's
/// `TxOrphanage`): bounded in number, in weight per peer and in time, so no peer can fill it or
/// push out what others sent.
///
/// When the pool is over its count, the peer using the most weight loses its oldest orphan; a
/// peer over its weight allowance loses its own oldest. `Peer` identifies who sent an orphan
/// (the P2P layer's peer id).
public struct OrphanPool<Peer: Hashable & Sendable>: Sendable {
    /// The bounds (Core's defaults: 100 orphans, a 404,000 weight-unit reservation per peer,
    /// 20 minutes).
    public struct Limits: Sendable {
        public var maxCount = 100
        public var maxWeightPerPeer = 404_000
        public var maxTransactionWeight = 400_000
        public var lifetimeSeconds: Int64 = 20 * 60
        public init() {}
    }

    struct Orphan {
        let transaction: Transaction
        let peer: Peer
        let expiry: Int64
        let arrival: UInt64
    }

    public let limits: Limits
    private var orphans: [WTxID: Orphan] = [:]
    /// The orphans spending each outpoint (several may, until one parent arrives).
    private var spenders: [OutPoint: Set<WTxID>] = [:]
    /// Each peer's orphans, oldest first, and their weight.
    private var byPeer: [Peer: [WTxID]] = [:]
    private var weightByPeer: [Peer: Int] = [:]
    private var nextArrival: UInt64 = 0

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    public var count: Int { orphans.count }

    public func contains(_ wtxid: WTxID) -> Bool { orphans[wtxid] != nil }

    /// Every orphan (candidates for rebuilding compact blocks, as Core's extra transactions).
    public var transactions: [Transaction] { orphans.values.map(\.transaction) }

    /// The weight of `peer`'s orphans.
    public func weight(of peer: Peer) -> Int { weightByPeer[peer] ?? 0 }

    /// Keeps `transaction`, sent by `peer`, until its parents arrive; returns whether it is kept
    /// (not when too heavy, already kept, or pushed out at once by the limits). Drops expired
    /// orphans first.
    @discardableResult
    public mutating func add(_ transaction: Transaction, from peer: Peer, now: Int64) -> Bool {
        expire(now: now)
        let wtxid = transaction.wtxid
        guard orphans[wtxid] == nil, transaction.weight <= limits.maxTransactionWeight else { return false }
        orphans[wtxid] = Orphan(transaction: transaction, peer: peer, expiry: now + limits.lifetimeSeconds, arrival: nextArrival)
        nextArrival += 1
        for input in transaction.inputs { spenders[input.previousOutput, default: []].insert(wtxid) }
        byPeer[peer, default: []].append(wtxid)
        weightByPeer[peer, default: 0] += transaction.weight
        while weight(of: peer) > limits.maxWeightPerPeer, let oldest = byPeer[peer]?.first { remove(oldest) }
        while orphans.count > limits.maxCount, let heaviest = weightByPeer.max(by: { $0.value < $1.value })?.key,
            let oldest = byPeer[heaviest]?.first
        {
            remove(oldest)
        }
        return orphans[wtxid] != nil
    }

    /// The orphans spending an output of `parent`, oldest first (to try again now that it
    /// arrived).
    public func children(of parent: Transaction) -> [Transaction] {
        var found: Set<WTxID> = []
        for index in parent.outputs.indices {
            found.formUnion(spenders[OutPoint(txid: parent.txid, index: UInt32(index))] ?? [])
        }
        return found.compactMap { orphans[$0] }.sorted { $0.arrival < $1.arrival }.map(\.transaction)
    }

    /// Forgets an orphan (accepted, or found invalid).
    public mutating func remove(_ wtxid: WTxID) {
        guard let orphan = orphans.removeValue(forKey: wtxid) else { return }
        for input in orphan.transaction.inputs {
            spenders[input.previousOutput]?.remove(wtxid)
            if spenders[input.previousOutput]?.isEmpty == true { spenders[input.previousOutput] = nil }
        }
        byPeer[orphan.peer]?.removeAll { $0 == wtxid }
        weightByPeer[orphan.peer, default: 0] -= orphan.transaction.weight
        if byPeer[orphan.peer]?.isEmpty == true {
            byPeer[orphan.peer] = nil
            weightByPeer[orphan.peer] = nil
        }
    }

    /// Forgets everything `peer` sent (it disconnected).
    public mutating func removeAll(from peer: Peer) {
        for wtxid in byPeer[peer] ?? [] { remove(wtxid) }
    }

    /// Forgets the orphans `block` confirmed or made impossible (spending what it spent).
    public mutating func removeForBlock(_ block: Block) {
        var gone: Set<WTxID> = []
        for transaction in block.transactions {
            if orphans[transaction.wtxid] != nil { gone.insert(transaction.wtxid) }
            for input in transaction.inputs { gone.formUnion(spenders[input.previousOutput] ?? []) }
        }
        for wtxid in gone { remove(wtxid) }
    }

    /// Forgets orphans kept longer than the lifetime.
    public mutating func expire(now: Int64) {
        for (wtxid, orphan) in orphans where orphan.expiry <= now { remove(wtxid) }
    }
}
