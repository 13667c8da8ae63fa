import ByteCodec
import Testing

@Suite struct ByteReaderTests {
    @Test func integersRoundTrip() throws {
        var writer = ByteWriter()
        writer.write(0xab)
        writer.writeUInt16LE(0x1234)
        writer.writeUInt32LE(0xdead_beef)
        writer.writeUInt64LE(0x0102_0304_0506_0708)
        writer.writeInt32LE(-2)
        writer.writeInt64LE(-3)
        writer.writeUInt32BE(0x0102_0304)
        #expect(writer.bytes.prefix(3) == [0xab, 0x34, 0x12])
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readUInt8() == 0xab)
        #expect(try reader.readUInt16LE() == 0x1234)
        #expect(try reader.readUInt32LE() == 0xdead_beef)
        #expect(try reader.readUInt64LE() == 0x0102_0304_0506_0708)
        #expect(try reader.readInt32LE() == -2)
        #expect(try reader.readInt64LE() == -3)
        #expect(try reader.readUInt32BE() == 0x0102_0304)
        #expect(reader.isAtEnd)
        #expect(throws: DecodingError.truncated(needed: 1, available: 0)) { try reader.readUInt8() }
    }

    @Test func compactSizeBoundariesRoundTrip() throws {
        for value in [0, 1, 0xfc, 0xfd, 0xffff, 0x1_0000, 0xffff_ffff, 0x1_0000_0000] {
            var writer = ByteWriter()
            writer.writeCompactSize(value)
            #expect(writer.bytes.count == ByteWriter.compactSizeLength(value))
            var reader = ByteReader(writer.bytes)
            #expect(try reader.readCompactSize(limit: .max) == value)
        }
    }

    @Test func nonCanonicalCompactSizesAreRejected() {
        for bytes: [UInt8] in [[0xfd, 0xfc, 0x00], [0xfe, 0xff, 0xff, 0x00, 0x00], [0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]] {
            var reader = ByteReader(bytes)
            #expect(throws: DecodingError.nonCanonicalCompactSize) { try reader.readCompactSize(limit: .max) }
        }
    }

    @Test func lengthsAreBoundedBeforeAllocation() {
        // A prefix claiming 32 MiB + 1 fails on the limit, not on an allocation.
        var writer = ByteWriter()
        writer.writeCompactSize(ByteReader.maxCompactSize + 1)
        var reader = ByteReader(writer.bytes)
        #expect(throws: DecodingError.lengthTooLarge(length: UInt64(ByteReader.maxCompactSize + 1), limit: ByteReader.maxCompactSize)) {
            try reader.readVarBytes()
        }
        // A count the remaining input could never satisfy fails before reserving space.
        var counts = ByteReader([0xfe, 0x00, 0x00, 0x00, 0x01, 1, 2, 3])
        #expect(throws: DecodingError.self) { try counts.readCount(minimumElementSize: 41) }
        var shortBytes = ByteReader([0x05, 1, 2])
        #expect(throws: DecodingError.truncated(needed: 5, available: 2)) { try shortBytes.readVarBytes() }
    }

    @Test func hexRoundTripAndRejection() throws {
        let bytes: [UInt8] = [0x00, 0x7f, 0x80, 0xff]
        #expect(Hex.encode(bytes) == "007f80ff")
        #expect(try Hex.decode("007F80fF") == bytes)
        #expect(throws: DecodingError.invalidHex) { try Hex.decode("abc") }
        #expect(throws: DecodingError.invalidHex) { try Hex.decode("zz") }
    }
}

@Suite struct VarIntTests {
    @Test func roundTrips() throws {
        let values: [UInt64] = [0, 1, 0x7f, 0x80, 0x1234, 0x3fff, 0x4000, 0xffff_ffff, 1 << 40, .max]
        for value in values {
            var writer = ByteWriter()
            VarInt.write(value, to: &writer)
            var reader = ByteReader(writer.bytes)
            #expect(try VarInt.read(from: &reader) == value)
            #expect(reader.isAtEnd)
        }
        // Core's serialize_tests: 0x80 encodes as 80 00, 0x4000 as 80 80 00.
        var writer = ByteWriter()
        VarInt.write(0x80, to: &writer)
        VarInt.write(0x4080, to: &writer)
        #expect(writer.bytes == [0x80, 0x00, 0x80, 0x80, 0x00])
    }

    @Test func oversizedAndTruncatedInputThrow() {
        var truncated = ByteReader([0x80])
        #expect(throws: DecodingError.self) { try VarInt.read(from: &truncated) }
        var huge = ByteReader([UInt8](repeating: 0xff, count: 12) + [0x00])
        #expect(throws: DecodingError.self) { try VarInt.read(from: &huge) }
    }
}
