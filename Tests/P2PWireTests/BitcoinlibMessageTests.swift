import ByteCodec
import ChainCrypto
import ChainParams
import ChainTypes
import Foundation
import Testing
import TestSupport
@testable import P2PWire

/// Messages framed by python-bitcoinlib (an independent implementation, see Fixtures/README.md):
/// each is cut from the stream, decoded to the values it was built from, and encoded again to
/// the same bytes.
@Suite struct BitcoinlibMessageTests {
    struct Case: CustomStringConvertible, Sendable {
        let command: String
        let bytes: [UInt8]
        let fields: [String: JSONField]
        var description: String { command }
    }

    /// A JSON value from the fixture, kept Sendable.
    enum JSONField: Sendable {
        case number(UInt64), text(String), list([JSONField]), record([String: JSONField])

        init?(_ value: Any) {
            switch value {
            case let number as NSNumber: self = .number(number.uint64Value)
            case let text as String: self = .text(text)
            case let list as [Any]: self = .list(list.compactMap(JSONField.init))
            case let record as [String: Any]: self = .record(record.compactMapValues(JSONField.init))
            default: return nil
            }
        }

        var number: UInt64? { if case let .number(value) = self { value } else { nil } }
        var text: String? { if case let .text(value) = self { value } else { nil } }
        var list: [JSONField] { if case let .list(value) = self { value } else { [] } }
        subscript(key: String) -> JSONField? { if case let .record(value) = self { value[key] } else { nil } }
    }

    static func cases() throws -> [Case] {
        let fixture = try Fixture("bitcoinlib_messages.json", in: Bundle.module)
        let rows = try JSONSerialization.jsonObject(with: fixture.data) as? [[String: Any]] ?? []
        return rows.compactMap { row in
            guard let command = row["command"] as? String, let hex = row["hex"] as? String, let bytes = [UInt8](hex: hex),
                let fields = row["fields"] as? [String: Any]
            else { return nil }
            return Case(command: command, bytes: bytes, fields: fields.compactMapValues(JSONField.init))
        }
    }

    @Test func theFixtureHasEveryMessage() throws {
        #expect(try Self.cases().map(\.command) == [
            "version", "verack", "ping", "pong", "getaddr", "mempool", "inv", "getdata", "notfound", "addr", "getheaders", "getblocks",
            "tx", "block",
        ])
    }

    static func ipv4(_ text: String) -> [UInt8] {
        [UInt8](repeating: 0, count: 10) + [0xff, 0xff] + text.split(separator: ".").compactMap { UInt8($0) }
    }

    @Test(arguments: try cases())
    func decodesAndEncodesLikeBitcoinlib(_ sample: Case) throws {
        var framer = MessageFramer(magic: ChainParams.regtest.magic)
        framer.append(sample.bytes)
        let (command, payload) = try #require(try framer.next())
        #expect(command == sample.command && framer.bufferedCount == 0)
        let message = try Message(command: command, payload: payload)
        #expect(message.command == sample.command)
        #expect(message.framed(magic: ChainParams.regtest.magic) == sample.bytes)
        let fields = sample.fields
        switch message {
        case let .version(version):
            #expect(UInt64(version.version) == fields["version"]?.number && version.services.rawValue == fields["services"]?.number)
            #expect(UInt64(version.time) == fields["time"]?.number && version.nonce == fields["nonce"]?.number)
            #expect(version.receiver.ip == Self.ipv4(fields["receiverIP"]?.text ?? "") && UInt64(version.receiver.port) == fields["receiverPort"]?.number)
            #expect(version.sender.ip == Self.ipv4(fields["senderIP"]?.text ?? "") && UInt64(version.sender.port) == fields["senderPort"]?.number)
            #expect(version.userAgent == fields["userAgent"]?.text && UInt64(version.startHeight) == fields["startHeight"]?.number && version.relay)
        case let .ping(nonce), let .pong(nonce):
            #expect(nonce == fields["nonce"]?.number)
        case let .inventory(items), let .getData(items), let .notFound(items):
            let expected = fields["items"]?.list ?? []
            #expect(items.count == expected.count && !items.isEmpty)
            for (item, want) in zip(items, expected) {
                #expect(UInt64(item.kind.rawValue) == want["type"]?.number && item.hash.displayHex == want["hash"]?.text)
            }
        case let .addresses(entries):
            let expected = fields["addresses"]?.list ?? []
            #expect(entries.count == expected.count && !entries.isEmpty)
            for (entry, want) in zip(entries, expected) {
                #expect(UInt64(entry.time) == want["time"]?.number && entry.address.services.rawValue == want["services"]?.number)
                #expect(entry.address.ip == Self.ipv4(want["ip"]?.text ?? "") && UInt64(entry.address.port) == want["port"]?.number)
            }
        case let .getHeaders(request), let .getBlocks(request):
            #expect(UInt64(request.version) == fields["version"]?.number)
            #expect(request.locator.map(\.description) == (fields["locator"]?.list ?? []).compactMap(\.text))
            #expect(request.stop.description == fields["stop"]?.text)
        case let .transaction(transaction):
            #expect(transaction.txid.description == fields["txid"]?.text)
        case let .block(block):
            #expect(block.hash.description == fields["hash"]?.text && UInt64(block.transactions.count) == fields["transactions"]?.number)
        case .verack, .getAddresses, .mempool:
            #expect(payload.isEmpty)
        default:
            Issue.record("unexpected \(message.command)")
        }
    }
}
