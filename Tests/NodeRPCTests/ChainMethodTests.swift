import Addresses
import ChainCrypto
import ChainParams
import ChainState
import ChainTypes
import JSONRPC
import Mempool
import Script
import Storage
import Testing
@testable import NodeRPC

/// The chain-backed RPC methods on an in-memory regtest chain, called through the dispatcher.
@Suite struct ChainMethodTests {
    let key = PrivateKey.random()
    let dispatcher: RPCDispatcher
    let address: String
    let context: ChainRPCContext

    init() throws { try self.init(publishingTo: nil) }

    /// The fixture with its mempool's events going to `hub`, if any.
    init(publishingTo hub: EventHub?) throws {
        let state = try ChainState(params: .regtest, store: InMemoryStore(), options: ChainStateOptions(transactionIndex: true))
        var publish: (@Sendable ([NodeEvent]) -> Void)?
        if let hub { publish = { hub.publish($0) } }
        let mempool = MempoolService(publish: publish)
        context = ChainRPCContext(chain: ChainService(state: state), params: .regtest, mempool: mempool, requestShutdown: {})
        let registry = RPCMethodRegistry()
        registry.register(contentsOf: NodeMethods.all(context))
        dispatcher = RPCDispatcher(registry: registry)
        address = Address.witness(version: 0, program: Hashing.hash160(key.publicKey().bytes))
            .encoded(prefixes: ChainParams.regtest.addressPrefixes)
    }

    func call(_ method: String, _ params: [JSONValue] = []) async throws(RPCError) -> JSONValue {
        try await dispatcher.call(method, params: .array(params))
    }

    func expectError(_ code: RPCErrorCode, _ method: String, _ params: [JSONValue] = [], sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            let result = try await call(method, params)
            Issue.record("\(method) succeeded with \(result.jsonString), expected \(code)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        }
    }

    /// Mines 101 blocks and returns a signed transaction spending block 1's coinbase.
    func matureSpend(fee: Int64 = 10_000) async throws -> (Transaction, JSONValue) {
        let hashes = try await call("generatetoaddress", [101, .string(address)])
        let first = try #require(hashes.arrayValue?.first?.stringValue)
        let block = try await call("getblock", [.string(first), 2])
        let coinbase = try #require(block["tx"]?.arrayValue?.first)
        let txid = try #require(coinbase["txid"]?.stringValue)
        // The subsidy halves every 150 blocks on regtest.
        let reward = try ParameterParsing.amount(try #require(coinbase["vout"]?.arrayValue?.first?["value"])).satoshis
        let raw = try await call("createrawtransaction", [
            .array([.object(JSONObject([("txid", .string(txid)), ("vout", 0)]))]),
            .array([.object(JSONObject([(address, .decimal(reward - fee, scale: 8))]))]),
        ])
        let wif = WIF(key: key).encoded(prefixes: ChainParams.regtest.addressPrefixes)
        let signed = try await call("signrawtransactionwithkey", [raw, .array([.string(wif)])])
        #expect(signed["complete"] == .bool(true))
        let hex = try #require(signed["hex"]?.stringValue)
        let bytes: [UInt8] = try #require([UInt8](hex: hex))
        return (try Transaction(serialized: bytes), .string(hex))
    }

    @Test func blockQueriesHaveCoreShapes() async throws {
        _ = try await call("generatetoaddress", [3, .string(address)])
        #expect(try await call("getblockcount") == .int(3))
        let hash = try await call("getblockhash", [2])
        let header = try await call("getblockheader", [hash])
        #expect(header.objectValue?.keys == ["hash", "confirmations", "height", "version", "versionHex", "merkleroot", "time", "mediantime",
                                             "nonce", "bits", "target", "difficulty", "chainwork", "nTx", "previousblockhash", "nextblockhash"])
        #expect(header["confirmations"] == .int(2))
        let hex = try #require(try await call("getblock", [hash, 0]).stringValue)
        let blockBytes: [UInt8] = try #require([UInt8](hex: hex))
        let block = try Block(serialized: blockBytes)
        #expect(block.hash.description == hash.stringValue)
        let verbose = try await call("getblock", [hash, 2])
        #expect(verbose["tx"]?.arrayValue?.first?["vin"]?.arrayValue?.first?["coinbase"] != nil)
        #expect(try await call("getblockheader", [hash, false]).stringValue == block.header.serialized.hexString)
        await expectError(.invalidParameter, "getblockhash", [4])
        await expectError(.invalidAddressOrKey, "getblock", [.string(String(repeating: "0", count: 64))])
        await expectError(.invalidParameter, "getblock", ["xyz"])
        let tips = try await call("getchaintips")
        #expect(tips.arrayValue?.count == 1 && tips.arrayValue?.first?["status"] == "active")
        #expect(try await call("verifychain", [4, 0]) == .bool(true))
    }

