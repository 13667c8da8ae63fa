import ChainState
import Logging
import ServiceLifecycle

/// Keeps the chain state's UTXO cache on disk: flushes every `interval`, and once more when
/// the node stops (it is the first service started, so the last one stopped).
struct ChainFlushService: Service {
    let chain: ChainService
    let interval: Duration
    let logger: Logger
    let shutdown: ShutdownSwitch

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break  // shutting down
            }
            await flush()
        }
        await flush()
        logger.info("chain state flushed")
    }

    private func flush() async {
        do {
            try await chain.flush()
        } catch {
            logger.critical("flushing the chain state failed: \(error)")
            shutdown.fail("flushing the chain state failed: \(error)")
        }
    }
}
