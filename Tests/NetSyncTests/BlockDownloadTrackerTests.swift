import ChainCrypto
import ChainTypes
import Testing
@testable import NetSync

/// Core's block download bookkeeping without peers: the per-peer limit, one peer per block, the
/// window, stall detection with its doubling timeout, and the download timeout.
@Suite struct BlockDownloadTrackerTests {
    static let hashes = (0...40).map { BlockHash(Hashing.sha256d([UInt8($0)])) }

    /// Blocks 1...40 missing but those `received`, window ending at `end`.
    func window(end: Int, without received: Set<Int> = []) -> DownloadWindow {
        DownloadWindow(end: end, blocks: (1...40).filter { !received.contains($0) }.map { DownloadWindow.Entry(hash: Self.hashes[$0], height: $0) })
    }

    @Test func eachBlockIsAskedOfOnePeerAndSixteenAtMost() {
        var tracker = BlockDownloadTracker(downloadTimeoutBase: 600_000, downloadTimeoutPerPeer: 300_000)
        let a = PeerID(1), b = PeerID(2)
        let first = tracker.assign(window(end: 1_024), to: a, now: 0)
        let more = tracker.assign(window(end: 1_024), to: a, now: 0)
        let other = tracker.assign(window(end: 1_024), to: b, now: 0)
        #expect(first == Array(Self.hashes[1...16]))
        #expect(more.isEmpty, "a peer with 16 in flight gets no more")
        #expect(other == Array(Self.hashes[17...32]))
        // A block arrives: a slot opens for the next one nobody has been asked for.
        let delivered = tracker.received(Self.hashes[3], from: a, now: 10)
        let refill = tracker.assign(window(end: 1_024, without: [3]), to: a, now: 10)
        #expect(delivered && refill == [Self.hashes[33]])
        // From someone else it still counts as received, and frees its owner's slot.
        let stray = tracker.received(Self.hashes[20], from: a, now: 10)
        #expect(!stray && tracker.inFlight(of: b) == 15 && !tracker.isRequested(Self.hashes[20]))
        // A peer leaving frees what it was asked for.
        tracker.remove(b)
        let full = tracker.assign(window(end: 1_024, without: [3, 20]), to: a, now: 20)
        let newcomer = tracker.assign(window(end: 1_024, without: [3, 20]), to: PeerID(3), now: 20)
        #expect(full.isEmpty)
        #expect(newcomer == Array(Self.hashes[17...32]).filter { $0 != Self.hashes[20] } + [Self.hashes[34]])
    }

    @Test func aPeerHoldingUpAFullWindowIsDroppedAfterTheStallTimeout() {
        var tracker = BlockDownloadTracker(downloadTimeoutBase: 600_000, downloadTimeoutPerPeer: 300_000)
        let slow = PeerID(1), fast = PeerID(2)
        // Window 1...20: the slow peer holds 1...16, the fast one gets 17...20 and delivers them.
        let held = tracker.assign(window(end: 20), to: slow, now: 0)
        let quick = tracker.assign(window(end: 20), to: fast, now: 0)
        #expect(held.count == 16 && quick == Array(Self.hashes[17...20]))
        for height in 17...20 { tracker.received(Self.hashes[height], from: fast, now: 100) }
        // The fast peer can get nothing (21 is past the window): the slow one is stalling it.
        let stuck = window(end: 20, without: Set(17...20))
        let nothing = tracker.assign(stuck, to: fast, now: 100)
        #expect(nothing.isEmpty && tracker.isStalling(slow) && !tracker.isStalling(fast))
        let early = tracker.overdue(now: 2_100)
        let late = tracker.overdue(now: 2_101)
        #expect(early.isEmpty, "not past 2 s yet")
        #expect(late.map(\.1) == ["stalling block download"])
        #expect(tracker.stallTimeout == 4_000, "the next staller gets twice as long")
        // The timeout doubles up to 64 s and eases back by 15 % per block delivered by a staller.
        for _ in 0..<10 {
            tracker.remove(slow)
            _ = tracker.assign(stuck, to: slow, now: 0)
            _ = tracker.assign(stuck, to: fast, now: 0)
            _ = tracker.overdue(now: 1_000_000)
        }
        #expect(tracker.stallTimeout == BlockDownloadTracker.stallTimeoutMax)
        tracker.received(Self.hashes[1], from: slow, now: 1_000_000)
        #expect(tracker.stallTimeout == 64_000 * 85 / 100)
        #expect(!tracker.isStalling(slow), "delivering ends the stall")
    }

    @Test func aPeerWhoseRequestsAreOverdueIsDropped() {
        var tracker = BlockDownloadTracker(downloadTimeoutBase: 600_000, downloadTimeoutPerPeer: 300_000)
        let a = PeerID(1), b = PeerID(2)
        _ = tracker.assign(window(end: 1_024), to: a, now: 0)
        _ = tracker.assign(window(end: 1_024), to: b, now: 0)
        // Two peers downloading: each may take one interval and a half (900 s).
        let onTime = tracker.overdue(now: 900_000)
        let overdue = tracker.overdue(now: 900_001)
        #expect(onTime.isEmpty && overdue.map(\.0) == [a, b])
        // Each delivery restarts a peer's clock.
        var fresh = BlockDownloadTracker(downloadTimeoutBase: 600_000, downloadTimeoutPerPeer: 300_000)
        _ = fresh.assign(window(end: 1_024), to: a, now: 0)
        fresh.received(Self.hashes[1], from: a, now: 500_000)
        let restarted = fresh.overdue(now: 1_000_000)
        let expired = fresh.overdue(now: 1_100_001)
        #expect(restarted.isEmpty && expired.map(\.0) == [a])
    }
}
