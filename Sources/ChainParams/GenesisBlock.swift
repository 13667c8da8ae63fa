import ByteCodec
import ChainCrypto
import ChainTypes

/// Builds genesis blocks in Bitcoin's form: version 1, no parent, one coinbase whose
/// scriptSig is `04ffff001d 0104 <push of a headline>` and which pays 50 coins to one output.
/// `Scripts/mine-genesis.py` builds the same bytes and grinds the nonce.
public enum GenesisBlock {
    /// Bitcoin's genesis headline.
    public static let bitcoinHeadline = "The Times 03/Jan/2009 Chancellor on brink of second bailout for banks"
    /// Satoshi's key that Bitcoin's genesis pays, as `<key> OP_CHECKSIG`.
    public static let bitcoinOutputScript: [UInt8] = {
        let key = [UInt8](hex: "04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f") ?? []
        return [UInt8(key.count)] + key + [0xac]
    }()
    /// A bare `OP_RETURN`: provably unspendable, so the coins never enter the UTXO set. It
    /// carries no push, so it is not a Rusty Coin extension record.
    public static let unspendableOutputScript: [UInt8] = [0x6a]

    /// Bitcoin's genesis with the given header fields (regtest uses time 1296688602, nonce 2).
    public static func bitcoinStyle(time: UInt32, nonce: UInt32, bits: UInt32) -> Block {
        make(message: bitcoinHeadline, outputScript: bitcoinOutputScript, time: time, nonce: nonce, bits: bits)
    }

    /// A genesis block with `message` in the coinbase scriptSig and `value` paid to
    /// `outputScript`.
    public static func make(
        message: String, outputScript: [UInt8], time: UInt32, nonce: UInt32, bits: UInt32,
        value: Amount = Amount(satoshis: 50 * Amount.coin)
    ) -> Block {
        var scriptSig = ByteWriter()
        scriptSig.write([0x04, 0xff, 0xff, 0x00, 0x1d])  // push of 486604799 (0x1d00ffff), as Bitcoin
        scriptSig.write([0x01, 0x04])  // push of 4
        let bytes = Array(message.utf8)
        if bytes.count >= 0x4c { scriptSig.write([0x4c]) }  // OP_PUSHDATA1 (headlines stay below 256 bytes)
        scriptSig.write(UInt8(truncatingIfNeeded: bytes.count))
        scriptSig.write(bytes)
        let coinbase = Transaction(
            version: 1, inputs: [TxIn(previousOutput: .null, scriptSig: scriptSig.bytes)],
            outputs: [TxOut(value: value, scriptPubKey: outputScript)], lockTime: 0)
        let header = BlockHeader(
            version: 1, previousBlockHash: BlockHash(.zero), merkleRoot: coinbase.txid.hash, time: time, bits: bits,
            nonce: nonce)
        return Block(header: header, transactions: [coinbase])
    }
}
