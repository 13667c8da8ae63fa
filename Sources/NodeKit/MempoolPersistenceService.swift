import Foundation
import Logging
import NodeRPC
import ServiceLifecycle

/// `-persistmempool`: loads the saved mempool when the node starts and saves it when the node
/// stops (started after the chain flusher and before the RPC server, so it saves after the
/// last RPC call and before the final chain flush).
struct MempoolPersistenceService: Service {
    let context: ChainRPCContext
    let logger: Logger

    func run() async throws {
        do {
            if let (accepted, dropped) = try await context.loadMempool(now: Int64(Date().timeIntervalSince1970)) {
                logger.info("mempool loaded", metadata: ["accepted": "\(accepted)", "dropped": "\(dropped)"])
            }
        } catch {
            logger.warning("saved mempool ignored: \(error)")
        }
        try? await gracefulShutdown()
        do {
            let path = try await context.saveMempool()
            logger.info("mempool saved", metadata: ["file": "\(path)"])
        } catch {
            logger.error("saving the mempool failed: \(error.message)")
        }
    }
}
