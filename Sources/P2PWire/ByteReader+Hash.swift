import ByteCodec
import ChainCrypto

extension ByteReader {
    /// Reads a 32-byte hash (in the internal byte order messages carry).
    mutating func readHash256() throws(DecodingError) -> Hash256 {
        guard let hash = Hash256(bytes: try readBytes(32)) else { throw .invalid("hash") }
        return hash
    }
}
