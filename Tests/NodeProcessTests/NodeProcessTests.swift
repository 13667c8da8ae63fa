import Addresses
import ChainCrypto
import ChainParams
import ChainState
import ChainTypes
import Foundation
import JSONRPC
import Mining
import P2PWire
import Script
import Storage
import Testing
import TestSupport

/// `rustyd` as a real process: RPC over HTTP, mining, restart, and kill -9 at random moments.
@Suite(.serialized) struct NodeProcessTests {
    static let key = PrivateKey.random()
    static var address: String {
        Address.witness(version: 0, program: Hashing.hash160(key.publicKey().bytes)).encoded(prefixes: ChainParams.regtest.addressPrefixes)
    }

    @Test func minesServesRPCAndSurvivesRestart() throws {
        let node = RustydProcess()
        defer { node.kill(); node.removeData() }
        try node.start()
        #expect(try node.call("getblockcount") == .int(0))
        #expect(try node.call("getblockhash", [0]).stringValue == ChainParams.regtest.genesisBlock.hash.description)
        let hashes = try node.call("generatetoaddress", [101, .string(Self.address)])
        #expect(hashes.arrayValue?.count == 101)
        #expect(try node.call("getblockcount") == .int(101))
        let best = try #require(try node.call("getbestblockhash").stringValue)
        let block = try node.call("getblock", [.string(best)])
        #expect(block["height"] == .int(101))
        #expect(block["confirmations"] == .int(1))
        #expect(block["tx"]?.arrayValue?.count == 1)
        let info = try node.call("getblockchaininfo")
        #expect(info["chain"]?.stringValue == "regtest" && info["blocks"] == .int(101))
        // Errors as Core: unknown method, bad height, bad hash.
        #expect(throws: RPCCallError.self) { try node.call("nosuchmethod") }
        do {
            try node.call("getblockhash", [500])
            Issue.record("out-of-range height accepted")
        } catch let error as RPCCallError {
            #expect(error.code == -8)
        }
        // invalidate and reconsider
        try node.call("invalidateblock", [.string(best)])
        #expect(try node.call("getblockcount") == .int(100))
        try node.call("reconsiderblock", [.string(best)])
        #expect(try node.call("getblockcount") == .int(101))
        let utxoBefore = try node.call("gettxoutsetinfo")

        // Clean stop, restart: the same chain and UTXO set.
        let firstStop = try node.stop()
        #expect(firstStop == 0, "exit status \(firstStop), log:\n\(node.logTail())")
        try node.start()
        #expect(try node.call("getblockcount") == .int(101))
        #expect(try node.call("getbestblockhash").stringValue == best)
        #expect(try node.call("gettxoutsetinfo") == utxoBefore)

        // Operations endpoints: behind the RPC credentials, Prometheus text and a health verdict.
        #expect(try node.get("/metrics", authenticated: false).0 == 401)
        let (metricsStatus, metrics) = try node.get("/metrics")
        #expect(metricsStatus == 200)
        #expect(metrics.contains("rustyd_block_height 101"))
        #expect(metrics.contains("rustyd_block_connect_seconds"))
        #expect(metrics.contains(#"rustyd_rpc_requests_total{method="gettxoutsetinfo"}"#))
        let (healthStatus, health) = try node.get("/health")
        #expect(healthStatus == 200 && health.contains(#""storage_writable":true"#))

        // SIGTERM stops it gracefully too, flushing the chain state.
        #expect(node.terminate() == 0)
        #expect(node.logTail().contains("chain state flushed"))
        try node.start()
        #expect(try node.call("getbestblockhash").stringValue == best)
        let status = try node.stop()
        #expect(status == 0, "exit status \(status), log:\n\(node.logTail())")
    }

