import ChainState
import Foundation
import IPAddressing
import JSONRPC
import Mempool
import Metrics
import Prometheus
import RPCServer

/// `/metrics` (Prometheus text) and `/health` on the RPC port. Behind RPC authentication,
/// unless `-metricsallowip` names clients that may read them without credentials.
enum OperationsRoutes {
    static func make(
        chain: ChainService, mempool: MempoolService, registry: PrometheusCollectorRegistry, openTo subnets: [IPSubnet]
    ) -> [HTTPRoute] {
        let height = Gauge(label: "rustyd_block_height")
        let headers = Gauge(label: "rustyd_header_height")
        let progress = Gauge(label: "rustyd_verification_progress")
        let cacheEntries = Gauge(label: "rustyd_utxo_cache_entries")
        let cacheBytes = Gauge(label: "rustyd_utxo_cache_bytes")
        let pooled = Gauge(label: "rustyd_mempool_transactions")
        let pooledBytes = Gauge(label: "rustyd_mempool_bytes")
        let pooledUsage = Gauge(label: "rustyd_mempool_usage_bytes")
        let minimumFee = Gauge(label: "rustyd_mempool_min_fee_sat_per_kvb")
        let open = !subnets.isEmpty

        let allowed: @Sendable (HTTPRouteRequest) -> Bool = { request in
            !open || (request.peerAddress.map { address in subnets.contains { $0.contains(address) } } ?? false)
        }

        let metrics = HTTPRoute(path: .exact("/metrics"), requiresAuthentication: !open) { request in
            guard allowed(request) else { return .text("Forbidden\n", status: 403) }
            let sample = try? await chain.access { (state: ChainState) throws(ChainStateError) in
                (state.tip.height, state.bestHeaderHeight, state.verificationProgress, state.coinsCacheUsage)
            }
            if let (tip, header, verified, cache) = sample {
                height.record(tip)
                headers.record(header)
                progress.record(verified)
                cacheEntries.record(cache.entries)
                cacheBytes.record(cache.bytes)
            }
            let pool = await mempool.statistics()
            pooled.record(pool.count)
            pooledBytes.record(pool.virtualBytes)
            pooledUsage.record(pool.usage)
            minimumFee.record(pool.minimumFeeRate)
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return HTTPRouteResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4")], body: buffer)
        }

        let health = HTTPRoute(path: .exact("/health"), requiresAuthentication: !open) { request in
            guard allowed(request) else { return .text("Forbidden\n", status: 403) }
            let status = try? await chain.access { (state: ChainState) throws(ChainStateError) in
                (state.tip.height, !state.isInitialBlockDownload, state.storageWritable())
            }
            guard let (tip, synced, writable) = status else {
                return .text(#"{"synced":false,"storage_writable":false,"error":"chain state unavailable"}"#, status: 503, contentType: "application/json")
            }
            let body = JSONValue.object(JSONObject([("synced", .bool(synced)), ("storage_writable", .bool(writable)), ("height", .int(Int64(tip)))]))
            return .text(body.jsonString, status: synced && writable ? 200 : 503, contentType: "application/json")
        }
        return [metrics, health]
    }
}
