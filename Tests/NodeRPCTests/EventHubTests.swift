import ChainCrypto
import ChainTypes
import JSONRPC
import Mempool
import Synchronization
import Testing
@testable import NodeRPC

/// `/ws` subscriptions without a socket: the request protocol, the ZMQ-like topics with their
/// sequence numbers, a transaction's lifecycle on `txstatus`, and what a full subscriber
/// misses; then the events a real chain and mempool produce, in order, through the RPCs.
@Suite struct EventHubTests {
    /// Collects what the hub sends; refuses messages while `capacity` is used up.
    final class RecordingSink: EventSink {
        private let state = Mutex<(messages: [String], capacity: Int?)>(([], nil))
        func send(_ text: String) -> Bool {
            state.withLock { state in
                if let capacity = state.capacity {
                    guard capacity > 0 else { return false }
                    state.capacity = capacity - 1
                }
                state.messages.append(text)
                return true
            }
        }

        func limit(to capacity: Int?) { state.withLock { $0.capacity = capacity } }

        /// The messages so far, parsed, and forgets them.
        func take() -> [JSONValue] {
            state.withLock { state in
                defer { state.messages.removeAll() }
                return state.messages.compactMap { try? JSONParser.parse(Array($0.utf8)) }
            }
        }
    }

    static let nothingKnown: EventHub.StatusLookup = { _ in (false, nil) }

    func subscribe(_ hub: EventHub, _ id: Int, _ topics: [String], lookup: EventHub.StatusLookup = nothingKnown) async {
        let request = JSONValue.object(JSONObject([("id", 7), ("method", "subscribe"), ("params", .array(topics.map { .string($0) }))]))
        await hub.handle(request.jsonString, from: id, lookup: lookup)
    }

    func transaction(_ salt: UInt8) -> Transaction {
        Transaction(version: 2, inputs: [TxIn(previousOutput: OutPoint(txid: TxID(Hashing.sha256d([salt])), index: 0))],
                    outputs: [TxOut(value: Amount(satoshis: 1_000), scriptPubKey: [0x51])])
    }

    func block(_ transactions: [Transaction], salt: UInt32 = 0) -> Block {
        Block(header: BlockHeader(version: 4, previousBlockHash: BlockHash(.zero), merkleRoot: .zero, time: salt, bits: 0, nonce: 0),
              transactions: transactions)
    }

