import Consensus
import Foundation
import TestSupport
import Testing

/// Every row of Bitcoin Cash Node's aserti3-2d vectors (Fixtures/README.md): 600 s spacing,
/// half-life 172,800 s, POW limit 0x1d00ffff. A row `height time target` is the target of the
/// block at `height + 1` whose parent, at `height`, has timestamp `time`.
@Suite struct ASERTVectorTests {
    static let files = (1...12).map { String(format: "run%02d", $0) }
    static let expectedRowCounts = [10, 10, 10, 225, 225, 1000, 1000, 500, 10, 10, 1000, 10000]

    struct Run {
        var anchorHeight: UInt64 = 0
        var anchorParentTime: Int64 = 0
        var anchorBits: UInt32 = 0
        var iterations = 0
        var rows: [(line: Int, height: UInt64, time: Int64, bits: UInt32)] = []
    }

    static func load(_ name: String) throws -> Run {
        let fixture = try Fixture(name, in: .module)
        guard let text = String(data: fixture.data, encoding: .utf8) else { throw FixtureError.malformed(name, "not UTF-8") }
        var run = Run()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("##") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let key = line[line.index(line.startIndex, offsetBy: 2)..<colon].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                switch key {
                case "anchor height": run.anchorHeight = try parse(UInt64(value), name, index)
                case "anchor ancestor time", "anchor parent time": run.anchorParentTime = try parse(Int64(value), name, index)
                case "anchor nBits": run.anchorBits = try parse(UInt32(value.dropFirst(2), radix: 16), name, index)
                case "iterations": run.iterations = try parse(Int(value), name, index)
                default: break
                }
                continue
            }
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: " ")
            guard fields.count == 4, fields[3].hasPrefix("0x") else { throw FixtureError.malformed(name, "line \(index + 1)") }
            run.rows.append((
                index + 1, try parse(UInt64(fields[1]), name, index), try parse(Int64(fields[2]), name, index),
                try parse(UInt32(fields[3].dropFirst(2), radix: 16), name, index)))
        }
        return run
    }

    static func parse<T>(_ value: T?, _ name: String, _ index: Int) throws -> T {
        guard let value else { throw FixtureError.malformed(name, "line \(index + 1)") }
        return value
    }

    static let powLimit = UInt256(compact: 0x1d00_ffff)

    @Test(arguments: zip(files, expectedRowCounts)) func everyRow(_ name: String, expectedRows: Int) throws {
        let run = try Self.load(name)
        #expect(run.rows.count == expectedRows)
        #expect(run.rows.count == run.iterations)
        var failures = 0
        for row in run.rows {
            let bits = ASERT.nextBits(
                parentHeight: row.height, parentTime: row.time, anchorHeight: run.anchorHeight,
                anchorBits: run.anchorBits, anchorParentTime: run.anchorParentTime,
                targetSpacing: 600, halfLife: 172_800, powLimit: Self.powLimit)
            if bits != row.bits {
                failures += 1
                if failures <= 5 {
                    Issue.record("\(name) line \(row.line): got \(bits.map { String($0, radix: 16) } ?? "nil"), expected \(String(row.bits, radix: 16))")
                }
            }
        }
        #expect(failures == 0, "\(name): \(failures) of \(run.rows.count) rows differ")
    }

    /// With floor division in place of truncation these runs would fail (the vector README
    /// counts 10,481 rows); make sure they really exercise negative fractional exponents.
    @Test func runsExerciseNegativeExponents() throws {
        let run = try Self.load("run12")
        let last = try #require(run.rows.last)
        #expect(last.time < run.anchorParentTime + 600 * Int64(last.height - run.anchorHeight + 1))
    }
}
