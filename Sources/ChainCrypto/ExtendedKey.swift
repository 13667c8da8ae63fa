import ByteCodec

/// The four version bytes that prefix serialized BIP32 keys on one network.
public struct ExtendedKeyVersions: Sendable, Equatable {
    public var privateKey: UInt32
    public var publicKey: UInt32
    public init(privateKey: UInt32, publicKey: UInt32) {
        self.privateKey = privateKey
        self.publicKey = publicKey
    }
    /// Bitcoin mainnet's `xprv`/`xpub`.
    public static let bitcoinMain = ExtendedKeyVersions(privateKey: 0x0488_ADE4, publicKey: 0x0488_B21E)
    /// Bitcoin testnet's `tprv`/`tpub`.
    public static let bitcoinTest = ExtendedKeyVersions(privateKey: 0x0435_8394, publicKey: 0x0435_87CF)
}

/// Why an extended key string was rejected.
public enum ExtendedKeyError: Error, Equatable, Sendable {
    case badEncoding, unknownVersion, versionMismatch, invalidKey, invalidDepthOrParent, cannotDeriveHardenedFromPublic
}

/// A BIP32 extended key: a private or public key with its chain code and position in the tree.
public struct ExtendedKey: Sendable, Equatable {
    /// The key at a node: private (can derive hardened children) or public only.
    public enum Key: Sendable, Equatable {
        case privateKey(PrivateKey)
        case publicKey(PublicKey)
    }

    /// Child indices at or above this are hardened.
    public static let hardenedOffset: UInt32 = 0x8000_0000

    public let key: Key
    public let chainCode: [UInt8]
    public let depth: UInt8
    public let parentFingerprint: UInt32
    public let childNumber: UInt32

    /// The master key of `seed` (BIP32 "Master key generation").
    public init(seed: [UInt8]) throws(CryptoError) {
        let digest = Hashing.hmacSHA512(key: Array("Bitcoin seed".utf8), data: seed)
        key = .privateKey(try PrivateKey(bytes: Array(digest[0..<32])))
        chainCode = Array(digest[32..<64])
        depth = 0
        parentFingerprint = 0
        childNumber = 0
    }

    init(key: Key, chainCode: [UInt8], depth: UInt8, parentFingerprint: UInt32, childNumber: UInt32) {
        self.key = key
        self.chainCode = chainCode
        self.depth = depth
        self.parentFingerprint = parentFingerprint
        self.childNumber = childNumber
    }

    /// The public key at this node.
    public var publicKey: PublicKey {
        switch key {
        case let .privateKey(secret): secret.publicKey()
        case let .publicKey(point): point
        }
    }

    /// First four bytes of Hash160 of the public key, as a big-endian number.
    public var fingerprint: UInt32 {
        Hashing.hash160(publicKey.bytes).prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// The same node without its private key.
    public var neutered: ExtendedKey {
        ExtendedKey(key: .publicKey(publicKey), chainCode: chainCode, depth: depth,
                    parentFingerprint: parentFingerprint, childNumber: childNumber)
    }

    /// Child key derivation (CKDpriv or CKDpub).
    public func child(_ index: UInt32) throws(ExtendedKeyError) -> ExtendedKey {
        guard depth < UInt8.max else { throw .invalidDepthOrParent }
        var data: [UInt8]
        if index >= Self.hardenedOffset {
            guard case let .privateKey(secret) = key else { throw .cannotDeriveHardenedFromPublic }
            data = [0] + secret.bytes
        } else {
            data = publicKey.bytes
        }
        data += [UInt8(index >> 24), UInt8(truncatingIfNeeded: index >> 16), UInt8(truncatingIfNeeded: index >> 8),
                 UInt8(truncatingIfNeeded: index)]
        let digest = Hashing.hmacSHA512(key: chainCode, data: data)
        let tweak = Array(digest[0..<32])
        let childKey: Key
        do {
            switch key {
            case let .privateKey(secret): childKey = .privateKey(try secret.adding(tweak: tweak))
            case let .publicKey(point): childKey = .publicKey(try point.adding(tweak: tweak))
            }
        } catch {
            throw .invalidKey  // probability below 2^-127; BIP32 says skip to the next index
        }
        return ExtendedKey(key: childKey, chainCode: Array(digest[32..<64]), depth: depth + 1,
                           parentFingerprint: fingerprint, childNumber: index)
    }

    /// Derives along a path such as `m/0H/1/2H` (H or ' marks hardened).
    public func derive(path: String) throws(ExtendedKeyError) -> ExtendedKey {
        var components = path.split(separator: "/")
        if components.first == "m" { components.removeFirst() }
        var node = self
        for component in components {
            let hardened = component.hasSuffix("H") || component.hasSuffix("'") || component.hasSuffix("h")
            guard let number = UInt32(hardened ? component.dropLast() : component), number < Self.hardenedOffset else {
                throw .badEncoding
            }
            node = try node.child(hardened ? number + Self.hardenedOffset : number)
        }
        return node
    }

    /// The 78-byte serialization, Base58Check encoded.
    public func encoded(versions: ExtendedKeyVersions) -> String {
        var writer = ByteWriter(capacity: 78)
        switch key {
        case .privateKey: writer.writeUInt32BE(versions.privateKey)
        case .publicKey: writer.writeUInt32BE(versions.publicKey)
        }
        writer.write(depth)
        writer.writeUInt32BE(parentFingerprint)
        writer.writeUInt32BE(childNumber)
        writer.write(chainCode)
        switch key {
        case let .privateKey(secret): writer.write(0); writer.write(secret.bytes)
        case let .publicKey(point): writer.write(point.serialized(compressed: true))
        }
        return Base58.encodeCheck(writer.bytes)
    }

    /// Parses an `xprv`/`xpub`-style string with the given network's versions.
    public init(encoded string: String, versions: ExtendedKeyVersions) throws(ExtendedKeyError) {
        guard let payload = Base58.decodeCheck(string), payload.count == 78 else { throw .badEncoding }
        var reader = ByteReader(payload)
        do {
            let version = try reader.readUInt32BE()
            let depth = try reader.readUInt8()
            let parent = try reader.readUInt32BE()
            let child = try reader.readUInt32BE()
            let chainCode = try reader.readBytes(32)
            let keyData = try reader.readBytes(33)
            guard depth > 0 || (parent == 0 && child == 0) else { throw ExtendedKeyError.invalidDepthOrParent }
            let key: Key
            switch version {
            case versions.privateKey:
                guard keyData[0] == 0 else { throw ExtendedKeyError.versionMismatch }
                guard let secret = try? PrivateKey(bytes: Array(keyData[1...])) else { throw ExtendedKeyError.invalidKey }
                key = .privateKey(secret)
            case versions.publicKey:
                guard keyData[0] == 2 || keyData[0] == 3 else {
                    throw keyData[0] == 0 ? ExtendedKeyError.versionMismatch : ExtendedKeyError.invalidKey
                }
                guard let point = try? PublicKey(bytes: keyData) else { throw ExtendedKeyError.invalidKey }
                key = .publicKey(point)
            default:
                throw ExtendedKeyError.unknownVersion
            }
            self.init(key: key, chainCode: chainCode, depth: depth, parentFingerprint: parent, childNumber: child)
        } catch let error as ExtendedKeyError {
            throw error
        } catch {
            throw .badEncoding
        }
    }
}
