import ServiceLifecycle
import Synchronization

/// Lets RPC `stop` and fatal errors ask the service group for a graceful shutdown, and
/// remembers whether it was for an error (the process then exits non-zero).
public final class ShutdownSwitch: Sendable {
    private let group = Mutex<ServiceGroup?>(nil)
    private let failure = Mutex<String?>(nil)

    public init() {}

    func attach(_ serviceGroup: ServiceGroup) { group.withLock { $0 = serviceGroup } }

    /// Requests a graceful shutdown.
    public func trigger() {
        guard let serviceGroup = group.withLock({ $0 }) else { return }
        Task { await serviceGroup.triggerGracefulShutdown() }
    }

    /// Requests a shutdown because the node cannot go on.
    public func fail(_ reason: String) {
        failure.withLock { if $0 == nil { $0 = reason } }
        trigger()
    }

    /// The reason of a failure shutdown, if any.
    public var failureReason: String? { failure.withLock { $0 } }
}
