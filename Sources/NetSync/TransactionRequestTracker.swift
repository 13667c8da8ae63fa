import ChainCrypto

/// Which announced transactions to ask of which peer, as Core's `TxRequestTracker`: each
/// transaction is asked of one peer at a time; preferred (outbound) peers first, others after a
/// delay; a request unanswered in 60 s, or answered with `notfound`, passes to the next peer that
/// announced it; a transaction received or judged is forgotten. Times are milliseconds.
struct TransactionRequestTracker {
    /// Core's `MAX_PEER_TX_ANNOUNCEMENTS` and `MAX_PEER_TX_REQUEST_IN_FLIGHT`.
    static let maxAnnouncementsPerPeer = 5_000
    static let maxInFlightPerPeer = 100
    /// Core's `NONPREF_PEER_TX_DELAY`, `TXID_RELAY_DELAY`, `OVERLOADED_PEER_TX_DELAY`.
    static let nonPreferredDelay: Int64 = 2_000
    static let txidDelay: Int64 = 2_000
    static let overloadedDelay: Int64 = 2_000
    /// Core's `GETDATA_TX_INTERVAL`.
    static let requestTimeout: Int64 = 60_000

    /// A transaction id as announced: by wtxid (BIP339 peers) or txid.
    struct Key: Hashable {
        let hash: Hash256
        let isWitnessID: Bool
    }

    private enum State {
        case waiting(since: Int64)
        case requested(expiry: Int64)
        case done
    }

    private struct Announcement {
        let peer: PeerID
        let preferred: Bool
        var state: State
    }

    private var announcements: [Key: [Announcement]] = [:]
    private var perPeer: [PeerID: Int] = [:]
    private var inFlight: [PeerID: Int] = [:]

    /// Transactions tracked.
    var count: Int { announcements.count }

    func announcementCount(of peer: PeerID) -> Int { perPeer[peer] ?? 0 }

    /// Records that `peer` announced `key` (ignored past its announcement limit or when it did
    /// already). The request may go out from `now` plus the delays that apply: a peer that is not
    /// preferred, a txid announcement while wtxid peers exist, a peer with 100 requests pending.
    mutating func announced(_ key: Key, by peer: PeerID, preferred: Bool, delayTxid: Bool, now: Int64) {
        guard announcementCount(of: peer) < Self.maxAnnouncementsPerPeer else { return }
        guard announcements[key]?.contains(where: { $0.peer == peer }) != true else { return }
        var delay: Int64 = 0
        if !preferred { delay += Self.nonPreferredDelay }
        if delayTxid && !key.isWitnessID { delay += Self.txidDelay }
        if inFlight[peer, default: 0] >= Self.maxInFlightPerPeer { delay += Self.overloadedDelay }
        announcements[key, default: []].append(Announcement(peer: peer, preferred: preferred, state: .waiting(since: now + delay)))
        perPeer[peer, default: 0] += 1
    }

    /// The requests to send now, by peer, recorded as sent: for every transaction nobody is
    /// being asked for, the preferred announcement that became due first (else the first due).
    /// Expired requests are given up first.
    mutating func due(now: Int64) -> [PeerID: [Key]] {
        var result: [PeerID: [Key]] = [:]
        for key in Array(announcements.keys) {
            guard var list = announcements[key] else { continue }
            var pending = false
            for index in list.indices {
                guard case let .requested(expiry) = list[index].state else { continue }
                if expiry <= now {
                    list[index].state = .done
                    decrementInFlight(of: list[index].peer)
                } else {
                    pending = true
                }
            }
            if !pending, let chosen = Self.choose(in: list, now: now) {
                list[chosen].state = .requested(expiry: now + Self.requestTimeout)
                inFlight[list[chosen].peer, default: 0] += 1
                result[list[chosen].peer, default: []].append(key)
            }
            announcements[key] = list
            if list.allSatisfy({ if case .done = $0.state { true } else { false } }) { forget(key) }
        }
        return result
    }

    private static func choose(in list: [Announcement], now: Int64) -> Int? {
        var best: (index: Int, preferred: Bool, since: Int64)?
        for (index, announcement) in list.enumerated() {
            guard case let .waiting(since) = announcement.state, since <= now else { continue }
            if let current = best, current.preferred && !announcement.preferred || current.preferred == announcement.preferred && current.since <= since {
                continue
            }
            best = (index, announcement.preferred, since)
        }
        return best?.index
    }

    /// The peer said it does not have it: the next announcer may be asked.
    mutating func notFound(_ key: Key, from peer: PeerID) {
        guard var list = announcements[key], let index = list.firstIndex(where: { $0.peer == peer }) else { return }
        if case .requested = list[index].state { decrementInFlight(of: peer) }
        list[index].state = .done
        announcements[key] = list
    }

    /// The transaction arrived or was judged: nobody needs to be asked for it.
    mutating func forget(_ key: Key) {
        for announcement in announcements.removeValue(forKey: key) ?? [] { release(announcement) }
    }

    /// Forgets a peer's announcements; what was asked of it may be asked of others.
    mutating func remove(_ peer: PeerID) {
        for key in Array(announcements.keys) {
            guard var list = announcements[key], let index = list.firstIndex(where: { $0.peer == peer }) else { continue }
            release(list.remove(at: index))
            announcements[key] = list.isEmpty ? nil : list
        }
    }

    private mutating func release(_ announcement: Announcement) {
        perPeer[announcement.peer, default: 1] -= 1
        if perPeer[announcement.peer] == 0 { perPeer[announcement.peer] = nil }
        if case .requested = announcement.state { decrementInFlight(of: announcement.peer) }
    }

    private mutating func decrementInFlight(of peer: PeerID) {
        inFlight[peer, default: 1] -= 1
        if inFlight[peer] == 0 { inFlight[peer] = nil }
    }
}
