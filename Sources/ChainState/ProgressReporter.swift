import Foundation
import Logging

/// Logs catch-up progress: one line every `interval` connected blocks while the tip is old,
/// with height, estimated progress and time left.
struct ProgressReporter {
    let interval: Int
    let targetSpacing: Int
    private var windowStart: (height: Int, time: ContinuousClock.Instant)?
    private let logger = Logger(label: "rustyd.chain")

    init(interval: Int = 1_000, targetSpacing: Int) {
        self.interval = max(1, interval)
        self.targetSpacing = targetSpacing
    }

    /// Called after each connected block.
    mutating func connected(height: Int, blockTime: Int64, now: Int64, progress: Double) {
        let clock = ContinuousClock.now
        guard let start = windowStart else {
            windowStart = (height, clock)
            return
        }
        guard height - start.height >= interval else { return }
        let seconds = Double((clock - start.time).components.seconds) + Double((clock - start.time).components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(height - start.height) / seconds : 0
        let remainingBlocks = max(0, Double(now - blockTime) / Double(max(1, targetSpacing)))
        let eta = rate > 0 ? Int(remainingBlocks / rate) : 0
        let percent = String(format: "%.2f", progress * 100)
        logger.info("catching up: height \(height), progress \(percent)%, about \(eta / 3600)h \(eta % 3600 / 60)m left at \(Int(rate)) blocks/s")
        windowStart = (height, clock)
    }
}
