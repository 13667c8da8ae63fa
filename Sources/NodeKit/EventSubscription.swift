import ChainState
import ChainTypes
import Mempool
import NodeRPC
import RPCServer

/// `/ws`: each WebSocket connection is one `EventHub` subscriber.
enum EventSubscription {
    static func route(hub: EventHub, chain: ChainService, mempool: MempoolService) -> WebSocketRoute {
        WebSocketRoute(path: "/ws") { connection in
            Session(hub: hub, id: hub.attach(Sink(connection: connection))) { txid in
                if await mempool.contains(txid) { return (true, nil) }
                return (false, await confirmation(of: txid, in: chain))
            }
        }
    }

    /// Where `txid` is confirmed in the active chain; found only with `-txindex`.
    static func confirmation(of txid: TxID, in chain: ChainService) async -> (block: BlockHash, height: Int)? {
        let found = try? await chain.access { (state: ChainState) throws(ChainStateError) -> (BlockHash, Int)? in
            guard let (_, node) = try state.transaction(txid), state.activeNode(at: node.height) === node else { return nil }
            return (node.hash, node.height)
        }
        return found.flatMap { $0 }.map { (block: $0.0, height: $0.1) }
    }

    /// A connection as the hub's sink.
    struct Sink: EventSink {
        let connection: WebSocketConnection
        func send(_ text: String) -> Bool { connection.send(text) }
    }

    final class Session: WebSocketSession {
        let hub: EventHub
        let id: Int
        let lookup: EventHub.StatusLookup

        init(hub: EventHub, id: Int, lookup: @escaping EventHub.StatusLookup) {
            self.hub = hub
            self.id = id
            self.lookup = lookup
        }

        func received(_ text: String) async { await hub.handle(text, from: id, lookup: lookup) }

        func closed() async { hub.detach(id) }
    }
}
