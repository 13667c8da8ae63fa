import ByteCodec
import ChainCrypto
import ChainTypes
import Foundation
import Testing
import TestSupport
@testable import BlockFilters

/// BIP158 basic filters against Bitcoin Core's vectors (real testnet3 blocks, Fixtures/README.md):
/// the filter bytes, the filter header chained from the previous one, and membership of every
/// element.
@Suite struct BasicBlockFilterVectorTests {
    struct Vector: CustomStringConvertible, Sendable {
        let height: Int
        let block: [UInt8]
        let spentScripts: [[UInt8]]
        let previousHeader: String
        let filter: [UInt8]
        let header: String
        let notes: String
        var description: String { "height \(height)\(notes.isEmpty ? "" : " (\(notes))")" }
    }

    static func vectors() throws -> [Vector] {
        // The header row is a one-string row, dropped as a comment.
        try Fixture("blockfilters.json", in: Bundle.module).rows().map { row in
            let fields = row.fields
            guard fields.count == 8, let height = fields[0] as? Int, let block = (fields[2] as? String).flatMap({ [UInt8](hex: $0) }),
                let scripts = fields[3] as? [String], let previous = fields[4] as? String,
                let filter = (fields[5] as? String).flatMap({ [UInt8](hex: $0) }), let header = fields[6] as? String, let notes = fields[7] as? String
            else { throw FixtureError.malformed("blockfilters.json", row.label) }
            return Vector(
                height: height, block: block, spentScripts: scripts.compactMap { [UInt8](hex: $0) }, previousHeader: previous, filter: filter,
                header: header, notes: notes)
        }
    }

    @Test func everyRowIsUsed() throws {
        #expect(try Self.vectors().count == 10)
    }

    @Test(arguments: try vectors())
    func matchesCore(_ vector: Vector) throws {
        let block = try Block(serialized: vector.block)
        let filter = BasicBlockFilter(block: block, spentScripts: vector.spentScripts)
        #expect(filter.encoded == vector.filter)
        let previous = try #require(Hash256(displayHex: vector.previousHeader))
        #expect(filter.header(previous: previous).displayHex == vector.header)
        // Read back from its bytes: every element matches; the filter of a block is its own.
        let decoded = try BasicBlockFilter(blockHash: block.hash, encoded: vector.filter)
        let elements = block.transactions.flatMap(\.outputs).map(\.scriptPubKey).filter { !$0.isEmpty && $0[0] != 0x6a }
            + vector.spentScripts.filter { !$0.isEmpty }
        for element in elements { #expect(decoded.matchesAny([element])) }
        if elements.isEmpty { #expect(decoded.codedSet.count == 0 && !decoded.matchesAny([[0x51]])) }
    }

    @Test func falsePositivesAreRare() throws {
        // A filter of 1,000 random scripts: 2,000 other scripts match about 2,000 / 784,931 times.
        var random = SplitMix64(seed: 5)
        func script() -> [UInt8] { (0..<22).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
        let members = (0..<1_000).map { _ in script() }
        let set = GolombRiceSet(items: members, p: BasicBlockFilter.p, m: BasicBlockFilter.m, key: (1, 2))
        #expect(members.allSatisfy { set.matchesAny([$0]) })
        let strangers = (0..<2_000).map { _ in script() }
        let falsePositives = strangers.filter { set.matchesAny([$0]) }.count
        #expect(falsePositives < 3, "\(falsePositives) false positives")
        // A coding that ends before its count runs out answers (false once the bits end), never traps.
        let truncated = try GolombRiceSet(encoded: [200] + Array(set.codedBits.prefix(3)), p: 19, m: BasicBlockFilter.m, key: (1, 2))
        #expect(!truncated.matchesAny([[0xff]]))
        #expect(!GolombRiceSet(items: [], p: 19, m: BasicBlockFilter.m, key: (1, 2)).matchesAny(members))
    }
}