    /// `/ws` on the RPC port: subscribed with the cookie, a miner hears each new tip and the
    /// sequence of block connections.
    @Test func webSocketSubscribersHearNewBlocks() throws {
        let node = RustydProcess()
        defer { node.kill(); node.removeData() }
        try node.start()
        let client = try WebSocketTestClient(port: node.port)
        #expect(try client.handshake(authorization: try node.cookieAuthorization()) == 101)
        try client.send(#"{"id": 1, "method": "subscribe", "params": ["hashblock", "sequence"]}"#)
        #expect(try JSONParser.parse(Array(client.readText().utf8))["result"] == .array(["hashblock", "sequence"]))
        let hashes = try #require(try node.call("generatetoaddress", [2, .string(Self.address)]).arrayValue)
        var heard: [JSONValue] = []
        for _ in 0..<4 { heard.append(try JSONParser.parse(Array(client.readText().utf8))) }
        // Each block mined in its own step: its C, then it as the new tip.
        #expect(heard.map { $0["topic"] } == ["sequence", "hashblock", "sequence", "hashblock"])
        #expect(heard.map { $0["hash"] } == [hashes[0], hashes[0], hashes[1], hashes[1]])
        #expect(heard[2]["sequence"] == .int(1) && heard[2]["label"] == "C")
        #expect(try node.stop() == 0)
    }

    /// Two `rustyd` processes over P2P on loopback: a node started later with `-connect` syncs
    /// the chain a miner built, hears the miner's next block, and a transaction sent to the
    /// miner reaches its mempool.
    @Test func aSecondNodeSyncsAndRelaysOverP2P() throws {
        let miner = RustydProcess(), follower = RustydProcess()
        defer {
            miner.kill()
            follower.kill()
            miner.removeData()
            follower.removeData()
        }
        try miner.start()
        _ = try miner.call("generatetoaddress", [120, .string(Self.address)])
        try follower.start(extraArguments: ["-connect=127.0.0.1:\(miner.p2pPort)"])
        let subscriber = try WebSocketTestClient(port: follower.port)
        #expect(try subscriber.handshake(authorization: try follower.cookieAuthorization()) == 101)
        try subscriber.send(#"{"id": 1, "method": "subscribe", "params": ["rawblock", "hashtx"]}"#)
        _ = try subscriber.readText()
        // The follower's new tips arrive as events: wait for height 120 (event-driven, bounded
        // by the client's read timeout).
        func waitForTip(_ height: Int) throws {
            while true {
                let message = try JSONParser.parse(Array(subscriber.readText().utf8))
                if message["topic"] == "rawblock", message["height"] == .int(Int64(height)) { return }
            }
        }
        if (try? follower.call("getblockcount")) != .int(120) { try waitForTip(120) }
        #expect(try follower.call("getbestblockhash") == miner.call("getbestblockhash"))
        // The network RPCs see the connection from both ends.
        #expect(try follower.call("getconnectioncount") == .int(1))
        let outbound = try #require(try follower.call("getpeerinfo").arrayValue?.first)
        #expect(outbound["inbound"] == .bool(false) && outbound["subver"] == "/rustyd:0.1.0/")
        #expect(outbound["addr"] == .string("127.0.0.1:\(miner.p2pPort)") && outbound["servicesnames"] == .array(["NETWORK", "WITNESS", "RUSTY"]))
        let inbound = try #require(try miner.call("getpeerinfo").arrayValue?.first)
        #expect(inbound["inbound"] == .bool(true) && inbound["startingheight"] == .int(0))
        let network = try miner.call("getnetworkinfo")
        #expect(network["connections"] == .int(1) && network["connections_in"] == .int(1) && network["networkactive"] == .bool(true))
        // A new block on the miner is announced and fetched.
        let mined = try miner.call("generatetoaddress", [1, .string(Self.address)])
        try waitForTip(121)
        #expect(try follower.call("getbestblockhash") == mined.arrayValue?.first)
        // A transaction sent to the miner reaches the follower's mempool.
        let block = try miner.call("getblock", [try miner.call("getblockhash", [1]), 2])
        let coinbase = try #require(block["tx"]?.arrayValue?.first?["txid"])
        let raw = try miner.call("createrawtransaction", [
            .array([.object(JSONObject([("txid", coinbase), ("vout", 0)]))]), .array([.object(JSONObject([(Self.address, .decimal(4_999_990_000, scale: 8))]))]),
        ])
        let wif = WIF(key: Self.key).encoded(prefixes: ChainParams.regtest.addressPrefixes)
        let signed = try miner.call("signrawtransactionwithkey", [raw, .array([.string(wif)])])
        let txid = try miner.call("sendrawtransaction", [try #require(signed["hex"])])
        while true {
            let message = try JSONParser.parse(Array(subscriber.readText().utf8))
            if message["topic"] == "hashtx", message["txid"] == txid { break }
        }
        #expect(try follower.call("getrawmempool") == .array([txid]))
        let peers = follower.logTail()
        #expect(peers.contains("peer connected"), "\(peers)")
        #expect(try miner.stop() == 0 && follower.stop() == 0)
    }

    /// The block `hash` as the node serves it over RPC.
    func block(_ hash: JSONValue, from node: RustydProcess) throws -> Block {
        guard let hex = try node.call("getblock", [hash, 0]).stringValue, let bytes = [UInt8](hex: hex) else { throw TestFailure("no block \(hash)") }
        return try Block(serialized: bytes)
    }

    /// Hostile peers: garbage, a wrong network, a bad checksum, an announced 5 MB payload, a
    /// truncated message, messages out of order, an invalid block. Each bad peer is
    /// disconnected (or, for what Core ignores, ignored); the node stays up, keeps answering
    /// RPC, and serves a well-behaved peer throughout.
    @Test func hostilePeersAreDroppedWhileOthersAreServed() throws {
        let node = RustydProcess()
        defer { node.kill(); node.removeData() }
        try node.start()
        let hashes = try #require(try node.call("generatetoaddress", [5, .string(Self.address)]).arrayValue)
        let honest = try RawPeer(port: node.p2pPort)
        #expect(try honest.handshake().startHeight == 5)

        let magic = ChainParams.regtest.magic
        let garbage = try RawPeer(port: node.p2pPort)
        garbage.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(garbage.isClosedByNode(), "not the P2P protocol")
        let otherNetwork = try RawPeer(port: node.p2pPort)
        otherNetwork.send(Message.verack.framed(magic: ChainParams.main.magic))
        #expect(otherNetwork.isClosedByNode(), "wrong magic")
        let corrupt = try RawPeer(port: node.p2pPort)
        var bytes = Message.ping(nonce: 1).framed(magic: magic)
        bytes[bytes.count - 1] ^= 0xff
        corrupt.send(bytes)
        #expect(corrupt.isClosedByNode(), "bad checksum")
        let oversize = try RawPeer(port: node.p2pPort)
        var header = Array(Message.block(ChainParams.regtest.genesisBlock).framed(magic: magic).prefix(24))
        header.replaceSubrange(16..<20, with: [0x40, 0x4b, 0x4c, 0x00])  // 5,000,000 bytes announced
        oversize.send(header)
        #expect(oversize.isClosedByNode(), "oversize payload refused from its header")
        let truncated = try RawPeer(port: node.p2pPort)
        truncated.send(Array(Message.ping(nonce: 1).framed(magic: magic).prefix(27)))
        // Out of order: messages before the version are ignored, as Core; the handshake still works.
        let early = try RawPeer(port: node.p2pPort)
        early.send(.getHeaders(LocatorRequest(version: 70016, locator: [], stop: BlockHash(.zero))))
        early.send(.verack)
        #expect(try early.handshake(nonce: 888).startHeight == 5)
        // An invalid block after the handshake costs the connection.
        var bad = try block(hashes[4], from: node)
        bad.header.merkleRoot = Hashing.sha256d([1])
        early.send(.block(bad))
        #expect(early.isClosedByNode(), "invalid block")

        // The node is up, its chain unchanged, and the honest peer is still served.
        #expect(try node.call("getblockcount") == .int(5))
        honest.send(.getHeaders(LocatorRequest(version: 70016, locator: [ChainParams.regtest.genesisBlock.hash], stop: BlockHash(.zero))))
        var answer: Message
        repeat { answer = try honest.receive() } while answer.command != "headers"
        #expect(answer == .headers(try hashes.map { try block($0, from: node).header }))
        _ = truncated
        #expect(try node.stop() == 0)
    }

    /// `-persistmempool`: a pending transaction is saved at shutdown and back after a restart;
    /// with `-persistmempool=0` nothing is loaded.
    @Test func mempoolSurvivesRestart() throws {
        let node = RustydProcess()
        defer { node.kill(); node.removeData() }
        try node.start()
        let hashes = try node.call("generatetoaddress", [101, .string(Self.address)])
        let first = try #require(hashes.arrayValue?.first)
        let coinbase = try #require(try node.call("getblock", [first, 2])["tx"]?.arrayValue?.first)
        let raw = try node.call("createrawtransaction", [
            .array([.object(JSONObject([("txid", try #require(coinbase["txid"])), ("vout", 0)]))]),
            .array([.object(JSONObject([(Self.address, .decimal(50 * 100_000_000 - 10_000, scale: 8))]))]),
        ])
        let wif = WIF(key: Self.key).encoded(prefixes: ChainParams.regtest.addressPrefixes)
        let signed = try node.call("signrawtransactionwithkey", [raw, .array([.string(wif)])])
        let txid = try node.call("sendrawtransaction", [try #require(signed["hex"])])
        #expect(try node.call("getrawmempool") == .array([txid]))
        #expect(try node.call("savemempool")["filename"]?.stringValue?.hasSuffix("regtest/mempool.dat") == true)
        // A refused submission is counted by reason; the pool's size is on /metrics.
        #expect(throws: RPCCallError.self) { try node.call("sendrawtransaction", [.string("00")]) }
        let zeroFee = try node.call("createrawtransaction", [
            .array([.object(JSONObject([("txid", try #require(coinbase["txid"])), ("vout", 0)]))]),
            .array([.object(JSONObject([(Self.address, .decimal(50 * 100_000_000, scale: 8))]))]),
        ])
        let signedFree = try node.call("signrawtransactionwithkey", [zeroFee, .array([.string(wif)])])
        #expect(throws: RPCCallError.self) { try node.call("sendrawtransaction", [try #require(signedFree["hex"])]) }
        let (status, metrics) = try node.get("/metrics")
        #expect(status == 200)
        #expect(metrics.contains("rustyd_mempool_transactions 1.0"))
        #expect(metrics.contains("rustyd_mempool_accepted_total 1"))
        #expect(metrics.contains(#"rustyd_mempool_rejected_total{reason="min relay fee not met"} 1"#), "\(metrics)")

        #expect(try node.stop() == 0)
        #expect(node.logTail().contains("mempool saved"))
        try node.start()
        #expect(try node.call("getrawmempool") == .array([txid]), "log:\n\(node.logTail())")
        #expect(try node.stop() == 0)
        try node.start(extraArguments: ["-persistmempool=0"])
        #expect(try node.call("getrawmempool") == .array([]))
        #expect(try node.stop() == 0)
    }

    @Test func corruptedDatabaseStopsWithAClearMessage() throws {
        let node = RustydProcess()
        defer { node.kill(); node.removeData() }
        try node.start()
        _ = try node.call("generatetoaddress", [3, .string(Self.address)])
        #expect(try node.stop() == 0)
        // Damage the database: RocksDB's CURRENT file names the live manifest.
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: node.dataDirectory + "/regtest/db/CURRENT"))
        #expect(throws: TestFailure.self) { try node.start() }
        #expect(node.exitStatus == 1)
        #expect(node.logTail().contains("cannot open the database"))
    }

    /// Submits a prepared chain while killing the node with SIGKILL at random moments; after
    /// every restart the tip must be a prefix of the chain, and at the end the UTXO set hash
    /// must equal that of an uninterrupted in-memory replay.
    @Test func killNineAtRandomMomentsRecoversTheSameUTXOSet() throws {
        var builder = RegtestChainBuilder(keyCount: 8)
        var blocks: [Block] = []
        for _ in 0..<101 { blocks.append(builder.nextEmptyBlock()) }
        for _ in 0..<3 { if let block = try builder.nextFanOutBlock(outputs: 60, kinds: [.payToWitnessPubkeyHash, .taprootKeyPath]) { blocks.append(block) } }
        for _ in 0..<30 { if let block = try builder.nextBlock(spending: 5, inputsPerTransaction: 2) { blocks.append(block) } }
        let reference = try ChainState(params: .regtest, store: InMemoryStore(), options: ChainStateOptions(now: { 2_000_000_000 }))
        for block in blocks { try reference.acceptBlock(block) }
        let expectedHash = try reference.utxoStatistics().serializedHash.displayHex

        let node = RustydProcess()
        defer { node.kill(); node.removeData() }
        do {
            try killAndRecover(node: node, blocks: blocks, expectedHash: expectedHash)
        } catch {
            Issue.record("\(error)\nnode log:\n\(node.logTail())")
        }
    }

    func killAndRecover(node: RustydProcess, blocks: [Block], expectedHash: String) throws {
        var kills = 0
        var killsWhileSubmitting = 0
        var height = 0
        while true {
            try node.start()
            let tipHeight = Int(try node.call("getblockcount").int64Value ?? -1)
            let tipHash = try node.call("getbestblockhash").stringValue
            #expect(tipHeight >= 0 && tipHeight <= blocks.count)
            #expect(tipHash == (tipHeight == 0 ? ChainParams.regtest.genesisBlock.hash : blocks[tipHeight - 1].hash).description,
                    "after restart the tip is a block of the chain")
            height = tipHeight
            if height >= blocks.count && kills >= 8 { break }
            // Kill at a random moment while blocks are being submitted (or right away).
            let delay = Double.random(in: 0.0...0.08)
            let killer = Thread { Thread.sleep(forTimeInterval: delay); node.kill() }
            killer.start()
            while height < blocks.count, node.isRunning {
                guard (try? node.call("submitblock", [.string(blocks[height].serialized.hexString)])) != nil else {
                    killsWhileSubmitting += 1
                    break
                }
                height += 1
            }
            while node.isRunning { Thread.sleep(forTimeInterval: 0.01) }
            kills += 1
        }
        #expect(try node.call("getblockcount") == .int(Int64(blocks.count)))
        let stats = try node.call("gettxoutsetinfo")
        #expect(stats["hash_serialized_3"]?.stringValue == expectedHash)
        #expect(kills >= 8)
        #expect(killsWhileSubmitting >= 1, "at least one kill interrupted block submission")
        let status = try node.stop()
        #expect(status == 0, "clean stop, log:\n\(node.logTail())")
    }
}
