import ChainTypes
import JSONRPC
import Mempool
import Synchronization

/// Where a subscriber's messages go (a WebSocket connection): `send` queues without waiting and
/// says false when the message had to be dropped.
public protocol EventSink: Sendable {
    func send(_ text: String) -> Bool
}

/// The `/ws` subscriptions: takes the node's events (`NodeEvent`, in order, from the mempool
/// actor) and tells each subscriber what its topics say, with a sequence number per topic as
/// ZMQ has. Publishing never waits: a subscriber whose queue is full loses messages and gets a
/// `notice` with the count once it has room again.
///
/// Subscribers send `{"id": 1, "method": "subscribe", "params": ["hashblock", "txstatus:<txid>"]}`
/// (or `unsubscribe`) and get `{"id": 1, "result": [topics]}` or an `error` as JSON-RPC.
public final class EventHub: Sendable {
    /// What is known about a transaction when someone starts watching it: in the mempool, or
    /// confirmed in a block of the active chain at a height.
    public typealias StatusLookup = @Sendable (TxID) async -> (inMempool: Bool, confirmation: (block: BlockHash, height: Int)?)

    /// At most this many `txstatus` topics per subscriber.
    public static let maxWatchesPerSubscriber = 1_000

    private struct Subscriber {
        let sink: any EventSink
        var topics: Set<EventTopic> = []
        var dropped = 0
    }

    private struct State {
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 0
        var sequences: [String: UInt32] = [:]
        var tracker: TransactionStatusTracker

        /// Sends `text` to every subscriber of `topic`.
        mutating func deliver(_ text: String, toSubscribersOf topic: EventTopic) {
            for id in subscribers.keys.sorted() where subscribers[id]?.topics.contains(topic) == true { deliver(text, to: id) }
        }

        /// Sends `text` to `id`, after the notice of what it missed; counts what cannot be sent.
        mutating func deliver(_ text: String, to id: Int) {
            guard var subscriber = subscribers[id] else { return }
            defer { subscribers[id] = subscriber }
            if subscriber.dropped > 0 {
                let notice = JSONValue.object(JSONObject([("topic", "notice"), ("dropped", .int(Int64(subscriber.dropped)))])).jsonString
                guard subscriber.sink.send(notice) else {
                    subscriber.dropped += 1
                    return
                }
                subscriber.dropped = 0
            }
            if !subscriber.sink.send(text) { subscriber.dropped += 1 }
        }
    }

    private let state: Mutex<State>

    /// A hub reporting confirmations as final at `finalDepth`, starting at tip height `tipHeight`.
    public init(finalDepth: Int, tipHeight: Int) {
        state = Mutex(State(tracker: TransactionStatusTracker(finalDepth: finalDepth, tipHeight: tipHeight)))
    }

    /// Registers a subscriber (with no topics yet); returns its id.
    public func attach(_ sink: any EventSink) -> Int {
        state.withLock { state in
            state.nextID += 1
            state.subscribers[state.nextID] = Subscriber(sink: sink)
            return state.nextID
        }
    }

    /// Forgets subscriber `id` (its connection closed).
    public func detach(_ id: Int) {
        state.withLock { state in
            for case let .transactionStatus(txid) in state.subscribers[id]?.topics ?? [] { state.tracker.unwatch(txid, by: id) }
            state.subscribers[id] = nil
        }
    }

    /// The number of subscribers.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    // MARK: Requests

    /// Answers a request from subscriber `id`; `lookup` tells where newly watched transactions
    /// stand.
    public func handle(_ text: String, from id: Int, lookup: StatusLookup) async {
        let request: JSONValue
        do {
            request = try JSONParser(limits: .init(maxDepth: 8, maxBytes: 64 << 10)).parse(text)
        } catch {
            reply(to: id, requestID: .null, error: RPCError(.parseError, "Parse error"))
            return
        }
        let requestID = request["id"] ?? .null
        guard let method = request["method"]?.stringValue, method == "subscribe" || method == "unsubscribe" else {
            reply(to: id, requestID: requestID, error: RPCError(.methodNotFound, "Method not found"))
            return
        }
        var topics: [EventTopic] = []
        for name in request["params"]?.arrayValue ?? [] {
            guard let text = name.stringValue, let topic = EventTopic(text) else {
                reply(to: id, requestID: requestID, error: RPCError(.invalidParameter, "Unknown topic: \(name.jsonString)"))
                return
            }
            topics.append(topic)
        }
        if method == "unsubscribe" {
            reply(to: id, requestID: requestID, result: unsubscribe(id, from: topics))
            return
        }
        guard let (subscribed, newWatches) = subscribe(id, to: topics) else {
            reply(to: id, requestID: requestID, error: RPCError(
                .invalidParameter, "Too many txstatus topics (at most \(Self.maxWatchesPerSubscriber) per connection)"))
            return
        }
        reply(to: id, requestID: requestID, result: subscribed)
        // Where each newly watched transaction stands now; events from here on follow.
        for txid in newWatches {
            let found = await lookup(txid)
            let status: TransactionStatus? = state.withLock { state in
                if found.inMempool { return .accepted }
                guard let confirmation = found.confirmation else { return .unknown }
                return state.tracker.learn(txid, confirmedIn: confirmation.block, height: confirmation.height)
            }
            if let status { send(JSONValue.object(status.message(txid: txid)).jsonString, to: [id]) }
        }
    }

