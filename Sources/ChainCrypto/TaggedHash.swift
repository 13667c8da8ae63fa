import Foundation

/// A BIP340 tagged hash: `SHA256(SHA256(tag) ‖ SHA256(tag) ‖ data)`. The state after the two
/// tag hashes is computed once and copied for every message.
public struct TaggedHash: Sendable {
    private let prefix: SHA256Hasher

    /// Prepares the hasher for `tag`.
    public init(tag: String) {
        let tagHash = Hashing.sha256(Array(tag.utf8))
        var hasher = SHA256Hasher()
        hasher.update(tagHash)
        hasher.update(tagHash)
        prefix = hasher
    }

    /// A hasher already fed with the tag prefix, for incremental input.
    public func makeHasher() -> SHA256Hasher { prefix }

    /// The tagged hash of `data`.
    public func hash(_ data: some DataProtocol) -> Hash256 {
        var hasher = prefix
        hasher.update(data)
        return hasher.finalize()
    }

    public static let tapLeaf = TaggedHash(tag: "TapLeaf")
    public static let tapBranch = TaggedHash(tag: "TapBranch")
    public static let tapTweak = TaggedHash(tag: "TapTweak")
    public static let tapSighash = TaggedHash(tag: "TapSighash")
}
