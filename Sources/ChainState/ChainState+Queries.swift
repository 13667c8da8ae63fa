import ByteCodec
import ChainCrypto
import ChainTypes
import Consensus
import Storage

/// Summary of the UTXO set (`gettxoutsetinfo`).
public struct UTXOSetStatistics: Sendable, Equatable {
    public var height: Int
    public var bestBlock: BlockHash
    public var transactions: Int
    public var outputs: Int
    /// Core's `bogosize`: 50 bytes per output plus its script.
    public var bogoSize: Int
    /// Core's `hash_serialized_3`: SHA256d over every coin in txid order.
    public var serializedHash: Hash256
    public var totalAmount: Amount
    public var diskSize: Int
}

/// One leaf of the block tree (`getchaintips`).
public struct ChainTip: Sendable, Equatable {
    /// Core's status names: the active tip, a fully validated fork, a fork with data not yet
    /// validated, headers only, or invalid.
    public enum Status: String, Sendable {
        case active, validFork = "valid-fork", validHeaders = "valid-headers", headersOnly = "headers-only", invalid
    }

    public var height: Int
    public var hash: BlockHash
    /// Blocks from the fork point with the active chain.
    public var branchLength: Int
    public var status: Status
}

extension ChainState {
    /// The active-chain block at `height`.
    public func activeNode(at height: Int) -> BlockIndexNode? {
        height >= 0 && height < activeChain.count ? activeChain[height] : nil
    }

    /// The unspent coin at `outpoint` in the active chain's UTXO set.
    public func coin(at outpoint: OutPoint) throws(ChainStateError) -> Coin? {
        do {
            return try coins.coin(at: outpoint)
        } catch {
            throw .storage(error)
        }
    }

    /// The coins a stored, connected block spent (per non-coinbase transaction), if known.
    public func spentCoins(of hash: BlockHash) -> [[Coin]]? {
        guard let node = nodes[hash], node.status.contains(.haveUndo) else { return nil }
        return try? undo(hash).spentCoins
    }

    /// UTXO cache statistics for metrics: entries and approximate bytes.
    public var coinsCacheUsage: (entries: Int, bytes: Int) { (coins.cachedCount, coins.memoryUsage) }

    /// Looks a transaction up through `-txindex`, or in `block` when given.
    public func transaction(_ txid: TxID, in blockHash: BlockHash? = nil) throws(ChainStateError) -> (Transaction, BlockIndexNode)? {
        var location: BlockHash? = blockHash
        if location == nil, options.transactionIndex {
            do {
                if let bytes = try store.value(forKey: txid.hash.bytes, in: .txIndex) {
                    location = try TransactionLocation(serialized: bytes).block
                }
            } catch let error as StorageError {
                throw .storage(error)
            } catch {
                throw .storage(.corruption("transaction index entry for \(txid) does not decode"))
            }
        }
        guard let location, let node = nodes[location], let block = try block(location) else { return nil }
        guard let transaction = block.transactions.first(where: { $0.txid == txid }) else { return nil }
        return (transaction, node)
    }

    /// Flushes, then summarizes the UTXO set from a consistent snapshot.
    public func utxoStatistics() throws(ChainStateError) -> UTXOSetStatistics {
        try flush()
        let snapshot = store.snapshot()
        var hasher = ByteWriter(capacity: 1 << 16)
        var digest = DoubleSHA256Hasher()
        var outputs = 0, transactions = 0, bogoSize = 0, diskSize = 0
        var total = Amount.zero
        var currentTxid: TxID?
        var group: [(UInt32, Coin)] = []
        var failure: String?
        func finishGroup() {
            guard let txid = currentTxid else { return }
            transactions += 1
            for (index, coin) in group.sorted(by: { $0.0 < $1.0 }) {
                OutPoint(txid: txid, index: index).encode(to: &hasher)
                hasher.writeUInt32LE(UInt32(truncatingIfNeeded: coin.height << 1) | (coin.isCoinbase ? 1 : 0))
                coin.output.encode(to: &hasher)
            }
            digest.update(hasher.bytes)
            hasher = ByteWriter(capacity: 1 << 16)
            group.removeAll(keepingCapacity: true)
        }
        do {
            try snapshot.forEach(in: .coins, from: []) { key, value in
                do {
                    let outpoint = try OutPoint(storageKey: key)
                    let coin = try Coin(serialized: value)
                    if outpoint.txid != currentTxid {
                        finishGroup()
                        currentTxid = outpoint.txid
                    }
                    group.append((outpoint.index, coin))
                    outputs += 1
                    bogoSize += 50 + coin.output.scriptPubKey.count
                    diskSize += key.count + value.count
                    total = total.adding(coin.output.value) ?? total
                    return true
                } catch {
                    failure = "undecodable coin record: \(error)"
                    return false
                }
            }
        } catch {
            throw .storage(error)
        }
        if let failure { throw .storage(.corruption(failure)) }
        finishGroup()
        return UTXOSetStatistics(
            height: tip.height, bestBlock: tip.hash, transactions: transactions, outputs: outputs, bogoSize: bogoSize,
            serializedHash: digest.finalize(), totalAmount: total, diskSize: diskSize)
    }

    /// Every leaf of the tree plus the active tip, with Core's status names.
    public func chainTips() -> [ChainTip] {
        var tips = nodes.values.filter { (children[$0.hash] ?? []).isEmpty }
        if !tips.contains(where: { $0 === tip }) { tips.append(tip) }
        return tips.map { node in
            let fork = lastCommonAncestor(node, tip)
            let status: ChainTip.Status
            if isActive(node) {
                status = .active
            } else if node.status.isFailed {
                status = .invalid
            } else if !fullyStored.contains(node.hash) {
                status = .headersOnly
            } else if node.status.contains(.validScripts) {
                status = .validFork
            } else {
                status = .validHeaders
            }
            return ChainTip(height: node.height, hash: node.hash, branchLength: node.height - fork.height, status: status)
        }.sorted { $0.height > $1.height }
    }
}

extension ChainState {
    /// The tip changes recorded since the last call, oldest first.
    public func takeEvents() -> [ChainEvent] {
        defer { events.removeAll() }
        return events
    }
}
