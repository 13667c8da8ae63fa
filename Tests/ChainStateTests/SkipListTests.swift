@testable import ChainState
import ChainCrypto
import ChainTypes
import TestSupport
import Testing

/// `BlockIndexNode.ancestor(at:)` follows skip links (Core's `pskip`); it must land on exactly
/// the node a walk along parents reaches, on every branch of a tree.
@Suite struct SkipListTests {
    /// A node on `parent` whose hash is `number` (the tree's shape is all that matters here).
    static func node(_ number: Int, on parent: BlockIndexNode?) -> BlockIndexNode {
        let hash = BlockHash(Hashing.sha256d(Array(String(number).utf8)))
        let header = BlockHeader(
            version: 4, previousBlockHash: parent?.hash ?? BlockHash(.zero), merkleRoot: .zero, time: UInt32(number), bits: 0x207f_ffff,
            nonce: 0)
        return BlockIndexNode(hash: hash, header: header, parent: parent, sequence: number)
    }

    /// The ancestor at `height` by walking parents one by one.
    static func walk(from node: BlockIndexNode, to height: Int) -> BlockIndexNode? {
        var current: BlockIndexNode? = node
        while let walked = current, walked.height > height { current = walked.parent }
        return current
    }

    @Test func skipHeightsPointStrictlyBack() {
        for height in 2..<5_000 {
            let skip = BlockIndexNode.skipHeight(height)
            #expect(skip >= 0 && skip < height, "height \(height) skips to \(skip)")
        }
        #expect(BlockIndexNode.skipHeight(0) == 0 && BlockIndexNode.skipHeight(1) == 0)
    }

    @Test func ancestorsMatchAParentWalkOnEveryBranch() {
        var generator = SplitMix64(seed: 0x5ce1_1157)
        var nodes = [Self.node(0, on: nil)]
        // A main chain with side branches starting from random earlier nodes.
        for number in 1..<6_000 {
            let forks = number % 7 == 0
            let parent = forks ? nodes[Int.random(in: 0..<nodes.count, using: &generator)] : nodes[nodes.count - 1]
            nodes.append(Self.node(number, on: parent))
        }
        for _ in 0..<3_000 {
            let node = nodes[Int.random(in: 0..<nodes.count, using: &generator)]
            let height = Int.random(in: -1...(node.height + 1), using: &generator)
            let expected = height < 0 || height > node.height ? nil : Self.walk(from: node, to: height)
            #expect(node.ancestor(at: height) === expected, "node at \(node.height), ancestor at \(height)")
        }
        for node in nodes.suffix(200) {
            #expect(node.skip === Self.walk(from: node, to: BlockIndexNode.skipHeight(node.height)) || node.height == 0)
        }
    }
}
