import ByteCodec
import ChainCrypto
import ChainParams
import ChainTypes
import Testing
@testable import P2PWire

/// Messages the fixture does not cover (BIP130/133/152/155/339 and `headers` with Bitcoin's
/// layout), Core's bounds, and what a hostile stream can and cannot make the framer do.
@Suite struct MessageFormatTests {
    let magic = ChainParams.regtest.magic

    func roundTrip(_ message: Message) throws -> Message {
        var framer = MessageFramer(magic: magic)
        framer.append(message.framed(magic: magic))
        let (command, payload) = try #require(try framer.next())
        return try Message(command: command, payload: payload)
    }

    func hash(_ seed: UInt8) -> Hash256 { Hashing.sha256d([seed]) }

    @Test func negotiationMessagesHaveBitcoinsLayout() throws {
        #expect(Message.sendCompact(announce: true, version: 2).payload == [1, 2, 0, 0, 0, 0, 0, 0, 0])
        #expect(Message.feeFilter(1_000).payload == [0xe8, 0x03, 0, 0, 0, 0, 0, 0])
        for message in [Message.wtxidRelay, .sendAddrV2, .sendHeaders, .verack, .getAddresses, .mempool] {
            let decoded = try roundTrip(message)
            #expect(message.payload.isEmpty && decoded == message)
        }
        #expect(try roundTrip(.sendCompact(announce: false, version: 1)) == .sendCompact(announce: false, version: 1))
        #expect(try roundTrip(.feeFilter(-5)) == .feeFilter(-5))
        // The command field: NUL-padded ASCII.
        let framed = Message.sendAddrV2.framed(magic: magic)
        #expect(Array(framed[4..<16]) == Array("sendaddrv2".utf8) + [0, 0])
        #expect(Array(framed[20..<24]) == [0x5d, 0xf6, 0xe0, 0xe2], "checksum of the empty payload")
    }

    @Test func headersCarryATransactionCountOfZero() throws {
        let headers = (0..<3).map { index in
            BlockHeader(version: 4, previousBlockHash: BlockHash(hash(UInt8(index))), merkleRoot: hash(9), time: 1_700_000_000, bits: 0x207f_ffff, nonce: UInt32(index))
        }
        let payload = Message.headers(headers).payload
        #expect(payload.count == 1 + 3 * 81 && payload[81] == 0 && payload[162] == 0)
        #expect(try roundTrip(.headers(headers)) == .headers(headers))
        // More than 2,000 headers: refused from the count alone.
        var oversized = ByteWriter()
        oversized.writeCompactSize(2_001)
        #expect(throws: DecodingError.lengthTooLarge(length: 2_001, limit: 2_000)) { try Message(command: "headers", payload: oversized.bytes) }
    }

    @Test func countsAreBoundedBeforeAnythingIsAllocated() {
        var inventory = ByteWriter()
        inventory.writeCompactSize(50_001)
        #expect(throws: DecodingError.lengthTooLarge(length: 50_001, limit: 50_000)) { try Message(command: "inv", payload: inventory.bytes) }
        // A count the payload cannot hold is truncation, not a large allocation.
        var claimed = ByteWriter()
        claimed.writeCompactSize(40_000)
        #expect(throws: DecodingError.truncated(needed: 40_000 * 36, available: 0)) { try Message(command: "getdata", payload: claimed.bytes) }
        var addresses = ByteWriter()
        addresses.writeCompactSize(1_001)
        #expect(throws: DecodingError.lengthTooLarge(length: 1_001, limit: 1_000)) { try Message(command: "addr", payload: addresses.bytes) }
        var locator = ByteWriter()
        locator.writeUInt32LE(70016)
        locator.writeCompactSize(102)
        #expect(throws: DecodingError.lengthTooLarge(length: 102, limit: 101)) { try Message(command: "getheaders", payload: locator.bytes) }
    }

    @Test func versionWithAndWithoutOptionalFields() throws {
        let version = VersionMessage(
            version: 70016, services: [.network, .witness, .rusty], time: 1_700_000_000,
            receiver: NetworkAddress(services: [], ipv4: (127, 0, 0, 1), port: 18444),
            sender: NetworkAddress(services: [.network], ipv4: (10, 0, 0, 1), port: 18445), nonce: 7, userAgent: "/rustyd:0.1.0/",
            startHeight: 12, relay: false)
        #expect(try roundTrip(.version(version)) == .version(version))
        #expect(version.receiver.ipv4 == [127, 0, 0, 1])
        // Without the relay byte, relay is on (BIP37).
        let payload = Message.version(version).payload
        guard case let .version(short) = try Message(command: "version", payload: Array(payload.dropLast())) else {
            Issue.record("not a version")
            return
        }
        #expect(short.relay && short.userAgent == "/rustyd:0.1.0/")
        // A user agent over 256 bytes is refused.
        var long = version
        long.userAgent = String(repeating: "a", count: 300)
        var writer = ByteWriter()
        writer.write(Array(payload.prefix(4 + 8 + 8 + 26 + 26 + 8)))
        writer.writeVarBytes(Array(long.userAgent.utf8))
        #expect(throws: DecodingError.lengthTooLarge(length: 300, limit: 256)) { try Message(command: "version", payload: writer.bytes) }
    }

