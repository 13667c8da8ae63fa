import Testing
@testable import P2P
@testable import P2PWire

/// Reading from a peer pauses past the receive budget and resumes once half is handled.
@Suite struct ReceiveBudgetTests {
    @Test func pausesAboveTheLimitAndResumesAtHalf() {
        let budget = ReceiveBudget(limit: 1_000)
        let item = InventoryItem(kind: .block, hash: .zero)
        let ten = Message.inventory([InventoryItem](repeating: item, count: 10))  // 360 bytes
        #expect(!budget.charge(ten) && !budget.charge(ten))
        #expect(budget.charge(ten), "1,080 queued: pause")
        #expect(!budget.charge(ten), "already paused")
        #expect(budget.queued == 1_440)
        #expect(!budget.release(ten), "1,080 still queued")
        #expect(!budget.release(ten), "720: above half")
        #expect(budget.release(ten), "360: resume")
        #expect(!budget.release(ten) && budget.queued == 0)
    }
}