    @Test func sendMineAndLookUpATransaction() async throws {
        let (transaction, hex) = try await matureSpend()
        #expect(try await call("sendrawtransaction", [hex]).stringValue == transaction.txid.description)
        // Resending the pending transaction is harmless; mining includes it.
        _ = try await call("sendrawtransaction", [hex])
        #expect(try await call("getmininginfo")["pooledtx"] == .int(1))
        let template = try await call("getblocktemplate", [.object(JSONObject([("rules", .array(["segwit"]))]))])
        #expect(template["transactions"]?.arrayValue?.count == 1)
        #expect(template["coinbasevalue"] == .int(50 * 100_000_000 + 10_000))
        _ = try await call("generatetoaddress", [1, .string(address)])
        #expect(try await call("getmininginfo")["pooledtx"] == .int(0))
        let output = try await call("gettxout", [.string(transaction.txid.description), 0])
        #expect(output["confirmations"] == .int(1))
        #expect(output["value"]?.jsonString == "49.99990000")
        #expect(output["scriptPubKey"]?["address"]?.stringValue == address)
        // -txindex finds it without a block hash.
        let found = try await call("getrawtransaction", [.string(transaction.txid.description), 1])
        #expect(found["confirmations"] == .int(1) && found["hex"] == hex)
        // Now spent or already mined: Core's error codes.
        await expectError(.verifyAlreadyInChain, "sendrawtransaction", [hex])
        let stats = try await call("gettxoutsetinfo")
        #expect(stats["height"] == .int(102))
        // getblock verbosity 2 shows the fee from the undo data, 3 the spent output too.
        let tip = try await call("getbestblockhash")
        let detailed = try await call("getblock", [tip, 3])
        let spend = try #require(detailed["tx"]?.arrayValue?.last)
        #expect(spend["fee"]?.jsonString == "0.00010000")
        #expect(spend["vin"]?.arrayValue?.first?["prevout"]?["value"]?.jsonString == "50.00000000")
    }

