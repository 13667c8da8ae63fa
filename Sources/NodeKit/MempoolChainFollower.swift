import ChainState
import NodeRPC
import ServiceLifecycle

/// Keeps the mempool in line with the chain: applies every batch of tip changes the chain
/// service publishes (confirmations, conflicts, reorgs), in order, until the node stops.
struct MempoolChainFollower: Service {
    let chain: ChainService
    let context: ChainRPCContext

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await events in chain.events {
                await context.apply(events)
            }
        }
    }
}
