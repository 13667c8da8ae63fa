import ChainCrypto
import P2PWire

/// What Core does with `addr`, `addrv2` and `getaddr`, without I/O: each peer's addresses are
/// rate limited by a token bucket (0.1 per second, at most 1,000, one token at connection and
/// 1,000 more when we ask it with `getaddr`); addresses with times in the future or before 1973
/// are dated five days back; small fresh announcements (10 entries at most, seen in the last 10
/// minutes) are forwarded to two peers, the same two for a given address all day, so a flood
/// dies out (not the answer to our own `getaddr`, and only routable addresses unless told
/// otherwise for a local test network); `getaddr` is answered once per inbound connection,
/// never to an outbound peer (that would let it fingerprint us). Block-relay-only peers take no
/// part. Times are seconds.
public struct AddressRelay<Peer: Hashable & Comparable & Sendable>: Sendable {
    /// Core's `MAX_ADDR_TO_SEND`.
    public static var maxPerMessage: Int { 1_000 }
    /// Core's `MAX_ADDR_RATE_PER_SECOND` and `MAX_ADDR_PROCESSING_TOKEN_BUCKET`.
    static var tokensPerSecond: Double { 0.1 }
    static var maxTokens: Double { 1_000 }

    struct PeerState: Sendable {
        let inbound: Bool
        var tokens: Double = 1
        var refilledAt: Int64
        var answeredGetaddr = false
        /// We sent it `getaddr` and its answer has not come (Core's `m_getaddr_sent`).
        var awaitingAnswer = false
        /// Addresses it sent or was sent (not sent back to it; forgotten wholesale past 5,000).
        var known: Set<NetworkAddress> = []
    }

    /// What to do with an `addr` message.
    public struct Outcome: Sendable {
        /// The entries that passed the rate limit, with fixed times: for the address manager.
        public var accepted: [TimestampedAddress] = []
        /// Entries to forward, by peer.
        public var forwards: [Peer: [TimestampedAddress]] = [:]
        /// Entries dropped by the rate limit.
        public var rateLimited = 0
    }

    private var peers: [Peer: PeerState] = [:]
    /// Keys the choice of forwarding peers (secret, so it cannot be steered).
    private let salt: (k0: UInt64, k1: UInt64)
    /// Whether addresses that are not publicly routable are forwarded (regtest on loopback).
    private let forwardsNonRoutable: Bool

    public init(salt: (k0: UInt64, k1: UInt64), forwardsNonRoutable: Bool = false) {
        self.salt = salt
        self.forwardsNonRoutable = forwardsNonRoutable
    }

    /// A peer that takes part in address relay (not a block-relay-only one) connected.
    public mutating func connected(_ peer: Peer, inbound: Bool, now: Int64) {
        peers[peer] = PeerState(inbound: inbound, refilledAt: now)
    }

    public mutating func disconnected(_ peer: Peer) { peers[peer] = nil }

    /// We sent the peer `getaddr`: its answer may be up to 1,000 addresses.
    public mutating func askedForAddresses(_ peer: Peer) {
        peers[peer]?.tokens += Self.maxTokens
        peers[peer]?.awaitingAnswer = true
    }

    /// Whether to answer the peer's `getaddr` (inbound peers, once); records the answer.
    public mutating func answersGetaddr(from peer: Peer) -> Bool {
        guard let state = peers[peer], state.inbound, !state.answeredGetaddr else { return false }
        peers[peer]?.answeredGetaddr = true
        return true
    }

    /// Records addresses sent to the peer (not sent to it again).
    public mutating func sent(_ addresses: [TimestampedAddress], to peer: Peer) {
        for entry in addresses { remember(entry.address, for: peer) }
    }

    private mutating func remember(_ address: NetworkAddress, for peer: Peer) {
        guard peers[peer] != nil else { return }
        if peers[peer]?.known.count ?? 0 >= 5_000 { peers[peer]?.known.removeAll(keepingCapacity: true) }
        peers[peer]?.known.insert(address)
    }

    /// Handles an `addr` (or the IP entries of an `addrv2`) from `peer`.
    public mutating func received(_ entries: [TimestampedAddress], from peer: Peer, now: Int64) -> Outcome {
        var outcome = Outcome()
        guard var state = peers[peer] else { return outcome }
        state.tokens = min(Self.maxTokens, state.tokens + Double(max(0, now - state.refilledAt)) * Self.tokensPerSecond)
        state.refilledAt = now
        peers[peer] = state
        // The answer to our `getaddr` is for us, not to be forwarded (Core's rule); a short
        // message ends the wait for it.
        let forwardable = entries.count <= 10 && !state.awaitingAnswer
        if entries.count < Self.maxPerMessage { peers[peer]?.awaitingAnswer = false }
        for var entry in entries {
            guard let tokens = peers[peer]?.tokens, tokens >= 1 else {
                outcome.rateLimited += 1
                continue
            }
            peers[peer]?.tokens = tokens - 1
            if entry.time <= 100_000_000 || Int64(entry.time) > now + 600 { entry.time = UInt32(clamping: max(0, now - 5 * 86_400)) }
            remember(entry.address, for: peer)
            outcome.accepted.append(entry)
            if forwardable && Int64(entry.time) > now - 600 && (forwardsNonRoutable || entry.address.isRoutable) {
                for target in forwardTargets(for: entry.address, from: peer, now: now) {
                    outcome.forwards[target, default: []].append(entry)
                    remember(entry.address, for: target)
                }
            }
        }
        return outcome
    }

    /// The two peers (other than the source, and not knowing it yet) an address goes to: those
    /// ranking first by a keyed hash of the address, the day and the peer (Core's `RelayAddress`).
    private func forwardTargets(for address: NetworkAddress, from source: Peer, now: Int64) -> [Peer] {
        let day = UInt64(max(0, now) / 86_400)
        var ranked: [(UInt64, Peer)] = []
        for (peer, state) in peers where peer != source && !state.known.contains(address) {
            var hasher = SipHash(k0: salt.k0, k1: salt.k1)
            hasher.update(address.ip)
            hasher.update(word: UInt64(address.port) << 32 | day)
            hasher.update(String(describing: peer).utf8)
            ranked.append((hasher.finalize(), peer))
        }
        return ranked.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(2).map(\.1)
    }
}