    /// A child of an unconfirmed parent is accepted (and signed against the mempool's output);
    /// one block mines both; policy failures come back with Core's reasons.
    @Test func mempoolKeepsUnconfirmedChainsAndReportsPolicyReasons() async throws {
        let (parent, parentHex) = try await matureSpend()
        _ = try await call("sendrawtransaction", [parentHex])
        let raw = try await call("createrawtransaction", [
            .array([.object(JSONObject([("txid", .string(parent.txid.description)), ("vout", 0)]))]),
            .array([.object(JSONObject([(address, .decimal(50 * 100_000_000 - 20_000, scale: 8))]))]),
        ])
        let wif = WIF(key: key).encoded(prefixes: ChainParams.regtest.addressPrefixes)
        let signed = try await call("signrawtransactionwithkey", [raw, .array([.string(wif)])])
        #expect(signed["complete"] == .bool(true))
        let childHex = try #require(signed["hex"]?.stringValue)
        let child = try await call("sendrawtransaction", [.string(childHex)])
        #expect(try await call("getmininginfo")["pooledtx"] == .int(2))
        #expect(try await call("getrawtransaction", [child, 1])["txid"] == child)
        // The mempool RPCs see the pair and how they relate.
        let parentID = JSONValue.string(parent.txid.description)
        #expect(try await call("getrawmempool") == .array([parentID, child]))
        // Two additions since the pool was made (sequence 1).
        let sequenced = try await call("getrawmempool", [false, true])
        #expect(sequenced["txids"] == .array([parentID, child]) && sequenced["mempool_sequence"] == .int(3))
        await expectError(.invalidParameter, "getrawmempool", [true, true])
        let childEntry = try await call("getmempoolentry", [child])
        #expect(childEntry["ancestorcount"] == .int(2) && childEntry["depends"] == .array([parentID]))
        #expect(childEntry["fees"]?["base"]?.jsonString == "0.00010000" && childEntry["fees"]?["ancestor"]?.jsonString == "0.00020000")
        let parentEntry = try await call("getmempoolentry", [parentID])
        #expect(parentEntry["descendantcount"] == .int(2) && parentEntry["spentby"] == .array([child]))
        #expect(try await call("getrawmempool", [true])[child.stringValue ?? ""]?["wtxid"] != nil)
        #expect(try await call("getmempoolancestors", [child]) == .array([parentID]))
        #expect(try await call("getmempooldescendants", [parentID, true])[child.stringValue ?? ""]?["ancestorcount"] == .int(2))
        #expect(try await call("getmempooldescendants", [child]) == .array([]))
        #expect(try await call("prioritisetransaction", [child, 0, 5_000]) == .bool(true))
        let prioritised = try await call("getmempoolentry", [child])
        #expect(prioritised["fees"]?["base"]?.jsonString == "0.00010000" && prioritised["fees"]?["modified"]?.jsonString == "0.00015000")
        await expectError(.invalidParameter, "prioritisetransaction", [child, 1, 5_000])
        // No confirmations observed yet: Core's answer without data.
        let estimate = try await call("estimatesmartfee", [6])
        #expect(estimate["errors"] == .array(["Insufficient data or no feerate found"]) && estimate["blocks"] == .int(6))
        await expectError(.invalidParameter, "estimatesmartfee", [0])
        let info = try await call("getmempoolinfo")
        #expect(info["size"] == .int(2) && info["total_fee"]?.jsonString == "0.00020000")
        await expectError(.invalidAddressOrKey, "getmempoolentry", [.string(String(repeating: "1", count: 64))])
        // testmempoolaccept judges without adding: the pair's parent again is already there.
        let tested = try await call("testmempoolaccept", [.array([parentHex])])
        #expect(tested.arrayValue?.first?["allowed"] == .bool(false))
        #expect(tested.arrayValue?.first?["reject-reason"] == "txn-already-in-mempool")
        // With several transactions: the first is refused, so the second is not judged.
        let pair = try await call("testmempoolaccept", [.array([parentHex, .string(childHex)])])
        #expect(pair.arrayValue?.first?["reject-reason"] == "txn-already-in-mempool")
        #expect(pair.arrayValue?.last?.objectValue?.keys == ["txid", "wtxid"])
        await expectError(.invalidParameter, "testmempoolaccept", [.array([])])
        _ = try await call("generatetoaddress", [1, .string(address)])
        #expect(try await call("getmininginfo")["pooledtx"] == .int(0))
        #expect(try await call("gettxout", [child, 0])["confirmations"] == .int(1))
        // Both confirmed in the next block: now there is an estimate, from their fee rates.
        let learned = try await call("estimatesmartfee", [2])
        #expect(learned["feerate"] != nil && learned["blocks"] == .int(2), "\(learned.jsonString)")

        // Paying nothing for relay: Core's reason and detail; testmempoolaccept says the same
        // and accepts a paying spend without adding it.
        let (free, freeHex) = try await matureSpend(fee: 0)
        let judged = try await call("testmempoolaccept", [.array([freeHex])])
        #expect(judged.arrayValue?.first?["reject-reason"] == "min relay fee not met")
        let (paying, payingHex) = try await matureSpend()
        let allowed = try #require(try await call("testmempoolaccept", [.array([payingHex])]).arrayValue?.first)
        #expect(allowed["allowed"] == .bool(true) && allowed["vsize"] == .int(Int64(paying.virtualSize)))
        #expect(allowed["fees"]?["base"]?.jsonString == "0.00010000")
        #expect(try await call("getmempoolinfo")["size"] == .int(0))
        do {
            _ = try await call("sendrawtransaction", [freeHex])
            Issue.record("a zero-fee transaction was accepted")
        } catch {
            #expect(error.code == .verifyRejected)
            #expect(error.message == "min relay fee not met, 0 < \(free.virtualSize / 10 + (free.virtualSize % 10 == 0 ? 0 : 1))")
        }
    }

