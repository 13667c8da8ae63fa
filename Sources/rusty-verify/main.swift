// rusty-verify: a JSON-lines oracle interface to rustyd's decoder and script interpreter, for
// differential testing against other implementations (Scripts/difftest). One request per input
// line, one response per output line:
//   {"id":1,"op":"verify","tx":"<hex>","input":0,"spent":[{"amount":1,"script":"<hex>"}],"flags":2049}
//   {"id":2,"op":"decodetx","tx":"<hex>"}
//   {"id":3,"op":"decodeblock","block":"<hex>"}
//   chain.reset / chain.submit / chain.build: see ChainOracle.swift
import ByteCodec
import ChainTypes
import Foundation
import Script

/// Reads requests from standard input until it closes.
func serve() {
    let chainOracle = ChainOracle()
    while let line = readLine(strippingNewline: true) {
        guard !line.isEmpty else { continue }
        var response: [String: Any]
        if let data = line.data(using: .utf8),
            let request = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
            let op = request["op"] as? String ?? ""
            response = op.hasPrefix("chain.") ? chainOracle.answer(request) : Oracle.answer(request)
            response["id"] = request["id"] ?? NSNull()
        } else {
            response = ["ok": false, "error": "request is not a JSON object"]
        }
        let output = (try? JSONSerialization.data(withJSONObject: response, options: [.sortedKeys])) ?? Data("{}".utf8)
        FileHandle.standardOutput.write(output + Data("\n".utf8))
    }
}

enum Oracle {
    static func answer(_ request: [String: Any]) -> [String: Any] {
        switch request["op"] as? String {
        case "verify": verify(request)
        case "decodetx": decodeTransaction(request)
        case "decodeblock": decodeBlock(request)
        default: ["ok": false, "error": "unknown op"]
        }
    }

    static func bytes(_ value: Any?) -> [UInt8]? { (value as? String).flatMap { [UInt8](hex: $0) } }

    static func verify(_ request: [String: Any]) -> [String: Any] {
        guard let txBytes = bytes(request["tx"]) else { return ["ok": false, "error": "decode: bad hex"] }
        let transaction: Transaction
        do {
            transaction = try Transaction(serialized: txBytes)
        } catch {
            return ["ok": false, "error": "decode: \(error)"]
        }
        guard let index = request["input"] as? Int, transaction.inputs.indices.contains(index),
            let spentList = request["spent"] as? [[String: Any]], spentList.count == transaction.inputs.count,
            let flagBits = (request["flags"] as? NSNumber)?.uint32Value
        else { return ["ok": false, "error": "request: bad input index, spent list or flags"] }
        var spent: [TxOut] = []
        for entry in spentList {
            guard let amount = (entry["amount"] as? NSNumber)?.int64Value, let script = bytes(entry["script"]) else {
                return ["ok": false, "error": "request: bad spent output"]
            }
            spent.append(TxOut(value: Amount(satoshis: amount), scriptPubKey: script))
        }
        let precomputed = PrecomputedTransactionData(verifying: transaction, spentOutputs: spent)
        let checker = TransactionSignatureChecker(
            transaction: transaction, inputIndex: index, amount: spent[index].value, precomputed: precomputed)
        let input = transaction.inputs[index]
        do {
            try ScriptVerifier.verify(
                scriptSig: input.scriptSig, scriptPubKey: spent[index].scriptPubKey, witness: input.witness,
                flags: ScriptVerifyFlags(rawValue: flagBits), checker: checker)
            return ["ok": true]
        } catch {
            return ["ok": false, "error": error.rawValue]
        }
    }

    static func decodeTransaction(_ request: [String: Any]) -> [String: Any] {
        guard let txBytes = bytes(request["tx"]) else { return ["ok": false, "error": "bad hex"] }
        do {
            let transaction = try Transaction(serialized: txBytes)
            return ["ok": true, "txid": transaction.txid.description, "wtxid": transaction.wtxid.description]
        } catch {
            return ["ok": false, "error": "\(error)"]
        }
    }

    static func decodeBlock(_ request: [String: Any]) -> [String: Any] {
        guard let blockBytes = bytes(request["block"]) else { return ["ok": false, "error": "bad hex"] }
        do {
            let block = try Block(serialized: blockBytes)
            return ["ok": true, "hash": block.hash.description, "txids": block.transactions.map(\.txid.description)]
        } catch {
            return ["ok": false, "error": "\(error)"]
        }
    }
}

serve()
