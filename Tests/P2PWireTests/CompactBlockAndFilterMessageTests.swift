import ByteCodec
import ChainCrypto
import ChainParams
import ChainTypes
import Testing
@testable import P2PWire

/// BIP152 compact blocks (short ids, differential indexes, bounds) and BIP157 filter messages.
@Suite struct CompactBlockAndFilterMessageTests {
    let magic = ChainParams.regtest.magic

    func roundTrip(_ message: Message) throws -> Message {
        var framer = MessageFramer(magic: magic)
        framer.append(message.framed(magic: magic))
        let (command, payload) = try #require(try framer.next())
        #expect(command == message.command)
        return try Message(command: command, payload: payload)
    }

    func transaction(_ salt: UInt8) -> Transaction {
        Transaction(version: 2, inputs: [TxIn(previousOutput: OutPoint(txid: TxID(Hashing.sha256d([salt])), index: 0))],
                    outputs: [TxOut(value: Amount(satoshis: 1_000 + Int64(salt)), scriptPubKey: [0x51])])
    }

    var block: Block {
        let coinbase = Transaction(version: 2, inputs: [TxIn(previousOutput: .null, scriptSig: [1, 1])], outputs: [TxOut(value: Amount(satoshis: 50), scriptPubKey: [0x51])])
        return Block(header: BlockHeader(version: 4, previousBlockHash: BlockHash(.zero), merkleRoot: .zero, time: 1_700_000_000, bits: 0x207f_ffff, nonce: 3),
                     transactions: [coinbase] + (1...5).map(transaction))
    }

    @Test func shortIDsAreSipHashOfWtxidsUnderTheHeaderAndNonceKey() throws {
        let compact = CompactBlock(block: block, nonce: 0x0102_0304_0506_0708)
        #expect(compact.prefilled.map(\.index) == [0] && compact.shortIDs.count == 5)
        // The key: the first 16 bytes of SHA-256(header ‖ nonce), as two little-endian words.
        let digest = Hashing.sha256(block.header.serialized + [8, 7, 6, 5, 4, 3, 2, 1]).bytes
        let k0 = digest[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let k1 = digest[8..<16].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        for (transaction, id) in zip(block.transactions.dropFirst(), compact.shortIDs) {
            var hasher = SipHash(k0: k0, k1: k1)
            hasher.update(transaction.wtxid.hash.bytes)
            #expect(id == hasher.finalize() & 0xffff_ffff_ffff && id < 1 << 48)
        }
        #expect(try roundTrip(.compactBlock(compact)) == .compactBlock(compact))
        // Six bytes per short id, little-endian.
        let payload = Message.compactBlock(compact).payload
        let first = compact.shortIDs[0]
        #expect(Array(payload[89..<95]) == (0..<6).map { UInt8(truncatingIfNeeded: first >> (8 * UInt64($0))) })
    }

    @Test func prefilledIndexesAreDifferential() throws {
        let transactions = block.transactions
        let compact = CompactBlock(
            header: block.header, nonce: 1, shortIDs: [1, 2, 3],
            prefilled: [0, 3, 4].map { CompactBlock.Prefilled(index: $0, transaction: transactions[$0]) })
        var writer = ByteWriter()
        compact.encode(to: &writer)
        var reader = ByteReader(writer.bytes)
        _ = try BlockHeader(from: &reader)
        _ = try reader.readUInt64LE()
        _ = try reader.readBytes(1 + 3 * 6)
        #expect(try reader.readCompactSize() == 3)
        var differences: [Int] = []
        for _ in 0..<3 {
            differences.append(try reader.readCompactSize())
            _ = try Transaction(from: &reader)
        }
        #expect(differences == [0, 2, 0])
        #expect(try roundTrip(.compactBlock(compact)) == .compactBlock(compact))
    }

    @Test func blockTransactionRequestsAndAnswers() throws {
        let request = BlockTransactionsRequest(blockHash: block.hash, indexes: [1, 2, 5, 1_000])
        var writer = ByteWriter()
        request.encode(to: &writer)
        #expect(Array(writer.bytes.dropFirst(32)) == [4, 1, 0, 2, 0xfd, 0xe2, 0x03])
        #expect(try roundTrip(.getBlockTransactions(request)) == .getBlockTransactions(request))
        let answer = BlockTransactions(blockHash: block.hash, transactions: Array(block.transactions[1...2]))
        #expect(try roundTrip(.blockTransactions(answer)) == .blockTransactions(answer))
        // An index past 65,535 is refused (Core: "indexes overflowed 16 bits").
        var overflow = ByteWriter()
        overflow.write(block.hash.hash.bytes)
        overflow.writeCompactSize(2)
        overflow.writeCompactSize(65_535)
        overflow.writeCompactSize(0)
        #expect(throws: DecodingError.invalid("indexes overflowed 16 bits")) { try Message(command: "getblocktxn", payload: overflow.bytes) }
    }

    @Test func filterMessagesRoundTripWithinBounds() throws {
        let stop = BlockHash(Hashing.sha256d([1]))
        let messages: [Message] = [
            .getFilters(FilterRangeRequest(filterType: 0, startHeight: 100, stopHash: stop)),
            .filter(FilterMessage(filterType: 0, blockHash: stop, filter: [1, 2, 3])),
            .getFilterHeaders(FilterRangeRequest(filterType: 0, startHeight: 1, stopHash: stop)),
            .filterHeaders(FilterHeadersMessage(filterType: 0, stopHash: stop, previousHeader: Hashing.sha256d([2]), hashes: [Hashing.sha256d([3])])),
            .getFilterCheckpoint(filterType: 0, stopHash: stop),
            .filterCheckpoint(FilterHeadersMessage(filterType: 0, stopHash: stop, previousHeader: nil, hashes: [Hashing.sha256d([4]), Hashing.sha256d([5])])),
        ]
        for message in messages { #expect(try roundTrip(message) == message) }
        #expect(Message.getFilters(FilterRangeRequest(filterType: 0, startHeight: 100, stopHash: stop)).payload.count == 1 + 4 + 32)
        var tooMany = ByteWriter()
        tooMany.write(0)
        tooMany.write(stop.hash.bytes)
        tooMany.write(stop.hash.bytes)
        tooMany.writeCompactSize(2_001)
        #expect(throws: DecodingError.lengthTooLarge(length: 2_001, limit: 2_000)) { try Message(command: "cfheaders", payload: tooMany.bytes) }
    }
}