    /// A signed spend of `parent`'s first output (paying to `address`, worth `value`), leaving `fee`.
    func childSpend(of parent: Transaction, fee: Int64) async throws -> (Transaction, JSONValue) {
        let output = parent.outputs[0]
        let raw = try await call("createrawtransaction", [
            .array([.object(JSONObject([("txid", .string(parent.txid.description)), ("vout", 0)]))]),
            .array([.object(JSONObject([(address, .decimal(output.value.satoshis - fee, scale: 8))]))]),
        ])
        let previous = JSONObject([
            ("txid", .string(parent.txid.description)), ("vout", 0), ("scriptPubKey", .string(output.scriptPubKey.hexString)),
            ("amount", .decimal(output.value.satoshis, scale: 8)),
        ])
        let wif = WIF(key: key).encoded(prefixes: ChainParams.regtest.addressPrefixes)
        let signed = try await call("signrawtransactionwithkey", [raw, .array([.string(wif)]), .array([.object(previous)])])
        let hex = try #require(signed["hex"]?.stringValue)
        let bytes: [UInt8] = try #require([UInt8](hex: hex))
        return (try Transaction(serialized: bytes), .string(hex))
    }

    /// `submitpackage`: a child pays for a parent the mempool refuses alone; Core's result shape,
    /// topology and burn errors.
    @Test func submitPackageLetsAChildPayForItsParent() async throws {
        let (parent, parentHex) = try await matureSpend(fee: 0)
        let (child, childHex) = try await childSpend(of: parent, fee: 1_000)
        await expectError(.verifyRejected, "sendrawtransaction", [parentHex])
        // The test judges each on its own fee: the parent fails.
        let tested = try await call("testmempoolaccept", [.array([parentHex, childHex])])
        #expect(tested.arrayValue?.first?["reject-reason"] == "min relay fee not met")
        await expectError(.verifyError, "submitpackage", [.array([childHex, parentHex])])
        await expectError(.deserializationError, "submitpackage", [.array(["00"])])

        let result = try await call("submitpackage", [.array([parentHex, childHex])])
        #expect(result["package_msg"] == "success" && result["replaced-transactions"] == .array([]))
        let childResult = try #require(result["tx-results"]?[child.wtxid.description])
        #expect(childResult["txid"] == .string(child.txid.description) && childResult["vsize"] == .int(Int64(child.virtualSize)))
        #expect(childResult["fees"]?["effective-includes"] == .array([.string(parent.wtxid.description), .string(child.wtxid.description)]))
        let rate = 1_000 * 1_000 / Int64(parent.virtualSize + child.virtualSize)
        #expect(childResult["fees"]?["effective-feerate"] == .amount(rate))
        #expect(try await call("getrawmempool") == .array([.string(parent.txid.description), .string(child.txid.description)]))
        // Submitted again, both are already there.
        let again = try await call("submitpackage", [.array([parentHex, childHex])])
        #expect(again["package_msg"] == "success" && again["tx-results"]?[parent.wtxid.description]?["fees"]?["base"]?.jsonString == "0.00000000")
        _ = try await call("generatetoaddress", [1, .string(address)])
        #expect(try await call("getrawmempool") == .array([]))
    }

