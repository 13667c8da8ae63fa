import P2PWire

/// Which inbound peer to drop for a newcomer when inbound slots are full, as Core's
/// `SelectNodeToEvict`: peers in the most useful positions are protected — 4 by network group
/// (keyed, so an attacker cannot predict which), the 8 with the lowest ping, the 4 that most
/// recently sent new transactions, up to 8 block-relay peers that most recently sent new blocks,
/// the 4 that most recently sent new blocks, then the older half by connection time — and of
/// the rest, the youngest peer of the network group with the most connections goes. Nil when
/// every peer is protected (the newcomer is refused).
public enum InboundEviction {
    public struct Candidate: Sendable {
        public let id: Int
        /// Unix seconds when it connected.
        public let connectedAt: Int64
        /// Its best ping (ms), nil if never measured.
        public let minimumPing: Int64?
        /// When it last sent a block or a transaction we did not have (Unix seconds, 0 never).
        public let lastBlockTime: Int64
        public let lastTransactionTime: Int64
        /// Whether transactions are relayed with it.
        public let relaysTransactions: Bool
        /// Its network group, and that group's keyed hash (protection order).
        public let group: AddressGroup
        public let groupKey: UInt64

        public init(
            id: Int, connectedAt: Int64, minimumPing: Int64?, lastBlockTime: Int64, lastTransactionTime: Int64, relaysTransactions: Bool,
            group: AddressGroup, groupKey: UInt64
        ) {
            self.id = id
            self.connectedAt = connectedAt
            self.minimumPing = minimumPing
            self.lastBlockTime = lastBlockTime
            self.lastTransactionTime = lastTransactionTime
            self.relaysTransactions = relaysTransactions
            self.group = group
            self.groupKey = groupKey
        }
    }

    public static func select(from candidates: [Candidate]) -> Int? {
        var remaining = candidates
        // Each step protects the last `count` after sorting ascending by how deserving they are.
        func protect(_ count: Int, where eligible: (Candidate) -> Bool = { _ in true }, by deserving: (Candidate, Candidate) -> Bool) {
            let ranked = remaining.filter(eligible).sorted(by: deserving).suffix(count)
            let kept = Set(ranked.map(\.id))
            remaining.removeAll { kept.contains($0.id) }
        }
        protect(4) { $0.groupKey < $1.groupKey }
        protect(8) { ($0.minimumPing ?? .max) > ($1.minimumPing ?? .max) }
        protect(4) { ($0.lastTransactionTime, $1.connectedAt) < ($1.lastTransactionTime, $0.connectedAt) }
        protect(8, where: { !$0.relaysTransactions }) { ($0.lastBlockTime, $1.connectedAt) < ($1.lastBlockTime, $0.connectedAt) }
        protect(4) { ($0.lastBlockTime, $1.connectedAt) < ($1.lastBlockTime, $0.connectedAt) }
        // The older half by connection time.
        protect(remaining.count / 2) { $0.connectedAt > $1.connectedAt }
        guard !remaining.isEmpty else { return nil }
        // The group with the most peers (ties: the one with the youngest peer), its youngest.
        let groups = Dictionary(grouping: remaining, by: \.group)
        let crowded = groups.values.max { left, right in
            left.count != right.count ? left.count < right.count
                : (left.map(\.connectedAt).max() ?? 0) < (right.map(\.connectedAt).max() ?? 0)
        }
        return crowded?.max { $0.connectedAt < $1.connectedAt }?.id
    }
}