    /// Adds `topics` to `id`'s; nil (and nothing changed) past the watch limit. Returns the
    /// subscriber's topics and the transactions it newly watches.
    private func subscribe(_ id: Int, to topics: [EventTopic]) -> (JSONValue, [TxID])? {
        state.withLock { state in
            guard var subscriber = state.subscribers[id] else { return (.array([]), []) }
            let added = Set(topics).subtracting(subscriber.topics)
            let watches = added.compactMap { topic -> TxID? in
                if case let .transactionStatus(txid) = topic { return txid }
                return nil
            }
            let watching = subscriber.topics.count { if case .transactionStatus = $0 { true } else { false } }
            guard watching + watches.count <= Self.maxWatchesPerSubscriber else { return nil }
            subscriber.topics.formUnion(added)
            for txid in watches { state.tracker.watch(txid, by: id) }
            state.subscribers[id] = subscriber
            return (Self.list(subscriber.topics), watches)
        }
    }

    private func unsubscribe(_ id: Int, from topics: [EventTopic]) -> JSONValue {
        state.withLock { state in
            guard var subscriber = state.subscribers[id] else { return .array([]) }
            for topic in topics where subscriber.topics.remove(topic) != nil {
                if case let .transactionStatus(txid) = topic { state.tracker.unwatch(txid, by: id) }
            }
            state.subscribers[id] = subscriber
            return Self.list(subscriber.topics)
        }
    }

    private static func list(_ topics: Set<EventTopic>) -> JSONValue {
        .array(topics.map(\.description).sorted().map { .string($0) })
    }

    private func reply(to id: Int, requestID: JSONValue, result: JSONValue) {
        send(JSONValue.object(JSONObject([("id", requestID), ("result", result)])).jsonString, to: [id])
    }

    private func reply(to id: Int, requestID: JSONValue, error: RPCError) {
        let body = JSONObject([("code", .int(Int64(error.code.rawValue))), ("message", .string(error.message))])
        send(JSONValue.object(JSONObject([("id", requestID), ("error", .object(body))])).jsonString, to: [id])
    }

    // MARK: Publishing

    /// Tells every subscriber what `events` mean for its topics. Never waits.
    public func publish(_ events: [NodeEvent]) {
        state.withLock { state in
            let wanted = Self.wantedTopics(state)
            for event in events {
                for (topic, message) in Self.messages(for: event, sequences: &state.sequences, wanted: wanted) {
                    state.deliver(message(), toSubscribersOf: topic)
                }
                for (txid, status) in state.tracker.apply(event).sorted(by: { $0.0.description < $1.0.description }) {
                    state.deliver(JSONValue.object(status.message(txid: txid)).jsonString, toSubscribersOf: .transactionStatus(txid))
                }
            }
        }
    }

    private func send(_ text: String, to ids: [Int]) {
        state.withLock { state in
            for id in ids { state.deliver(text, to: id) }
        }
    }

    private static func wantedTopics(_ state: State) -> Set<EventTopic> {
        state.subscribers.values.reduce(into: Set<EventTopic>()) { $0.formUnion($1.topics.filter(EventTopic.streams.contains)) }
    }

    /// The stream messages `event` makes (formatted only when someone wants the topic), each
    /// topic's sequence counted whether or not anyone listens, as ZMQ's.
    private static func messages(
        for event: NodeEvent, sequences: inout [String: UInt32], wanted: Set<EventTopic>
    ) -> [(EventTopic, () -> String)] {
        var messages: [(EventTopic, () -> String)] = []
        func add(_ topic: EventTopic, _ fields: @escaping () -> [(String, JSONValue)]) {
            let name = topic.description
            let number = sequences[name, default: 0]
            sequences[name] = number &+ 1
            guard wanted.contains(topic) else { return }
            messages.append((topic, {
                JSONValue.object(JSONObject([("topic", .string(name)), ("sequence", .int(Int64(number)))] + fields())).jsonString
            }))
        }
        func transaction(_ transaction: Transaction) {
            add(.hashTransaction) { [("txid", .string(transaction.txid.description))] }
            add(.rawTransaction) { [("txid", .string(transaction.txid.description)), ("hex", .string(transaction.serialized.hexString))] }
        }
        func sequence(_ hash: String, _ label: String, mempoolSequence: UInt64? = nil) {
            add(.sequence) {
                [("hash", .string(hash)), ("label", .string(label))] + (mempoolSequence.map { [("mempool_sequence", .int(Int64($0)))] } ?? [])
            }
        }
        switch event {
        case let .transactionAdded(added, mempoolSequence):
            transaction(added)
            sequence(added.txid.description, "A", mempoolSequence: mempoolSequence)
        case let .transactionRemoved(removed, reason, mempoolSequence):
            // As Core: transactions leaving for a block are told by the block's `C`.
            if reason != .block { sequence(removed.txid.description, "R", mempoolSequence: mempoolSequence) }
        case let .blockConnected(block, _):
            sequence(block.hash.description, "C")
            block.transactions.forEach(transaction)
        case let .blockDisconnected(block, _):
            sequence(block.hash.description, "D")
            block.transactions.forEach(transaction)
        case let .tipChanged(block, height):
            add(.hashBlock) { [("hash", .string(block.hash.description))] }
            add(.rawBlock) { [("hash", .string(block.hash.description)), ("height", .int(Int64(height))), ("hex", .string(block.serialized.hexString))] }
        }
        return messages
    }
}