    /// Tip changes reach the mempool before the call that made them returns: `invalidateblock`
    /// puts the block's transaction back, `reconsiderblock` confirms it again and it leaves.
    @Test func reorgsReturnTransactionsToTheMempool() async throws {
        let (_, hex) = try await matureSpend()
        let txid = try await call("sendrawtransaction", [hex])
        let mined = try await call("generatetoaddress", [1, .string(address)])
        let tip = try #require(mined.arrayValue?.first)
        #expect(try await call("getrawmempool") == .array([]))

        _ = try await call("invalidateblock", [tip])
        #expect(try await call("getrawmempool") == .array([txid]))
        _ = try await call("reconsiderblock", [tip])
        #expect(try await call("getrawmempool") == .array([]))
        #expect(try await call("getbestblockhash") == tip)
    }

    @Test func sendRawTransactionRejectsWithCoreCodes() async throws {
        let (transaction, hex) = try await matureSpend()
        await expectError(.deserializationError, "sendrawtransaction", ["zz"])
        var broken = transaction.inputs
        broken[0].witness[0][6] ^= 1
        await expectError(.verifyRejected, "sendrawtransaction", [.string(transaction.with(inputs: broken).serialized.hexString)])
        // A fee above maxfeerate (0.10/kvB by default): spend almost everything as fee. Core's
        // code and message; not added; with maxfeerate 0 (no cap) it goes in.
        let (greedyTransaction, greedy) = try await matureSpend(fee: 40 * 100_000_000)
        do {
            _ = try await call("sendrawtransaction", [greedy])
            Issue.record("a fee above maxfeerate was accepted")
        } catch {
            #expect(error.code == .verifyError && error.message == "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)")
        }
        #expect(try await call("getrawmempool") == .array([]))
        #expect(try await call("sendrawtransaction", [greedy, 0]) == .string(greedyTransaction.txid.description))
        _ = hex
    }

    @Test func submitBlockAndProposalsReportReasons() async throws {
        _ = try await call("generatetoaddress", [1, .string(address)])
        await expectError(.deserializationError, "submitblock", ["00"])
        let proposal = try await call("generateblock", [.string(address), .array([]), false])
        let hex = try #require(proposal["hex"]?.stringValue)
        let request = JSONObject([("mode", "proposal"), ("data", .string(hex))])
        #expect(try await call("getblocktemplate", [.object(request)]) == .null)
        #expect(try await call("submitblock", [.string(hex)]) == .null)
        #expect(try await call("submitblock", [.string(hex)]) == "duplicate")
        // A block paying one satoshi too much.
        let generated = try await call("generateblock", [.string(address), .array([]), false])
        let generatedHex: String = try #require(generated["hex"]?.stringValue)
        let generatedBytes: [UInt8] = try #require([UInt8](hex: generatedHex))
        var block = try Block(serialized: generatedBytes)
        var outputs = block.transactions[0].outputs
        outputs[0].value = Amount(satoshis: outputs[0].value.satoshis + 1)
        block.transactions[0] = block.transactions[0].with(outputs: outputs)
        block.header.merkleRoot = block.computeMerkleRoot().root
        #expect(try await call("getblocktemplate", [.object(JSONObject([("mode", "proposal"), ("data", .string(block.serialized.hexString))]))])
            == "bad-cb-amount")
        await expectError(.invalidParameter, "getblocktemplate", [.object(JSONObject())])
    }

    @Test func invalidateAndReconsider() async throws {
        _ = try await call("generatetoaddress", [5, .string(address)])
        let hash = try await call("getblockhash", [3])
        _ = try await call("invalidateblock", [hash])
        #expect(try await call("getblockcount") == .int(2))
        #expect(try await call("getchaintips").arrayValue?.contains { $0["status"] == "invalid" } == true)
        _ = try await call("reconsiderblock", [hash])
        #expect(try await call("getblockcount") == .int(5))
        await expectError(.invalidAddressOrKey, "invalidateblock", [.string(String(repeating: "1", count: 64))])
    }
}
