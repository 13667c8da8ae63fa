import Foundation
import Logging

/// Logs catch-up progress while the tip is old: one line every `interval` connected blocks or
/// every 10 seconds, with height, estimated progress and time left (from the headers known
/// beyond the tip, else from the tip's age).
struct ProgressReporter {
    let interval: Int
    let targetSpacing: Int
    static let maxSilence: Duration = .seconds(10)
    private var windowStart: (height: Int, time: ContinuousClock.Instant)?
    private let logger = Logger(label: "rustyd.chain")

    init(interval: Int = 1_000, targetSpacing: Int) {
        self.interval = max(1, interval)
        self.targetSpacing = targetSpacing
    }

    /// Called after each connected block.
    mutating func connected(height: Int, bestHeaderHeight: Int, blockTime: Int64, now: Int64, progress: Double) {
        let clock = ContinuousClock.now
        guard let start = windowStart else {
            windowStart = (height, clock)
            return
        }
        guard height - start.height >= interval || clock - start.time >= Self.maxSilence else { return }
        let seconds = Double((clock - start.time).components.seconds) + Double((clock - start.time).components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(height - start.height) / seconds : 0
        let remainingBlocks = bestHeaderHeight > height
            ? Double(bestHeaderHeight - height) : max(0, Double(now - blockTime) / Double(max(1, targetSpacing)))
        let eta = rate > 0 ? Int(remainingBlocks / rate) : 0
        let percent = String(format: "%.2f", progress * 100)
        logger.info("catching up: height \(height) of \(max(height, bestHeaderHeight)) known, progress \(percent)%, about \(eta / 3600)h \(eta % 3600 / 60)m \(eta % 60)s left at \(Int(rate)) blocks/s")
        windowStart = (height, clock)
    }
}
