import ChainCrypto
import ChainTypes
import Foundation
import Synchronization
@testable import NetSync
@testable import P2PWire

/// Settings without announcement delays, for tests where timing is not the point.
extension NetSync.Settings {
    static var immediate: NetSync.Settings {
        var settings = NetSync.Settings()
        settings.outboundAnnouncementInterval = 0
        settings.inboundAnnouncementInterval = 0
        return settings
    }
}

/// A chain of `blocks` (the first is genesis): the first `headerCount` headers are known,
/// the blocks at the heights in `have` are stored; the tip is the last of the stored prefix.
actor FakeChain: NetSyncChain {
    var blocks: [Block]
    var headerCount: Int
    var have: Set<Int>
    var rejects: Set<BlockHash> = []
    /// The best header's time as reported (the blocks' own when nil).
    var bestHeaderTime: Int64?
    var catchingUp = false

    init(blocks: [Block], stored: Int, recent: Bool = false) {
        self.blocks = blocks
        headerCount = stored
        have = Set(0..<stored)
        bestHeaderTime = recent ? Int64(Date().timeIntervalSince1970) : nil
    }

    var stored: Int { (0...blocks.count).first { !have.contains($0) } ?? blocks.count }

    func status() -> ChainSyncStatus {
        ChainSyncStatus(
            tipHeight: stored - 1, bestHeaderHeight: headerCount - 1,
            bestHeaderTime: bestHeaderTime ?? Int64(blocks[headerCount - 1].header.time),
            headersLocator: [blocks[max(0, headerCount - 2)].hash], isInitialBlockDownload: catchingUp)
    }

    func headers(after locator: [BlockHash], stop: BlockHash, limit: Int) -> [BlockHeader] {
        let start = locator.compactMap { hash in blocks.prefix(stored).firstIndex { $0.hash == hash } }.first.map { $0 + 1 } ?? 1
        var headers: [BlockHeader] = []
        for block in blocks[start..<stored].prefix(limit) {
            headers.append(block.header)
            if block.hash == stop { break }
        }
        return headers
    }

    func block(_ hash: BlockHash) -> Block? { height(of: hash).flatMap { have.contains($0) ? blocks[$0] : nil } }
    func hasBlock(_ hash: BlockHash) -> Bool { block(hash) != nil }
    func serializedBlock(_ hash: BlockHash) -> [UInt8]? { block(hash)?.serialized }
    func height(of hash: BlockHash) -> Int? { blocks.firstIndex { $0.hash == hash } }

    func accept(headers: [BlockHeader]) -> HeadersOutcome {
        guard let first = headers.first, let last = headers.last, let parent = height(of: first.previousBlockHash), parent < headerCount,
              let lastHeight = height(of: last.hash) else { return .unconnected }
        headerCount = max(headerCount, lastHeight + 1)
        return .accepted(last: last.hash, height: lastHeight)
    }

    func blocksToDownload(toward best: BlockHash, window: Int) -> DownloadWindow {
        guard let target = height(of: best) else { return DownloadWindow(end: 0, blocks: []) }
        let tip = stored - 1, end = tip + window
        let heights = (tip + 1)..<(min(target, end + 1) + 1)
        return DownloadWindow(end: end, blocks: heights.filter { !have.contains($0) }.map { DownloadWindow.Entry(hash: blocks[$0].hash, height: $0) })
    }

    /// When set, submitted blocks wait in `queued` (as the node's batches do) until released.
    var queueing = false
    var queued: [Block] = []
    func setQueueing(_ value: Bool) { queueing = value }

    func submit(_ block: Block, from peer: PeerID) -> BlockSubmission {
        guard queueing else { return .checked(accept(block: block)) }
        queued.append(block)
        return .queued
    }

    /// Stores the queued blocks; their hashes.
    func releaseQueued() -> [BlockHash] {
        defer { queued = [] }
        return queued.map { block in
            _ = accept(block: block)
            return block.hash
        }
    }

    func accept(block: Block) -> SyncRejection? {
        if rejects.contains(block.hash) { return SyncRejection(reason: "bad-txnmrklroot", misbehaving: true) }
        if let height = height(of: block.hash) {
            have.insert(height)
            headerCount = max(headerCount, height + 1)
        }
        return nil
    }

    func reject(_ hash: BlockHash) { rejects.insert(hash) }

    /// Filters are served from what the test sets here (none by default).
    var filterBatch: FilterBatch?
    var checkpoints: [Hash256]?
    func filters(from startHeight: Int, to stop: BlockHash, limit: Int) -> FilterBatch? { filterBatch }
    func filterCheckpoints(to stop: BlockHash) -> [Hash256]? { checkpoints }
    func setFilters(_ batch: FilterBatch?, checkpoints: [Hash256]?) {
        filterBatch = batch
        self.checkpoints = checkpoints
    }
    func setCatchingUp(_ value: Bool) { catchingUp = value }
}

