/// Runs asynchronous jobs strictly one after another, in the order they were handed in, even
/// though each may suspend (an actor alone would interleave them at every `await`).
actor SerialJobQueue {
    private var last: Task<Void, Never>?

    /// Runs `job` after every job handed in before it, and returns when it is done.
    func run(_ job: @escaping @Sendable () async -> Void) async {
        let previous = last
        let task = Task {
            await previous?.value
            await job()
        }
        last = task
        await task.value
    }
}
