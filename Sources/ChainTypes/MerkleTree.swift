import ChainCrypto

/// Bitcoin's merkle tree over 32-byte leaves (an odd node is paired with itself).
public enum MerkleTree {
    /// The root, and `mutated` when two identical adjacent nodes were hashed together: such a tree
    /// has the same root as a different transaction list (CVE-2012-2459) and must be rejected.
    public static func root(of leaves: [Hash256]) -> (root: Hash256, mutated: Bool) {
        guard !leaves.isEmpty else { return (.zero, false) }
        var level = leaves
        var mutated = false
        var buffer = [UInt8]()
        buffer.reserveCapacity(64)
        while level.count > 1 {
            var next: [Hash256] = []
            next.reserveCapacity((level.count + 1) / 2)
            var index = 0
            while index < level.count {
                let left = level[index]
                let right = index + 1 < level.count ? level[index + 1] : left
                if index + 1 < level.count && left == right { mutated = true }
                buffer.removeAll(keepingCapacity: true)
                left.withUnsafeBytes { buffer.append(contentsOf: $0) }
                right.withUnsafeBytes { buffer.append(contentsOf: $0) }
                next.append(Hashing.sha256d(buffer))
                index += 2
            }
            level = next
        }
        return (level[0], mutated)
    }
}
