import ChainCrypto
import Synchronization

/// Remembers signatures already found valid, so a transaction verified on mempool entry is
/// not verified again when its block arrives. Entries are salted hashes of
/// (sighash, public key, signature) with a per-process random salt, so peers cannot aim
/// collisions at it. Bounded: when full, an arbitrary entry makes room.
public final class SignatureCache: Sendable {
    private let salt: TaggedHash
    private let capacity: Int
    private let entries: Mutex<Set<Hash256>>

    /// A cache holding at most `capacity` entries (32 bytes each plus set overhead).
    public init(capacity: Int = 1 << 20) {
        salt = TaggedHash(tag: "rustyd/sigcache/" + SystemRandom.bytes(32).hexString)
        self.capacity = max(1, capacity)
        entries = Mutex([])
    }

    private func key(sighash: Hash256, publicKey: [UInt8], signature: some Collection<UInt8>) -> Hash256 {
        var hasher = salt.makeHasher()
        hasher.update(sighash)
        hasher.update([UInt8(truncatingIfNeeded: publicKey.count)])
        hasher.update(publicKey)
        hasher.update(Array(signature))
        return hasher.finalize()
    }

    /// Whether the signature is cached. With `erasing`, a found entry is removed: as Core, a
    /// block's verification uses up the entries its pooled transactions left.
    public func contains(sighash: Hash256, publicKey: [UInt8], signature: some Collection<UInt8>, erasing: Bool = false) -> Bool {
        let entry = key(sighash: sighash, publicKey: publicKey, signature: signature)
        return entries.withLock { erasing ? $0.remove(entry) != nil : $0.contains(entry) }
    }

    public func insert(sighash: Hash256, publicKey: [UInt8], signature: some Collection<UInt8>) {
        let entry = key(sighash: sighash, publicKey: publicKey, signature: signature)
        entries.withLock { set in
            if set.count >= capacity, let victim = set.first { set.remove(victim) }
            set.insert(entry)
        }
    }

    /// Number of cached entries.
    public var count: Int { entries.withLock { $0.count } }
}
