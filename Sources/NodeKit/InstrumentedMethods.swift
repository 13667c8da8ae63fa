import JSONRPC
import Metrics

/// Wraps RPC methods so each call is counted and timed per method (and failures counted by
/// error code) through swift-metrics.
enum InstrumentedMethods {
    static func wrap(_ methods: [RPCMethod]) -> [RPCMethod] {
        methods.map { method in
            var wrapped = method
            let handler = method.handler
            let requests = Counter(label: "rustyd_rpc_requests_total", dimensions: [("method", method.name)])
            let latency = Metrics.Timer(label: "rustyd_rpc_request_duration_seconds", dimensions: [("method", method.name)])
            wrapped.handler = { arguments throws(RPCError) in
                requests.increment()
                let started = ContinuousClock.now
                defer { latency.record(duration: ContinuousClock.now - started) }
                do throws(RPCError) {
                    return try await handler(arguments)
                } catch {
                    Counter(label: "rustyd_rpc_errors_total", dimensions: [("method", method.name), ("code", String(error.code.rawValue))]).increment()
                    throw error
                }
            }
            return wrapped
        }
    }
}