/// A pool accepting transactions whose inputs are in `confirmed` (any, when nil) or pooled.
actor FakeMempool: NetSyncMempool {
    var pool: [Transaction] = []
    let confirmed: Set<TxID>?
    init(confirmed: Set<TxID>? = nil) { self.confirmed = confirmed }
    func transaction(_ txid: TxID) -> Transaction? { pool.first { $0.txid == txid } }
    func transaction(witness wtxid: WTxID) -> Transaction? { pool.first { $0.wtxid == wtxid } }
    /// Transactions judged invalid.
    var refused: Set<TxID> = []
    func refuse(_ txid: TxID) { refused.insert(txid) }
    func accept(_ transaction: Transaction) -> TransactionAcceptance {
        guard self.transaction(transaction.txid) == nil, !refused.contains(transaction.txid) else { return .rejected }
        if let confirmed, transaction.inputs.contains(where: { !confirmed.contains($0.previousOutput.txid) && self.transaction($0.previousOutput.txid) == nil }) {
            return .missingInputs
        }
        pool.append(transaction)
        return .accepted
    }
    /// Every pooled transaction pays 1,000 sat/kvB; the pool asks for 1,000 too.
    func feeRate(witness wtxid: WTxID) -> Int64? { transaction(witness: wtxid) == nil ? nil : 1_000 }
    func identifiers() -> [(TxID, WTxID)] { pool.map { ($0.txid, $0.wtxid) } }
    func transactionsForCompactBlocks() -> [Transaction] { pool }
    func minimumFeeRate() -> Int64 { 1_000 }
}

/// A clock the test moves (ms).
final class ManualClock: Sendable {
    let time = Mutex<Int64>(1_700_000_000_000)
    func advance(by milliseconds: Int64) { time.withLock { $0 += milliseconds } }
    var read: @Sendable () -> Int64 { { self.time.withLock { $0 } } }
}

/// Records what NetSync sends and whom it drops.
final class RecordingNetwork: PeerNetwork {
    let sent = Mutex<[(PeerID, Message)]>([])
    let dropped = Mutex<[(PeerID, String)]>([])
    func send(_ message: Message, to peer: PeerID) {
        sent.withLock { $0.append((peer, message)) }
        room.withLock { room in room = room.map { $0 - 1 } }
    }
    func disconnect(_ peer: PeerID, reason: String) { dropped.withLock { $0.append((peer, reason)) } }
    /// What each peer delivered that was new.
    let deliveries = Mutex<[(PeerID, Delivery)]>([])
    func delivered(_ delivery: Delivery, by peer: PeerID) { deliveries.withLock { $0.append((peer, delivery)) } }
    /// Punished peers are dropped too, and listed in `punished`.
    let punished = Mutex<[PeerID]>([])
    func punish(_ peer: PeerID, reason: String) {
        punished.withLock { $0.append(peer) }
        disconnect(peer, reason: reason)
    }
    /// Room for this many more sends (nil: always room).
    let room = Mutex<Int?>(nil)
    func hasRoom(for peer: PeerID) -> Bool { room.withLock { $0.map { $0 > 0 } ?? true } }
    func take(_ peer: PeerID) -> [Message] {
        sent.withLock { sent in
            defer { sent.removeAll { $0.0 == peer } }
            return sent.filter { $0.0 == peer }.map(\.1)
        }
    }
}

/// A chain of made-up blocks (the fakes check no proof of work); block times are heights.
func fakeChain(length: Int) -> [Block] {
    var blocks: [Block] = []
    var previous = BlockHash(.zero)
    for height in 0..<length {
        let coinbase = Transaction(version: 2, inputs: [TxIn(previousOutput: .null, scriptSig: [1, UInt8(height % 256), UInt8(height / 256)])],
                                   outputs: [TxOut(value: Amount(satoshis: 50), scriptPubKey: [0x51])])
        let block = Block(header: BlockHeader(version: 4, previousBlockHash: previous, merkleRoot: coinbase.txid.hash, time: UInt32(height), bits: 0x207f_ffff, nonce: 0),
                          transactions: [coinbase])
        blocks.append(block)
        previous = block.hash
    }
    return blocks
}

/// A peer's version as the handshake reports it.
func peerInfo(height: Int32 = 0, relay: Bool = true, wtxid: Bool = true) -> PeerVersion {
    PeerVersion(version: 70016, services: [.network, .witness], userAgent: "/t/", startHeight: height, relay: relay, wtxidRelay: wtxid, addressesV2: true)
}

