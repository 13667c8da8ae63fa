import ChainCrypto

/// Where an address may sit in the address manager's tables, derived from its secret key in the
/// shape of Bitcoin Core's `AddrInfo::GetTriedBucket`, `GetNewBucket` and `GetBucketPosition`.
/// Each number is Core's "cheap hash": the first 8 bytes (little-endian) of the double SHA-256 of
/// the key followed by Core's serialization of the inputs (byte vectors with a CompactSize
/// length, integers little-endian), so for one key and the same groups the positions are Core's.
struct AddressBucketing: Sendable {
    static let newBucketCount = 1024
    static let triedBucketCount = 256
    static let bucketSize = 64
    /// Over how many tried buckets the addresses of one group spread.
    static let triedBucketsPerGroup: UInt64 = 8
    /// Over how many new buckets the addresses from one source group spread.
    static let newBucketsPerSourceGroup: UInt64 = 64

    /// The 256-bit secret that makes the positions unpredictable to peers.
    let key: Hash256

    /// The tried bucket: one of 8 per group, chosen by the address.
    func triedBucket(of address: AddressKey, group: AddressGroup) -> Int {
        let spread = cheapHash { $0.updateVector(address.bytes) } % Self.triedBucketsPerGroup
        let hash = cheapHash {
            $0.updateVector(group.bytes)
            $0.update(littleEndian: spread)
        }
        return Int(hash % UInt64(Self.triedBucketCount))
    }

    /// The new bucket for an address of `group` heard from a peer of `sourceGroup`: one of 64
    /// per source group, chosen by the address's group.
    func newBucket(group: AddressGroup, sourceGroup: AddressGroup) -> Int {
        let spread = cheapHash {
            $0.updateVector(group.bytes)
            $0.updateVector(sourceGroup.bytes)
        } % Self.newBucketsPerSourceGroup
        let hash = cheapHash {
            $0.updateVector(sourceGroup.bytes)
            $0.update(littleEndian: spread)
        }
        return Int(hash % UInt64(Self.newBucketCount))
    }

    /// The slot of `address` within `bucket` of the new (`'N'`) or tried (`'K'`) table.
    func slot(of address: AddressKey, bucket: Int, inNewTable: Bool) -> Int {
        let hash = cheapHash {
            $0.update(littleEndian: inNewTable ? UInt8(ascii: "N") : UInt8(ascii: "K"))
            $0.update(littleEndian: Int32(truncatingIfNeeded: bucket))
            $0.updateVector(address.bytes)
        }
        return Int(hash % UInt64(Self.bucketSize))
    }

    private func cheapHash(_ feed: (inout SHA256Hasher) -> Void) -> UInt64 {
        var hasher = SHA256Hasher()
        hasher.update(key)
        feed(&hasher)
        return Hashing.sha256(hash: hasher.finalize()).lowWord
    }
}

extension SHA256Hasher {
    /// Feeds a byte vector as Core serializes one: CompactSize length, then the bytes.
    fileprivate mutating func updateVector(_ bytes: [UInt8]) {
        update(compactSize: bytes.count)
        update(bytes)
    }
}
