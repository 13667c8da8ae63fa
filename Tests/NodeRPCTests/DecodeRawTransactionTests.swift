import ByteCodec
import ChainParams
import ChainTypes
import JSONRPC
import NodeRPC
import Testing

/// `decoderawtransaction` and `TransactionFormatting` on the BIP341 signed transaction and a
/// coinbase, with Core's field order.
@Suite struct DecodeRawTransactionTests {
    let method = RawTransactionRPC.decodeRawTransaction(chainParams: .regtest)

    struct KeyPathVector {
        let signedHex: String
        let spent: [TxOut]
    }

    func bip341Vector() throws -> KeyPathVector {
        let vectors = try RPCTestSupport.fixtureJSON("bip341_wallet_vectors.json")
        let spending = try #require(vectors["keyPathSpending"]?.arrayValue?.first)
        let hex = try #require(spending["auxiliary"]?["fullySignedTx"]?.stringValue)
        let utxos = try #require(spending["given"]?["utxosSpent"]?.arrayValue)
        let spent = try utxos.map { utxo in
            TxOut(
                value: Amount(satoshis: try #require(utxo["amountSats"]?.int64Value)),
                scriptPubKey: try Hex.decode(try #require(utxo["scriptPubKey"]?.stringValue)))
        }
        return KeyPathVector(signedHex: hex, spent: spent)
    }

    @Test func bip341SignedTransaction() async throws {
        let vector = try bip341Vector()
        let result = try await RPCTestSupport.call(method, [.string(vector.signedHex)]).get()
        let object = try #require(result.objectValue)
        #expect(object.keys == ["txid", "hash", "version", "size", "vsize", "weight", "locktime", "vin", "vout"])
        let transaction = try Transaction(serialized: try Hex.decode(vector.signedHex))
        #expect(object["txid"] == .string(transaction.txid.description))
        #expect(object["hash"] == .string(transaction.wtxid.description))
        #expect(object["txid"] != object["hash"])
        #expect(object["size"] == .int(Int64(vector.signedHex.count / 2)))
        let weight = try #require(object["weight"]?.int64Value)
        #expect(object["vsize"] == .int((weight + 3) / 4))
        #expect(object["version"] == 2)
        let inputs = try #require(object["vin"]?.arrayValue)
        #expect(inputs.count == 9)
        let first = try #require(inputs.first?.objectValue)
        #expect(first.keys == ["txid", "vout", "scriptSig", "txinwitness", "sequence"])
        #expect(first["scriptSig"] == ["asm": "", "hex": ""])
        let outputs = try #require(object["vout"]?.arrayValue)
        let firstOutput = try #require(outputs.first?.objectValue)
        #expect(firstOutput.keys == ["value", "n", "scriptPubKey"])
        #expect(firstOutput["value"]?.jsonString.contains(".") == true)
        #expect(firstOutput["scriptPubKey"]?.objectValue?.keys.first == "asm")
    }

    @Test func feeAndHexWhenCoinsAreKnown() throws {
        let vector = try bip341Vector()
        let transaction = try Transaction(serialized: try Hex.decode(vector.signedHex))
        let coins = vector.spent.map { TransactionFormatting.SpentCoin(output: $0, height: 1, isCoinbase: false) }
        let object = TransactionFormatting.json(
            transaction, prefixes: ChainParams.regtest.addressPrefixes, includeHex: true, spentCoins: coins)
        #expect(object.keys == ["txid", "hash", "version", "size", "vsize", "weight", "locktime", "vin", "vout", "fee", "hex"])
        let totalIn = vector.spent.reduce(0) { $0 + $1.value.satoshis }
        let totalOut = transaction.outputs.reduce(0) { $0 + $1.value.satoshis }
        #expect(object["fee"] == .amount(totalIn - totalOut))
        #expect(object["hex"] == .string(vector.signedHex))

        let position = TransactionFormatting.ChainPosition(
            blockHash: ChainParams.regtest.genesisBlock.hash, confirmations: 3, blockTime: 1_296_688_602)
        let verbose = TransactionFormatting.verboseJSON(
            transaction, prefixes: ChainParams.regtest.addressPrefixes, position: position, inActiveChain: true)
        #expect(verbose.keys == [
            "in_active_chain", "txid", "hash", "version", "size", "vsize", "weight", "locktime", "vin", "vout", "hex",
            "blockhash", "confirmations", "time", "blocktime",
        ])
    }

    @Test func coinbaseAndSighashDecoding() async throws {
        let genesisCoinbase = ChainParams.regtest.genesisBlock.transactions[0]
        let result = try await RPCTestSupport.call(method, [.string(Hex.encode(genesisCoinbase.serialized))]).get()
        let input = try #require(result["vin"]?.arrayValue?.first?.objectValue)
        #expect(input.keys == ["coinbase", "sequence"])
        #expect(result["vout"]?.arrayValue?.first?["scriptPubKey"]?["type"] == "pubkey")
        #expect(result["vout"]?.arrayValue?.first?["scriptPubKey"]?["desc"]?.stringValue?.hasPrefix("pk(04678afdb0") == true)

        // A scriptSig with a DER signature and SIGHASH_ALL|ANYONECANPAY shows the hash type.
        let signature = try Hex.decode(
            "3044022057292e2d4dfe775becdd0a9e6547997c728cdf35390f6a017da56d654d374e4902206b643be2fc53763b4e284845bfea2c597d2dc7759941dce937636c9d341b71ed81")
        let scriptSig = ScriptFormattingTests.push(signature) + [0x51]
        let spending = Transaction(
            inputs: [TxIn(previousOutput: OutPoint(txid: genesisCoinbase.txid, index: 0), scriptSig: scriptSig)],
            outputs: [TxOut(value: Amount(satoshis: 1), scriptPubKey: [0x6a])])
        let decoded = try await RPCTestSupport.call(method, [.string(Hex.encode(spending.serialized))]).get()
        let asm = decoded["vin"]?.arrayValue?.first?["scriptSig"]?["asm"]?.stringValue
        #expect(asm == Hex.encode(signature.dropLast()) + "[ALL|ANYONECANPAY] 1")
    }

    @Test func decodeErrors() async throws {
        for bad in ["", "zz", "0", "00", "0100000000"] {
            let result = await RPCTestSupport.call(method, [.string(bad)])
            #expect(result.failure == RPCError(.deserializationError, "TX decode failed"), "\(bad)")
        }
        // A segwit transaction cannot be read as a legacy one.
        let vector = try bip341Vector()
        let legacyOnly = await RPCTestSupport.call(method, [.string(vector.signedHex), false])
        #expect(legacyOnly.failure?.code == .deserializationError)
        let witnessOnly = await RPCTestSupport.call(method, [.string(vector.signedHex), true])
        #expect(witnessOnly.failure == nil)
    }
}

extension Result {
    /// The error, if this is a failure.
    var failure: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}
