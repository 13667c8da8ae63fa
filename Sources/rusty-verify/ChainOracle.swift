import ByteCodec
import ChainParams
import ChainState
import ChainTypes
import Foundation
import Mining
import Storage

/// Chain operations of the oracle: a fresh in-memory regtest chain state that accepts blocks
/// and reports Core-style reject reasons, and a builder of valid regtest chains.
///   {"op":"chain.reset"}                      → {"ok":true,"tip":…,"height":0}
///   {"op":"chain.submit","block":"<hex>"}     → {"ok":true,"tip":…,"height":n} | {"ok":false,"reason":"bad-cb-amount"}
///   {"op":"chain.build","empty":101,"fanout":2,"outputs":40,"spend":5,"inputs":10}
///                                             → {"ok":true,"blocks":["<hex>",…]}
final class ChainOracle {
    private var chain: ChainState?

    func answer(_ request: [String: Any]) -> [String: Any] {
        do {
            switch request["op"] as? String {
            case "chain.reset":
                chain = try Self.freshChain()
                return status()
            case "chain.submit":
                return try submit(request)
            case "chain.build":
                return try build(request)
            default:
                return ["ok": false, "error": "unknown op"]
            }
        } catch {
            return ["ok": false, "error": "\(error)"]
        }
    }

    private static func freshChain() throws -> ChainState {
        // A clock far enough ahead that built chains are never "too new".
        try ChainState(params: .regtest, store: InMemoryStore(), options: ChainStateOptions(now: { Int64(Date().timeIntervalSince1970) + 400_000_000 }))
    }

    private func status() -> [String: Any] {
        guard let chain else { return ["ok": false, "error": "no chain"] }
        return ["ok": true, "tip": chain.tip.hash.description, "height": chain.tip.height]
    }

    private func submit(_ request: [String: Any]) throws -> [String: Any] {
        if chain == nil { chain = try Self.freshChain() }
        guard let chain else { return ["ok": false, "error": "no chain"] }
        guard let bytes = (request["block"] as? String).flatMap({ [UInt8](hex: $0) }) else { return ["ok": false, "error": "bad hex"] }
        let block: Block
        do {
            block = try Block(serialized: bytes)
        } catch {
            return ["ok": false, "reason": "decode", "error": "\(error)"]
        }
        do {
            try chain.acceptBlock(block)
            return status()
        } catch {
            let reason: String
            switch error {
            case let .invalid(rule): reason = rule.reason
            case .duplicate: reason = "duplicate"
            case .orphan: reason = "prev-blk-not-found"
            default: return ["ok": false, "error": "\(error)"]
            }
            return ["ok": false, "reason": reason, "tip": chain.tip.hash.description, "height": chain.tip.height]
        }
    }

    private func build(_ request: [String: Any]) throws -> [String: Any] {
        func number(_ key: String, _ fallback: Int) -> Int { (request[key] as? NSNumber)?.intValue ?? fallback }
        var builder = RegtestChainBuilder(keyCount: 16)
        var blocks: [Block] = []
        for _ in 0..<min(number("empty", 101), 5_000) { blocks.append(builder.nextEmptyBlock()) }
        for _ in 0..<min(number("fanout", 1), 100) {
            if let block = try builder.nextFanOutBlock(outputs: min(number("outputs", 40), 5_000), kinds: RegtestChainBuilder.OutputKind.allCases) {
                blocks.append(block)
            }
        }
        for _ in 0..<min(number("spend", 5), 1_000) {
            guard let block = try builder.nextBlock(spending: min(number("inputs", 10), builder.spendableCount),
                                                     inputsPerTransaction: max(1, number("per_tx", 2)))
            else { break }
            blocks.append(block)
        }
        return ["ok": true, "blocks": blocks.map { $0.serialized.hexString }]
    }
}
