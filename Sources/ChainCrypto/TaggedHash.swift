import Crypto
import Foundation

/// A BIP340 tagged hash: `SHA256(SHA256(tag) ‖ SHA256(tag) ‖ data)`. The state after the two
/// tag hashes is computed once and copied for every message.
public struct TaggedHash: Sendable {
    private let prefix: SHA256

    /// Prepares the hasher for `tag`.
    public init(tag: String) {
        let tagHash = SHA256.hash(data: Array(tag.utf8))
        var hasher = SHA256()
        hasher.update(data: Array(tagHash))
        hasher.update(data: Array(tagHash))
        prefix = hasher
    }

    /// A hasher already fed with the tag prefix, for incremental input.
    public func makeHasher() -> SHA256 { prefix }

    /// The tagged hash of `data`.
    public func hash(_ data: some DataProtocol) -> Hash256 {
        var hasher = prefix
        hasher.update(data: data)
        return hasher.finalize().withUnsafeBytes { Hash256(rawBuffer: $0) }
    }

    public static let tapLeaf = TaggedHash(tag: "TapLeaf")
    public static let tapBranch = TaggedHash(tag: "TapBranch")
    public static let tapTweak = TaggedHash(tag: "TapTweak")
    public static let tapSighash = TaggedHash(tag: "TapSighash")
}

extension SHA256 {
    /// Finishes the hash into a `Hash256`.
    public consuming func finalizeHash256() -> Hash256 {
        finalize().withUnsafeBytes { Hash256(rawBuffer: $0) }
    }
}