    @Test func addressesV2FollowBIP155() throws {
        let entries = [
            AddressV2(time: 1, services: [.network, .witness], networkID: AddressV2.Network.ipv4.rawValue, address: [1, 2, 3, 4], port: 8333),
            AddressV2(time: 2, services: [.network], networkID: AddressV2.Network.ipv6.rawValue, address: Array(repeating: 0xfe, count: 16), port: 1),
            AddressV2(time: 3, services: [], networkID: AddressV2.Network.torV3.rawValue, address: Array(repeating: 7, count: 32), port: 9050),
            AddressV2(time: 4, services: [], networkID: 200, address: [1, 2, 3], port: 5),
        ]
        #expect(try roundTrip(.addressesV2(entries)) == .addressesV2(entries))
        #expect(entries[3].network == nil, "unknown networks are kept for the receiver to ignore")
        // Services as a CompactSize: one byte for 9.
        #expect(Message.addressesV2([entries[0]]).payload == [1, 1, 0, 0, 0, 9, 1, 4, 1, 2, 3, 4, 0x20, 0x8d])
        let wrongLength = AddressV2(time: 1, services: [], networkID: AddressV2.Network.ipv4.rawValue, address: [1, 2, 3], port: 1)
        #expect(throws: DecodingError.invalid("BIP155 ipv4 address with length 3 (should be 4)")) {
            try Message(command: "addrv2", payload: Message.addressesV2([wrongLength]).payload)
        }
        let huge = AddressV2(time: 1, services: [], networkID: 99, address: Array(repeating: 0, count: 513), port: 1)
        #expect(throws: DecodingError.lengthTooLarge(length: 513, limit: 512)) {
            try Message(command: "addrv2", payload: Message.addressesV2([huge]).payload)
        }
    }

    @Test func unknownCommandsAreKeptWholeAndTrailingBytesIgnored() throws {
        #expect(try roundTrip(.unknown(command: "qfcommit", payload: [1, 2, 3])) == .unknown(command: "qfcommit", payload: [1, 2, 3]))
        #expect(try Message(command: "ping", payload: Message.ping(nonce: 9).payload + [0xff]) == .ping(nonce: 9))
    }

    @Test func theFramerCutsAnyChunkingIntoTheSameMessages() throws {
        let messages: [Message] = [.ping(nonce: 1), .verack, .inventory([InventoryItem(kind: .witnessTransactionID, hash: hash(1))]), .pong(nonce: 2)]
        let stream = messages.flatMap { $0.framed(magic: magic) }
        for chunkSize in [1, 7, 24, 25, stream.count] {
            var framer = MessageFramer(magic: magic)
            var received: [Message] = []
            for start in stride(from: 0, to: stream.count, by: chunkSize) {
                framer.append(stream[start..<min(stream.count, start + chunkSize)])
                while let (command, payload) = try framer.next() { received.append(try Message(command: command, payload: payload)) }
            }
            #expect(received == messages, "chunks of \(chunkSize)")
            #expect(framer.bufferedCount == 0)
        }
    }

    @Test func theFramerRefusesHostileStreams() throws {
        func failure(_ bytes: [UInt8]) -> MessageFramer.Failure? {
            var framer = MessageFramer(magic: magic)
            framer.append(bytes)
            do {
                _ = try framer.next()
                return nil
            } catch {
                return error
            }
        }
        let ping = Message.ping(nonce: 1).framed(magic: magic)
        #expect(failure(ChainParams.main.magic + ping.dropFirst(4)) == .wrongMagic(ChainParams.main.magic))
        var corrupted = ping
        corrupted[corrupted.count - 1] ^= 1
        #expect(failure(corrupted) == .badChecksum(command: "ping"))
        var unprintable = ping
        unprintable[5] = 0x07
        #expect(failure(unprintable) == .malformedHeader(.invalid("malformed command")))
        var nulInside = ping
        nulInside[5] = 0
        #expect(failure(nulInside) == .malformedHeader(.invalid("malformed command")), "p\\0ng: bytes after the first NUL must be NUL")
        // An announced payload over 4,000,000 bytes fails on the header alone: nothing waits for it.
        var oversize = ByteWriter()
        MessageHeader(magic: magic, command: "block", payload: []).encode(to: &oversize)
        var header = oversize.bytes
        header.replaceSubrange(16..<20, with: [0x01, 0x09, 0x3d, 0x00])  // 4,000,001
        #expect(failure(header) == .malformedHeader(.lengthTooLarge(length: 4_000_001, limit: 4_000_000)))
        // A partial message is simply not ready.
        var framer = MessageFramer(magic: magic)
        framer.append(ping.prefix(30))
        #expect(try framer.next() == nil && framer.bufferedCount == 6)
    }
}

extension MessageFormatTests {
    /// A stored block sent as is goes out exactly as the decoded block would, and comes back as
    /// `.block`.
    @Test func aSerializedBlockIsSentAsABlock() throws {
        let block = ChainParams.regtest.genesisBlock
        let magic = ChainParams.regtest.magic
        #expect(Message.serializedBlock(block.serialized).framed(magic: magic) == Message.block(block).framed(magic: magic))
        #expect(try Message(command: "block", payload: Message.serializedBlock(block.serialized).payload) == .block(block))
    }
}