    @Test func requestsAreAnsweredAsJSONRPC() async {
        let hub = EventHub(finalDepth: 6, tipHeight: 0)
        let sink = RecordingSink()
        let id = hub.attach(sink)
        await subscribe(hub, id, ["sequence", "hashblock"])
        #expect(sink.take() == [.object(JSONObject([("id", 7), ("result", .array(["hashblock", "sequence"]))]))])
        await subscribe(hub, id, ["hashblocks"])
        #expect(sink.take().first?["error"]?["code"] == .int(-8))
        await hub.handle("{", from: id, lookup: Self.nothingKnown)
        #expect(sink.take().first?["error"]?["code"] == .int(-32700))
        await hub.handle(#"{"id": 1, "method": "getblock"}"#, from: id, lookup: Self.nothingKnown)
        #expect(sink.take().first?["error"]?["code"] == .int(-32601))
        await hub.handle(#"{"id": 2, "method": "unsubscribe", "params": ["sequence"]}"#, from: id, lookup: Self.nothingKnown)
        #expect(sink.take().first?["result"] == .array(["hashblock"]))
        hub.detach(id)
        #expect(hub.subscriberCount == 0)
    }

    @Test func topicsCarryCoreZMQContentWithSequenceNumbers() async {
        let hub = EventHub(finalDepth: 6, tipHeight: 0)
        let sink = RecordingSink()
        let id = hub.attach(sink)
        await subscribe(hub, id, ["hashtx", "rawtx", "sequence", "hashblock", "rawblock"])
        _ = sink.take()
        let added = transaction(1), replaced = transaction(2)
        let mined = block([added])
        hub.publish([
            .transactionAdded(added, mempoolSequence: 10),
            .transactionRemoved(replaced, reason: .replaced, mempoolSequence: 11),
            .transactionRemoved(added, reason: .block, mempoolSequence: 12),
            .blockConnected(mined, height: 5),
            .tipChanged(mined, height: 5),
        ])
        let messages = sink.take()
        let topics = messages.compactMap { $0["topic"]?.stringValue }
        // A block's transactions leave silently (the block's C tells it); hashtx/rawtx again for
        // the block's transactions; the tip once.
        #expect(topics == ["hashtx", "rawtx", "sequence", "sequence", "sequence", "hashtx", "rawtx", "hashblock", "rawblock"])
        #expect(messages[0]["txid"] == .string(added.txid.description) && messages[0]["sequence"] == .int(0))
        #expect(messages[1]["hex"] == .string(added.serialized.hexString))
        #expect(messages[2]["label"] == "A" && messages[2]["mempool_sequence"] == .int(10) && messages[2]["sequence"] == .int(0))
        #expect(messages[3]["label"] == "R" && messages[3]["hash"] == .string(replaced.txid.description) && messages[3]["sequence"] == .int(1))
        #expect(messages[4]["label"] == "C" && messages[4]["hash"] == .string(mined.hash.description) && messages[4]["mempool_sequence"] == nil)
        #expect(messages[5]["sequence"] == .int(1), "hashtx counts its own messages")
        #expect(messages[8]["hex"] == .string(mined.serialized.hexString) && messages[8]["height"] == .int(5))
        hub.publish([.blockDisconnected(mined, height: 5)])
        #expect(sink.take().first?["label"] == "D")
    }

    @Test func transactionStatusFollowsALifecycle() async {
        let hub = EventHub(finalDepth: 3, tipHeight: 10)
        let sink = RecordingSink()
        let id = hub.attach(sink)
        let watched = transaction(1), other = transaction(2)
        await subscribe(hub, id, ["txstatus:\(watched.txid)"])
        func statuses() -> [String] {
            sink.take().compactMap { message in
                guard message["topic"] == "txstatus" else { return nil }
                return [message["status"]?.stringValue, message["depth"]?.jsonString, message["reason"]?.stringValue]
                    .compactMap { $0 }.joined(separator: " ")
            }
        }
        #expect(statuses() == ["unknown"])
        hub.publish([.transactionAdded(other, mempoolSequence: 1), .transactionAdded(watched, mempoolSequence: 2)])
        #expect(statuses() == ["accepted"])
        let first = block([watched], salt: 1)
        hub.publish([.transactionRemoved(watched, reason: .block, mempoolSequence: 3), .blockConnected(first, height: 11)])
        #expect(statuses() == ["confirmed 1"])
        hub.publish([.blockConnected(block([], salt: 2), height: 12)])
        #expect(statuses() == ["confirmed 2"])
        // A reorg takes its block away: removed (reorg); back in the pool: accepted.
        hub.publish([.blockDisconnected(block([], salt: 2), height: 12), .blockDisconnected(first, height: 11)])
        hub.publish([.transactionAdded(watched, mempoolSequence: 4)])
        #expect(statuses() == ["removed reorg", "accepted"])
        let second = block([watched], salt: 3)
        hub.publish([.blockConnected(second, height: 11), .blockConnected(block([], salt: 4), height: 12),
                     .blockConnected(block([], salt: 5), height: 13), .blockConnected(block([], salt: 6), height: 14)])
        // Final at depth 3, then quiet.
        #expect(statuses() == ["confirmed 1", "confirmed 2", "final 3"])

        // Removal reasons; and a transaction already in the pool when watching starts.
        let evicted = transaction(3)
        await subscribe(hub, id, ["txstatus:\(evicted.txid)"], lookup: { _ in (true, nil) })
        hub.publish([.transactionRemoved(evicted, reason: .sizeLimit, mempoolSequence: 9)])
        #expect(statuses() == ["accepted", "removed evicted"])
        // Found confirmed (with -txindex): its depth from the tip.
        let old = transaction(4)
        await subscribe(hub, id, ["txstatus:\(old.txid)"], lookup: { _ in (false, (BlockHash(.zero), 13)) })
        #expect(statuses() == ["confirmed 2"])
    }

    @Test func aFullSubscriberLosesMessagesAndIsToldHowMany() async {
        let hub = EventHub(finalDepth: 6, tipHeight: 0)
        let slow = RecordingSink(), fast = RecordingSink()
        let slowID = hub.attach(slow), fastID = hub.attach(fast)
        await subscribe(hub, slowID, ["hashtx"])
        await subscribe(hub, fastID, ["hashtx"])
        _ = slow.take()
        _ = fast.take()
        slow.limit(to: 2)
        hub.publish((1...5).map { .transactionAdded(transaction($0), mempoolSequence: UInt64($0)) })
        #expect(fast.take().count == 5, "one slow subscriber holds no one up")
        #expect(slow.take().map { $0["sequence"] } == [.int(0), .int(1)])
        slow.limit(to: nil)
        hub.publish([.transactionAdded(transaction(6), mempoolSequence: 6)])
        let resumed = slow.take()
        #expect(resumed.first?["topic"] == "notice" && resumed.first?["dropped"] == .int(3))
        #expect(resumed.last?["sequence"] == .int(5), "the sequence shows the gap too")
    }

    @Test func watchesPerSubscriberAreBounded() async {
        let hub = EventHub(finalDepth: 6, tipHeight: 0)
        let sink = RecordingSink()
        let id = hub.attach(sink)
        let many = (0..<(EventHub.maxWatchesPerSubscriber + 1)).map { "txstatus:" + String(repeating: "0", count: 60) + String(format: "%04x", $0) }
        // In requests of 250 (a request is at most 64 KiB): the last one is one too many.
        for start in stride(from: 0, to: EventHub.maxWatchesPerSubscriber, by: 250) {
            await subscribe(hub, id, Array(many[start..<start + 250]))
        }
        // Each new watch is answered by the transaction's status, after the result.
        #expect(sink.take().last(where: { $0["result"] != nil })?["result"]?.arrayValue?.count == EventHub.maxWatchesPerSubscriber)
        await subscribe(hub, id, [many[EventHub.maxWatchesPerSubscriber]])
        #expect(sink.take().first?["error"]?["code"] == .int(-8))
        await subscribe(hub, id, Array(many.prefix(3)))
        #expect(sink.take().first?["result"]?.arrayValue?.count == EventHub.maxWatchesPerSubscriber, "already watched: nothing new")
    }

    /// The events a chain and mempool produce through the RPCs, in Core's order.
    @Test func rpcChangesArriveInOrder() async throws {
        let hub = EventHub(finalDepth: 2, tipHeight: 0)
        let fixture = try ChainMethodTests(publishingTo: hub)
        let sink = RecordingSink()
        let id = hub.attach(sink)
        let (spend, hex) = try await fixture.matureSpend()
        await subscribe(hub, id, ["sequence", "hashblock", "txstatus:\(spend.txid)"])
        _ = sink.take()
        _ = try await fixture.call("sendrawtransaction", [hex])
        let mined = try #require(try await fixture.call("generatetoaddress", [1, .string(fixture.address)]).arrayValue?.first)
        _ = try await fixture.call("invalidateblock", [mined])
        func describe(_ message: JSONValue) -> String {
            if message["topic"] == "txstatus" { return "txstatus \(message["status"]?.stringValue ?? "")" }
            return [message["topic"]?.stringValue, message["label"]?.stringValue].compactMap { $0 }.joined(separator: " ")
        }
        // Mined: the block's C (its transaction leaves without an R), then the new tip;
        // invalidated: D, and the transaction is back in the pool.
        #expect(sink.take().map(describe) == [
            "sequence A", "txstatus accepted",
            "sequence C", "txstatus confirmed", "hashblock",
            "sequence D", "txstatus removed", "sequence A", "txstatus accepted",
        ])
    }
}
