import ByteCodec
import ChainCrypto
import ChainTypes

/// Builds genesis blocks in Bitcoin's form: one coinbase paying 50 coins to Satoshi's key, with
/// the Times headline in its scriptSig.
public enum GenesisBlock {
    static let headline = "The Times 03/Jan/2009 Chancellor on brink of second bailout for banks"
    static let outputKey = "04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f"

    /// Bitcoin's genesis with the given header fields (regtest uses time 1296688602, nonce 2).
    public static func bitcoinStyle(time: UInt32, nonce: UInt32, bits: UInt32) -> Block {
        var scriptSig = ByteWriter()
        scriptSig.write([0x04, 0xff, 0xff, 0x00, 0x1d])  // push of 486604799 (0x1d00ffff)
        scriptSig.write([0x01, 0x04])  // push of 4
        let message = Array(headline.utf8)
        scriptSig.write(UInt8(message.count))
        scriptSig.write(message)
        let key = [UInt8](hex: outputKey) ?? []
        let scriptPubKey = [UInt8(key.count)] + key + [0xac]  // <key> OP_CHECKSIG
        let coinbase = Transaction(
            version: 1, inputs: [TxIn(previousOutput: .null, scriptSig: scriptSig.bytes)],
            outputs: [TxOut(value: Amount(satoshis: 50 * Amount.coin), scriptPubKey: scriptPubKey)], lockTime: 0)
        let header = BlockHeader(
            version: 1, previousBlockHash: BlockHash(.zero), merkleRoot: coinbase.txid.hash, time: time, bits: bits,
            nonce: nonce)
        return Block(header: header, transactions: [coinbase])
    }
}
