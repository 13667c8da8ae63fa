import ByteCodec
import ChainCrypto

/// BIP158's Golomb-coded set: items hashed with SipHash-2-4 into [0, N·M), sorted, and the
/// differences Golomb-Rice coded with parameter P, prefixed by N as a CompactSize.
public struct GolombRiceSet: Equatable, Sendable {
    /// The false-positive parameter P and the range multiplier M (BIP158 basic filters: 19, 784,931).
    public let p: Int
    public let m: UInt64
    public let key: (k0: UInt64, k1: UInt64)
    /// N and the coded bits (without the CompactSize).
    public let count: Int
    public let codedBits: [UInt8]

    public static func == (lhs: GolombRiceSet, rhs: GolombRiceSet) -> Bool {
        lhs.p == rhs.p && lhs.m == rhs.m && lhs.key == rhs.key && lhs.count == rhs.count && lhs.codedBits == rhs.codedBits
    }

    /// The set of `items` (duplicates count once).
    public init(items: some Sequence<[UInt8]>, p: Int, m: UInt64, key: (k0: UInt64, k1: UInt64)) {
        let unique = Set(items)
        self.p = p
        self.m = m
        self.key = key
        count = unique.count
        let range = UInt64(unique.count) &* m
        var writer = BitWriter()
        var previous: UInt64 = 0
        for value in unique.map({ Self.hash($0, key: key, range: range) }).sorted() {
            let delta = value - previous
            previous = value
            writer.writeUnary(delta >> UInt64(p))
            writer.write(delta & ((1 << UInt64(p)) - 1), bits: p)
        }
        codedBits = writer.bytes
    }

    /// A set read from its encoding (CompactSize N, then the coded bits).
    public init(encoded: [UInt8], p: Int, m: UInt64, key: (k0: UInt64, k1: UInt64)) throws(DecodingError) {
        var reader = ByteReader(encoded)
        count = try reader.readCompactSize(limit: Int(UInt32.max))
        codedBits = try reader.readBytes(reader.remaining)
        self.p = p
        self.m = m
        self.key = key
    }

    /// The encoding: CompactSize N, then the coded bits.
    public var encoded: [UInt8] {
        var writer = ByteWriter(capacity: codedBits.count + 9)
        writer.writeCompactSize(count)
        writer.write(codedBits)
        return writer.bytes
    }

    /// SipHash-2-4 of `item` mapped onto [0, range) by a 64×64→128-bit multiplication.
    static func hash(_ item: [UInt8], key: (k0: UInt64, k1: UInt64), range: UInt64) -> UInt64 {
        var hasher = SipHash(k0: key.k0, k1: key.k1)
        hasher.update(item)
        return hasher.finalize().multipliedFullWidth(by: range).high
    }

    /// Whether any of `items` is (probably) in the set: false is certain, true is wrong with
    /// probability about 1/M per item. Malformed coding answers false.
    public func matchesAny(_ items: some Sequence<[UInt8]>) -> Bool {
        let range = UInt64(count) &* m
        var wanted = items.map { Self.hash($0, key: key, range: range) }.sorted()[...]
        var reader = BitReader(codedBits)
        var value: UInt64 = 0
        for _ in 0..<count {
            guard let quotient = reader.readUnary(), let remainder = reader.read(bits: p) else { return false }
            value &+= quotient << UInt64(p) | remainder
            while let first = wanted.first, first < value { wanted.removeFirst() }
            guard let first = wanted.first else { return false }
            if first == value { return true }
        }
        return false
    }
}

/// Bits written most significant first, as BIP158 codes them.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var used = 8

    mutating func writeBit(_ bit: Bool) {
        if used == 8 {
            bytes.append(0)
            used = 0
        }
        if bit { bytes[bytes.count - 1] |= 0x80 >> UInt8(used) }
        used += 1
    }

    /// `value` ones, then a zero.
    mutating func writeUnary(_ value: UInt64) {
        for _ in 0..<value { writeBit(true) }
        writeBit(false)
    }

    /// The low `bits` bits of `value`, highest first.
    mutating func write(_ value: UInt64, bits: Int) {
        for shift in stride(from: bits - 1, through: 0, by: -1) { writeBit(value >> UInt64(shift) & 1 == 1) }
    }
}

/// Reads what `BitWriter` writes; nil past the end.
struct BitReader {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func readBit() -> Bool? {
        guard position < bytes.count * 8 else { return nil }
        defer { position += 1 }
        return bytes[position / 8] & (0x80 >> UInt8(position % 8)) != 0
    }

    mutating func readUnary() -> UInt64? {
        var value: UInt64 = 0
        while true {
            guard let bit = readBit() else { return nil }
            if !bit { return value }
            value += 1
        }
    }

    mutating func read(bits: Int) -> UInt64? {
        var value: UInt64 = 0
        for _ in 0..<bits {
            guard let bit = readBit() else { return nil }
            value = value << 1 | (bit ? 1 : 0)
        }
        return value
    }
}
