import ChainTypes
import P2PWire

extension NetSync {
    /// Core asks at most this many peers to announce new blocks to it as `cmpctblock` at once
    /// (BIP152 high-bandwidth mode).
    static let maxHighBandwidthPeers = 3

    /// `sendcmpct` from the peer: version 2 (wtxid short ids) is the one we speak; `announce`
    /// asks us to push new blocks to it as `cmpctblock` (high-bandwidth mode).
    func receivedSendCompact(announce: Bool, version: UInt64, from id: PeerID) {
        guard version == 2, settings.compactBlocks else { return }
        peers[id]?.compactBlocks = true
        peers[id]?.announcesCompact = announce
    }

    /// A peer that just gave us a new tip, and speaks compact blocks, is asked to announce the
    /// next ones with `cmpctblock` (the oldest of three such peers is released), as Core picks the
    /// peers that were first with recent blocks.
    func preferForCompactBlocks(_ id: PeerID) {
        guard !catchingUp, peers[id]?.compactBlocks == true, !highBandwidthPeers.contains(id) else { return }
        highBandwidthPeers.append(id)
        network.send(.sendCompact(announce: true, version: 2), to: id)
        if highBandwidthPeers.count > Self.maxHighBandwidthPeers {
            let released = highBandwidthPeers.removeFirst()
            network.send(.sendCompact(announce: false, version: 2), to: released)
        }
    }

    /// A `cmpctblock`: its header is accepted; a block extending our tip is rebuilt from the
    /// mempool and orphans, the gaps asked with `getblocktxn` (or the whole block, when the short
    /// ids cannot be trusted); a block further ahead is fetched as any other.
    func receivedCompactBlock(_ compact: CompactBlock, from id: PeerID) async {
        let hash = compact.header.hash
        peers[id]?.knownBlocks.insert(hash)
        guard !submitted.contains(hash), await !chain.hasBlock(hash) else { return }
        let height: Int
        switch await chain.accept(headers: [compact.header]) {
        case let .invalid(rejection):
            if rejection.misbehaving { network.punish(id, reason: "invalid header: \(rejection.reason)") }
            return
        case .unconnected:
            let status = await chain.status()
            askHeaders(of: id, after: status.headersLocator)
            return
        case let .accepted(_, accepted):
            height = accepted
            if height > peers[id]?.bestKnown?.height ?? -1 { peers[id]?.bestKnown = (hash, height) }
        }
        guard height == (await chain.status()).tipHeight + 1 else {
            // Not next to our tip (as far as we know): one we asked for comes whole instead
            // (Core's rule for a compact block it cannot use); others are fetched as any block.
            fetchWholeBlock(hash, from: id)
            await requestBlocks(from: id)
            return
        }
        do throws(PartialBlock.Failure) {
            let partial = try PartialBlock(compact, candidates: await mempool.transactionsForCompactBlocks() + orphans.transactions)
            if partial.missing.isEmpty {
                await complete(partial, from: id)
            } else {
                peers[id]?.partial = (hash, partial)
                // In flight from this peer while its transactions are awaited (not asked elsewhere).
                _ = downloads.request(hash, from: id, now: now())
                network.send(.getBlockTransactions(BlockTransactionsRequest(blockHash: hash, indexes: partial.missing)), to: id)
            }
        } catch {
            compactBlockFailed(error, hash: hash, from: id)
        }
    }

    /// The transactions a partial block lacked.
    func receivedBlockTransactions(_ answer: BlockTransactions, from id: PeerID) async {
        guard let pending = peers[id]?.partial, pending.hash == answer.blockHash else { return }
        peers[id]?.partial = nil
        let hash = pending.hash
        var partial = pending.block
        do throws(PartialBlock.Failure) {
            try partial.fill(answer.transactions)
            await complete(partial, from: id)
        } catch {
            compactBlockFailed(error, hash: hash, from: id)
        }
    }

    private func complete(_ partial: PartialBlock, from id: PeerID) async {
        do throws(PartialBlock.Failure) {
            guard let block = try partial.block() else { return }
            // BIP152 lets high-bandwidth peers relay before validating: an invalid block that came
            // this way is not the peer's fault (Core's `via_compact_block`).
            if compactRelayed.count >= 1_000 { compactRelayed.removeAll() }
            compactRelayed.insert(block.hash)
            await receivedBlock(block, from: id, solicited: true)
        } catch {
            compactBlockFailed(error, hash: partial.header.hash, from: id)
        }
    }

    private func compactBlockFailed(_ failure: PartialBlock.Failure, hash: BlockHash, from id: PeerID) {
        switch failure {
        case let .invalid(reason):
            network.punish(id, reason: "invalid compact block: \(reason)")
        case .fallBack:
            fetchWholeBlock(hash, from: id)
        }
    }

    /// `getblocktxn`: the transactions asked, from a block we have; an index past its end is
    /// misbehaviour (Core's rule).
    func receivedBlockTransactionsRequest(_ request: BlockTransactionsRequest, from id: PeerID) async {
        guard let block = await chain.block(request.blockHash) else { return }
        guard request.indexes.allSatisfy({ $0 < block.transactions.count }) else {
            network.punish(id, reason: "getblocktxn with out-of-bounds transaction indexes")
            return
        }
        network.send(.blockTransactions(BlockTransactions(blockHash: request.blockHash, transactions: request.indexes.map { block.transactions[$0] })), to: id)
    }
}
