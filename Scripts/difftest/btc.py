"""Bitcoin primitives for the differential tester: hashes, compact sizes,
script building and a small transaction model with serialization.

Everything here is written from the protocol descriptions (BIP141 for the
witness serialization); nothing depends on the kernel.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field

# ---------------------------------------------------------------- hashes


def sha256(b: bytes) -> bytes:
    return hashlib.sha256(b).digest()


def dsha256(b: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(b).digest()).digest()


def _ripemd160_py(msg: bytes) -> bytes:
    """Pure-Python RIPEMD-160, used only when OpenSSL lacks it."""
    # Round constants and message word / rotation schedules (from the spec).
    rl = [list(range(16)),
          [7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8],
          [3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12],
          [1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2],
          [4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13]]
    rr = [[5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12],
          [6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2],
          [15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13],
          [8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14],
          [12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11]]
    sl = [[11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8],
          [7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12],
          [11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5],
          [11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12],
          [9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6]]
    sr = [[8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6],
          [9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11],
          [9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5],
          [15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8],
          [8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11]]
    kl = [0x00000000, 0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xA953FD4E]
    kr = [0x50A28BE6, 0x5C4DD124, 0x6D703EF3, 0x7A6D76E9, 0x00000000]
    m32 = 0xFFFFFFFF

    def f(j, x, y, z):
        if j == 0:
            return x ^ y ^ z
        if j == 1:
            return (x & y) | (~x & z)
        if j == 2:
            return (x | ~y) ^ z
        if j == 3:
            return (x & z) | (y & ~z)
        return x ^ (y | ~z)

    def rol(x, n):
        x &= m32
        return ((x << n) | (x >> (32 - n))) & m32

    h = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
    data = msg + b"\x80" + b"\x00" * ((55 - len(msg)) % 64) + struct.pack("<Q", 8 * len(msg))
    for off in range(0, len(data), 64):
        x = struct.unpack("<16I", data[off:off + 64])
        al, bl, cl, dl, el = h
        ar, br, cr, dr, er = h
        for j in range(5):
            for i in range(16):
                t = rol(al + f(j, bl, cl, dl) + x[rl[j][i]] + kl[j], sl[j][i]) + el
                al, el, dl, cl, bl = el, dl, rol(cl, 10), bl, t & m32
                t = rol(ar + f(4 - j, br, cr, dr) + x[rr[j][i]] + kr[j], sr[j][i]) + er
                ar, er, dr, cr, br = er, dr, rol(cr, 10), br, t & m32
        t = (h[1] + cl + dr) & m32
        h[1] = (h[2] + dl + er) & m32
        h[2] = (h[3] + el + ar) & m32
        h[3] = (h[4] + al + br) & m32
        h[4] = (h[0] + bl + cr) & m32
        h[0] = t
    return struct.pack("<5I", *h)


try:
    hashlib.new("ripemd160", b"")

    def ripemd160(b: bytes) -> bytes:
        return hashlib.new("ripemd160", b).digest()
except ValueError:  # OpenSSL 3 without the legacy provider
    ripemd160 = _ripemd160_py


def hash160(b: bytes) -> bytes:
    return ripemd160(sha256(b))


_TAG_CACHE: dict[str, bytes] = {}


def tagged_hash(tag: str, msg: bytes) -> bytes:
    """BIP340 tagged hash: SHA256(SHA256(tag) || SHA256(tag) || msg)."""
    th = _TAG_CACHE.get(tag)
    if th is None:
        th = _TAG_CACHE[tag] = sha256(tag.encode()) * 2
    return sha256(th + msg)


# ---------------------------------------------------------------- encoding


def compact_size(n: int) -> bytes:
    if n < 0xFD:
        return bytes([n])
    if n <= 0xFFFF:
        return b"\xfd" + struct.pack("<H", n)
    if n <= 0xFFFFFFFF:
        return b"\xfe" + struct.pack("<I", n)
    return b"\xff" + struct.pack("<Q", n)


def ser_bytes(b: bytes) -> bytes:
    """Length-prefixed byte string."""
    return compact_size(len(b)) + b


# ---------------------------------------------------------------- script

OP_0 = 0x00
OP_PUSHDATA1, OP_PUSHDATA2, OP_PUSHDATA4 = 0x4C, 0x4D, 0x4E
OP_1NEGATE = 0x4F
OP_RESERVED = 0x50
OP_1 = 0x51
OP_16 = 0x60
OP_NOP, OP_VER, OP_IF, OP_NOTIF, OP_VERIF, OP_VERNOTIF = 0x61, 0x62, 0x63, 0x64, 0x65, 0x66
OP_ELSE, OP_ENDIF, OP_VERIFY, OP_RETURN = 0x67, 0x68, 0x69, 0x6A
OP_TOALTSTACK, OP_FROMALTSTACK = 0x6B, 0x6C
OP_2DROP, OP_2DUP, OP_3DUP, OP_2OVER, OP_2ROT, OP_2SWAP = 0x6D, 0x6E, 0x6F, 0x70, 0x71, 0x72
OP_IFDUP, OP_DEPTH, OP_DROP, OP_DUP, OP_NIP, OP_OVER = 0x73, 0x74, 0x75, 0x76, 0x77, 0x78
OP_PICK, OP_ROLL, OP_ROT, OP_SWAP, OP_TUCK = 0x79, 0x7A, 0x7B, 0x7C, 0x7D
OP_CAT, OP_SUBSTR, OP_LEFT, OP_RIGHT, OP_SIZE = 0x7E, 0x7F, 0x80, 0x81, 0x82
OP_INVERT, OP_AND, OP_OR, OP_XOR, OP_EQUAL, OP_EQUALVERIFY = 0x83, 0x84, 0x85, 0x86, 0x87, 0x88
OP_RESERVED1, OP_RESERVED2 = 0x89, 0x8A
OP_1ADD, OP_1SUB, OP_2MUL, OP_2DIV, OP_NEGATE, OP_ABS, OP_NOT, OP_0NOTEQUAL = range(0x8B, 0x93)
(OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_LSHIFT, OP_RSHIFT, OP_BOOLAND, OP_BOOLOR,
 OP_NUMEQUAL, OP_NUMEQUALVERIFY, OP_NUMNOTEQUAL, OP_LESSTHAN, OP_GREATERTHAN,
 OP_LESSTHANOREQUAL, OP_GREATERTHANOREQUAL, OP_MIN, OP_MAX, OP_WITHIN) = range(0x93, 0xA6)
OP_RIPEMD160, OP_SHA1, OP_SHA256, OP_HASH160, OP_HASH256 = range(0xA6, 0xAB)
OP_CODESEPARATOR, OP_CHECKSIG, OP_CHECKSIGVERIFY = 0xAB, 0xAC, 0xAD
OP_CHECKMULTISIG, OP_CHECKMULTISIGVERIFY = 0xAE, 0xAF
OP_NOP1, OP_CHECKLOCKTIMEVERIFY, OP_CHECKSEQUENCEVERIFY = 0xB0, 0xB1, 0xB2
OP_NOP4, OP_NOP10 = 0xB3, 0xB9
OP_CHECKSIGADD = 0xBA


def push(data: bytes) -> bytes:
    """Minimal push of a data element (as Core's CScript << vector does,
    but also using OP_0/OP_1..16/OP_1NEGATE for tiny values)."""
    n = len(data)
    if n == 0:
        return bytes([OP_0])
    if n == 1 and 1 <= data[0] <= 16:
        return bytes([OP_1 + data[0] - 1])
    if n == 1 and data[0] == 0x81:
        return bytes([OP_1NEGATE])
    return push_raw(data)


def push_raw(data: bytes) -> bytes:
    """Push with a direct length / PUSHDATA prefix, never an OP_N."""
    n = len(data)
    if n < OP_PUSHDATA1:
        return bytes([n]) + data
    if n <= 0xFF:
        return bytes([OP_PUSHDATA1, n]) + data
    if n <= 0xFFFF:
        return bytes([OP_PUSHDATA2]) + struct.pack("<H", n) + data
    return bytes([OP_PUSHDATA4]) + struct.pack("<I", n) + data


def script_num(n: int) -> bytes:
    """CScriptNum encoding (little-endian sign-magnitude, minimal)."""
    if n == 0:
        return b""
    neg = n < 0
    a = -n if neg else n
    out = bytearray()
    while a:
        out.append(a & 0xFF)
        a >>= 8
    if out[-1] & 0x80:
        out.append(0x80 if neg else 0)
    elif neg:
        out[-1] |= 0x80
    return bytes(out)


def push_int(n: int) -> bytes:
    """Push an integer the way CScript << int64 does."""
    if n == 0:
        return bytes([OP_0])
    if n == -1:
        return bytes([OP_1NEGATE])
    if 1 <= n <= 16:
        return bytes([OP_1 + n - 1])
    return push_raw(script_num(n))


def small_int_op(n: int) -> int:
    """OP_0 .. OP_16 opcode for 0 <= n <= 16."""
    return OP_0 if n == 0 else OP_1 + n - 1


def p2pkh_script(pubkey: bytes) -> bytes:
    return bytes([OP_DUP, OP_HASH160]) + push(hash160(pubkey)) + bytes([OP_EQUALVERIFY, OP_CHECKSIG])


def p2sh_script(redeem: bytes) -> bytes:
    return bytes([OP_HASH160]) + push(hash160(redeem)) + bytes([OP_EQUAL])


def p2wpkh_script(pubkey: bytes) -> bytes:
    return bytes([OP_0]) + push(hash160(pubkey))


def p2wsh_script(witness_script: bytes) -> bytes:
    return bytes([OP_0]) + push(sha256(witness_script))


def p2tr_script(output_xonly: bytes) -> bytes:
    return bytes([OP_1]) + push(output_xonly)


def multisig_script(m: int, pubkeys: list[bytes]) -> bytes:
    return (push_int(m) + b"".join(push(p) for p in pubkeys)
            + push_int(len(pubkeys)) + bytes([OP_CHECKMULTISIG]))


# ---------------------------------------------------------------- transactions


@dataclass
class TxIn:
    prev_txid: bytes           # 32 bytes, internal byte order
    prev_index: int
    script_sig: bytes = b""
    sequence: int = 0xFFFFFFFF
    witness: list[bytes] = field(default_factory=list)

    def outpoint(self) -> bytes:
        return self.prev_txid + struct.pack("<I", self.prev_index)


@dataclass
class TxOut:
    amount: int
    script_pubkey: bytes

    def serialize(self) -> bytes:
        return struct.pack("<q", self.amount) + ser_bytes(self.script_pubkey)


@dataclass
class Tx:
    version: int = 2
    vin: list[TxIn] = field(default_factory=list)
    vout: list[TxOut] = field(default_factory=list)
    locktime: int = 0

    def has_witness(self) -> bool:
        return any(i.witness for i in self.vin)

    def serialize(self, with_witness: bool = True) -> bytes:
        """Consensus serialization; BIP144 extended form when any input
        carries a witness (and with_witness is set)."""
        sw = with_witness and self.has_witness()
        out = [struct.pack("<i", self.version)]
        if sw:
            out.append(b"\x00\x01")
        out.append(compact_size(len(self.vin)))
        for i in self.vin:
            out.append(i.outpoint() + ser_bytes(i.script_sig) + struct.pack("<I", i.sequence))
        out.append(compact_size(len(self.vout)))
        for o in self.vout:
            out.append(o.serialize())
        if sw:
            for i in self.vin:
                out.append(compact_size(len(i.witness)))
                for item in i.witness:
                    out.append(ser_bytes(item))
        out.append(struct.pack("<I", self.locktime))
        return b"".join(out)

    def txid(self) -> bytes:
        """txid in internal byte order."""
        return dsha256(self.serialize(with_witness=False))

    def wtxid(self) -> bytes:
        return dsha256(self.serialize(with_witness=True))

    def copy(self) -> "Tx":
        return Tx(self.version,
                  [TxIn(i.prev_txid, i.prev_index, i.script_sig, i.sequence, list(i.witness))
                   for i in self.vin],
                  [TxOut(o.amount, o.script_pubkey) for o in self.vout],
                  self.locktime)


def display_hex(h: bytes) -> str:
    """Hashes are shown byte-reversed, as Core's RPC does."""
    return h[::-1].hex()


def merkle_root(hashes: list[bytes]) -> bytes:
    """Bitcoin merkle root (duplicating the last hash on odd levels)."""
    if not hashes:
        return b"\x00" * 32
    level = list(hashes)
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [dsha256(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def iter_ops(script: bytes):
    """Yield (opcode, data, end_pos) like Core's GetOp. A malformed push
    ends the walk with a (None, None, pos) marker, pos being where GetOp
    leaves its cursor on failure."""
    i, n = 0, len(script)
    while i < n:
        op = script[i]
        i += 1
        data = None
        if op <= OP_PUSHDATA4:
            if op < OP_PUSHDATA1:
                size = op
            else:
                w = {OP_PUSHDATA1: 1, OP_PUSHDATA2: 2, OP_PUSHDATA4: 4}[op]
                if n - i < w:
                    yield None, None, i
                    return
                size = int.from_bytes(script[i:i + w], "little")
                i += w
            if n - i < size:
                yield None, None, i
                return
            data = script[i:i + size]
            i += size
        yield op, data, i


def is_push_only(script: bytes) -> bool:
    """True if every op is a push (<= OP_16), as IsPushOnly."""
    for op, _, _ in iter_ops(script):
        if op is None or op > OP_16:
            return False
    return True
