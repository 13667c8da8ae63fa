import ChainTypes
import HeapModule

/// Bitcoin Core's block assembly by ancestor fee rate (`BlockAssembler::addPackageTxs`): take
/// the transaction whose not-yet-chosen ancestors and itself pay the highest fee rate, the whole
/// package at once (ancestors first), and repeat; a package that does not fit is skipped.
/// A high-fee child so pulls its low-fee parent in (child pays for parent). Fees are the
/// modified ones (`prioritisetransaction`).
public enum AncestorScoreSelection {
    /// Chooses from `candidates` (parents before children, as a mempool lists them) what fits in
    /// `maxWeight` and `maxSigopCost`, in block order.
    public static func select(_ candidates: [CandidateTransaction], maxWeight: Int, maxSigopCost: Int) -> [CandidateTransaction] {
        let graph = Graph(candidates)
        var included = [Bool](repeating: false, count: candidates.count)
        var version = [Int](repeating: 0, count: candidates.count)
        var queue = Heap<Package>()
        for index in candidates.indices { queue.insert(graph.package(of: index, excluding: included, version: 0)) }
        var chosen: [Int] = []
        var weight = 0, sigops = 0
        while let best = queue.popMax() {
            // Stale (a newer score was queued) or already in through a child's package.
            guard !included[best.index], best.version == version[best.index] else { continue }
            let members = graph.members(of: best.index, excluding: included)
            let packageWeight = members.reduce(0) { $0 + candidates[$1].transaction.weight }
            let packageSigops = members.reduce(0) { $0 + candidates[$1].sigopCost }
            guard weight + packageWeight <= maxWeight, sigops + packageSigops <= maxSigopCost else { continue }
            weight += packageWeight
            sigops += packageSigops
            for member in members {
                included[member] = true
                chosen.append(member)
            }
            // Descendants of what was just chosen now have smaller packages: score them again.
            for descendant in graph.descendants(of: members) where !included[descendant] {
                version[descendant] += 1
                queue.insert(graph.package(of: descendant, excluding: included, version: version[descendant]))
            }
        }
        return chosen.map { candidates[$0] }
    }

    /// A transaction with the fee and size of its package (itself and its ancestors not chosen
    /// yet), ordered by the package's fee rate.
    struct Package: Comparable {
        let index: Int
        let version: Int
        let fee: Int64
        let virtualSize: Int

        static func < (lhs: Package, rhs: Package) -> Bool {
            // fee / size compared exactly: lhs.fee × rhs.size < rhs.fee × lhs.size (128-bit).
            let left = lhs.fee.multipliedFullWidth(by: Int64(rhs.virtualSize))
            let right = rhs.fee.multipliedFullWidth(by: Int64(lhs.virtualSize))
            if left.high != right.high { return left.high < right.high }
            if left.low != right.low { return left.low < right.low }
            return lhs.index > rhs.index  // ties: the earlier transaction first
        }

        static func == (lhs: Package, rhs: Package) -> Bool { lhs.index == rhs.index && lhs.version == rhs.version }
    }

    /// Parent and child links among the candidates.
    struct Graph {
        let candidates: [CandidateTransaction]
        var parents: [[Int]]
        var children: [[Int]]

        init(_ candidates: [CandidateTransaction]) {
            self.candidates = candidates
            var position: [TxID: Int] = [:]
            for (index, candidate) in candidates.enumerated() { position[candidate.transaction.txid] = index }
            parents = Array(repeating: [], count: candidates.count)
            children = Array(repeating: [], count: candidates.count)
            for (index, candidate) in candidates.enumerated() {
                var seen: Set<Int> = []
                for input in candidate.transaction.inputs {
                    guard let parent = position[input.previousOutput.txid], parent != index, seen.insert(parent).inserted else { continue }
                    parents[index].append(parent)
                    children[parent].append(index)
                }
            }
        }

        /// `index` and its ancestors not yet included, ancestors first.
        func members(of index: Int, excluding included: [Bool]) -> [Int] {
            var ordered: [Int] = []
            var visited: Set<Int> = []
            func visit(_ node: Int) {
                guard !included[node], visited.insert(node).inserted else { return }
                for parent in parents[node] { visit(parent) }
                ordered.append(node)
            }
            visit(index)
            return ordered
        }

        func package(of index: Int, excluding included: [Bool], version: Int) -> Package {
            let members = members(of: index, excluding: included)
            return Package(
                index: index, version: version, fee: members.reduce(0) { $0 + candidates[$1].modifiedFee.satoshis },
                virtualSize: members.reduce(0) { $0 + candidates[$1].transaction.virtualSize })
        }

        /// Every candidate depending on one of `nodes`, directly or not.
        func descendants(of nodes: [Int]) -> Set<Int> {
            var found: Set<Int> = []
            var pending = nodes.flatMap { children[$0] }
            while let next = pending.popLast() {
                guard found.insert(next).inserted else { continue }
                pending += children[next]
            }
            return found
        }
    }
}
