import ByteCodec
import Storage
import Testing

/// The packed batch hands back exactly the changes made, in order, however they were written.
@Suite struct WriteBatchTests {
    @Test func changesComeBackInOrderWithTheirFamilies() {
        var batch = WriteBatch()
        batch.put([1, 2, 3], forKey: [0xaa], in: .coins)
        batch.delete([0xbb, 0xcc], in: .blocks)
        batch.put(in: .coins, key: { $0.writeUInt32LE(7) }, value: { $0.writeVarBytes([9, 9]) })
        batch.put([], forKey: [], in: .chainMeta)
        batch.delete(in: .coins, key: { $0.write(0x01) })
        let large = [UInt8](repeating: 0x5a, count: 70_000)
        batch.put(large, forKey: [0x02], in: .undo)

        #expect(batch.count == 6)
        #expect(batch.families == [.coins, .blocks, .chainMeta, .undo])
        #expect(batch.operations == [
            .put(.coins, key: [0xaa], value: [1, 2, 3]),
            .delete(.blocks, key: [0xbb, 0xcc]),
            .put(.coins, key: [7, 0, 0, 0], value: [2, 9, 9]),
            .put(.chainMeta, key: [], value: []),
            .delete(.coins, key: [0x01]),
            .put(.undo, key: [0x02], value: large),
        ])
        var visited: [(Int, Int, Int?)] = []
        batch.forEachChange { family, key, value in visited.append((family, key.count, value?.count)) }
        #expect(visited.map(\.0) == [0, 1, 0, 2, 0, 3])
        #expect(visited.map(\.2) == [3, nil, 3, 0, nil, 70_000])
    }

    @Test func emptyBatchHasNoChanges() {
        let batch = WriteBatch()
        #expect(batch.count == 0 && batch.operations.isEmpty && batch.families.isEmpty)
    }
}
