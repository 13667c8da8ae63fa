import Addresses
import ChainCrypto
import ChainParams
import ChainState
import ChainTypes
import JSONRPC
import Script
import Storage
import Testing
import TestSupport
@testable import NodeRPC

/// Thousands of submissions through `sendrawtransaction`, valid ones mixed with every kind of
/// bad one: exactly the valid transactions end up in the mempool, and every bad one gets an
/// error (never a trap) — except, as in Core, a transaction whose txid is already pooled with
/// another witness, which is answered with that txid and changes nothing.
@Suite struct MempoolFloodTests {
    let key = PrivateKey.random()

    @Test func exactlyTheValidTransactionsAreKept() async throws {
        let state = try ChainState(params: .regtest, store: InMemoryStore(), options: ChainStateOptions())
        let context = ChainRPCContext(chain: ChainService(state: state), params: .regtest, requestShutdown: {})
        let registry = RPCMethodRegistry()
        registry.register(contentsOf: NodeMethods.all(context))
        let dispatcher = RPCDispatcher(registry: registry)
        func call(_ method: String, _ params: [JSONValue] = []) async throws(RPCError) -> JSONValue {
            try await dispatcher.call(method, params: .array(params))
        }
        let script = TransactionSigner.payToWitnessPubkeyHash(key.publicKey())
        let address = Address.witness(version: 0, program: Array(script[2...])).encoded(prefixes: ChainParams.regtest.addressPrefixes)

        // A mature coinbase fanned out into 400 coins of 100,000 sat (and change), confirmed.
        let hashes = try await call("generatetoaddress", [101, .string(address)])
        let first = try #require(hashes.arrayValue?.first)
        let block = try await call("getblock", [first, 2])
        let coinbaseHex = try #require(block["tx"]?.arrayValue?.first?["txid"]?.stringValue)
        let coinbaseID = try #require(TxID(displayHex: coinbaseHex))
        let count = 400
        let fanOut = try sign(Transaction(
            version: 2, inputs: [TxIn(previousOutput: OutPoint(txid: coinbaseID, index: 0), sequence: 0xffff_fffd)],
            outputs: Array(repeating: TxOut(value: Amount(satoshis: 100_000), scriptPubKey: script), count: count)
                + [TxOut(value: Amount(satoshis: 50 * 100_000_000 - Int64(count) * 100_000 - 50_000), scriptPubKey: script)]),
            amounts: [50 * 100_000_000])
        _ = try await call("sendrawtransaction", [.string(fanOut.serialized.hexString)])
        _ = try await call("generatetoaddress", [1, .string(address)])

        var valid: Set<String> = []
        var submissions: [(hex: String, valid: Bool)] = []
        var pooledTxid: Set<String> = []  // other witnesses of pooled transactions
        for index in 0..<count {
            let outpoint = OutPoint(txid: fanOut.txid, index: UInt32(index))
            let good = try spend(outpoint, paying: 99_000, to: script)
            valid.insert(good.txid.description)
            submissions.append((good.serialized.hexString, true))
            // A broken signature, a wrong amount signed, a non-standard output, no fee at all,
            // more out than in, a lower-fee double spend, truncated and junk hex.
            var broken = good.inputs
            broken[0].witness[0][8] ^= 0x40
            let brokenHex = good.with(inputs: broken).serialized.hexString
            let wrongAmountHex = try spend(outpoint, paying: 99_000, to: script, signedAmount: 90_000).serialized.hexString
            pooledTxid.formUnion([brokenHex, wrongAmountHex])
            submissions.append((brokenHex, false))
            submissions.append((wrongAmountHex, false))
            submissions.append((try spend(outpoint, paying: 99_000, to: [Opcode.op1]).serialized.hexString, false))
            submissions.append((try spend(outpoint, paying: 100_000, to: script).serialized.hexString, false))
            submissions.append((try spend(outpoint, paying: 100_001, to: script).serialized.hexString, false))
            submissions.append((try spend(outpoint, paying: 99_500, to: script).serialized.hexString, false))
            submissions.append((String(good.serialized.hexString.dropLast(10)), false))
            submissions.append(("zz" + String(index), false))
        }
        // Valid ones first for their outputs, then the rest in a fixed shuffled order.
        var generator = SplitMix64(seed: 7)
        let bad = submissions.filter { !$0.valid }.shuffled(using: &generator)
        var errors = 0
        for submission in submissions.filter(\.valid) + bad {
            do {
                let result = try await call("sendrawtransaction", [.string(submission.hex)])
                #expect(submission.valid || pooledTxid.contains(submission.hex), "accepted a bad transaction: \(result)")
            } catch {
                errors += 1
                #expect(!submission.valid, "refused a valid transaction: \(error.message)")
            }
        }
        #expect(errors == bad.count - pooledTxid.count)
        let pooled = try await call("getrawmempool").arrayValue?.compactMap(\.stringValue) ?? []
        #expect(Set(pooled) == valid && pooled.count == count)
    }

    func sign(_ unsigned: Transaction, amounts: [Int64], signedAmounts: [Int64]? = nil) throws -> Transaction {
        try TransactionSigner.signingAllPayToWitnessPubkeyHash(unsigned, key: key, amounts: (signedAmounts ?? amounts).map { Amount(satoshis: $0) })
    }

    func spend(_ outpoint: OutPoint, paying value: Int64, to script: [UInt8], signedAmount: Int64? = nil) throws -> Transaction {
        try sign(
            Transaction(version: 2, inputs: [TxIn(previousOutput: outpoint, sequence: 0xffff_fffd)],
                        outputs: [TxOut(value: Amount(satoshis: value), scriptPubKey: script)]),
            amounts: [100_000], signedAmounts: signedAmount.map { [$0] })
    }
}
