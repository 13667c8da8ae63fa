"""Blocks for the kernel replay: parsing, serialization, merkle roots,
the BIP141 witness commitment and regtest proof-of-work grinding.

Transactions reuse the difftest model (`btc.Tx`, `btc.TxIn`, `btc.TxOut`),
which serializes; this module adds the parser and the block level.
Everything is written from the protocol descriptions (BIP34, BIP141).
"""

from __future__ import annotations

import os
import struct
import sys
from dataclasses import dataclass, field

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "difftest"))

import btc  # noqa: E402
from btc import Tx, TxIn, TxOut, compact_size, dsha256  # noqa: E402

WITNESS_MAGIC = bytes.fromhex("aa21a9ed")
REGTEST_BITS = 0x207FFFFF
# Regtest genesis (Bitcoin Core's): time, and hash in internal byte order.
REGTEST_GENESIS_TIME = 1296688602
REGTEST_GENESIS_HASH = bytes.fromhex("0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206")[::-1]
REGTEST_HALVING = 150
COIN = 100_000_000


class ParseError(ValueError):
    pass


class Reader:
    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ParseError("truncated")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u32(self) -> int:
        return struct.unpack("<I", self.take(4))[0]

    def i32(self) -> int:
        return struct.unpack("<i", self.take(4))[0]

    def i64(self) -> int:
        return struct.unpack("<q", self.take(8))[0]

    def compact(self) -> int:
        b = self.take(1)[0]
        if b < 0xFD:
            return b
        return int.from_bytes(self.take({0xFD: 2, 0xFE: 4, 0xFF: 8}[b]), "little")

    def var_bytes(self) -> bytes:
        return self.take(self.compact())


def parse_tx(r: Reader) -> Tx:
    version = r.i32()
    n_in = r.compact()
    segwit = False
    if n_in == 0:
        flag = r.take(1)[0]
        if flag != 1:
            raise ParseError("unknown segwit flag")
        segwit = True
        n_in = r.compact()
    vin = []
    for _ in range(n_in):
        txid = r.take(32)
        index = r.u32()
        vin.append(TxIn(txid, index, r.var_bytes(), r.u32()))
    vout = [TxOut(r.i64(), r.var_bytes()) for _ in range(r.compact())]
    if segwit:
        for i in vin:
            i.witness = [r.var_bytes() for _ in range(r.compact())]
    return Tx(version, vin, vout, r.u32())


def tx_from_bytes(raw: bytes) -> Tx:
    r = Reader(raw)
    tx = parse_tx(r)
    if r.pos != len(raw):
        raise ParseError("trailing data")
    return tx


@dataclass
class Header:
    version: int
    prev: bytes          # internal byte order
    merkle: bytes
    time: int
    bits: int
    nonce: int

    def serialize(self) -> bytes:
        return (struct.pack("<i", self.version) + self.prev + self.merkle
                + struct.pack("<III", self.time, self.bits, self.nonce))

    def hash(self) -> bytes:
        return dsha256(self.serialize())

    def copy(self) -> "Header":
        return Header(self.version, self.prev, self.merkle, self.time, self.bits, self.nonce)


@dataclass
class Block:
    header: Header
    txs: list[Tx] = field(default_factory=list)

    @staticmethod
    def parse(raw: bytes) -> "Block":
        r = Reader(raw)
        h = Header(r.i32(), r.take(32), r.take(32), r.u32(), r.u32(), r.u32())
        txs = [parse_tx(r) for _ in range(r.compact())]
        if r.pos != len(raw):
            raise ParseError("trailing data")
        return Block(h, txs)

    def serialize(self) -> bytes:
        return self.header.serialize() + compact_size(len(self.txs)) + b"".join(t.serialize() for t in self.txs)

    def hash(self) -> bytes:
        return self.header.hash()

    def copy(self) -> "Block":
        return Block(self.header.copy(), [t.copy() for t in self.txs])

    # ------------------------------------------------------------ commitments

    def computed_merkle(self) -> bytes:
        return btc.merkle_root([t.txid() for t in self.txs])

    def witness_root(self) -> bytes:
        return btc.merkle_root([b"\x00" * 32] + [t.wtxid() for t in self.txs[1:]])

    def commitment_index(self) -> int | None:
        """Index of the coinbase output holding the witness commitment (the
        last one that matches, as BIP141 says), or None."""
        if not self.txs:
            return None
        found = None
        for i, o in enumerate(self.txs[0].vout):
            s = o.script_pubkey
            if len(s) >= 38 and s[0] == 0x6A and s[1] == 0x24 and s[2:6] == WITNESS_MAGIC:
                found = i
        return found

    def reserved_value(self) -> bytes:
        w = self.txs[0].vin[0].witness if self.txs and self.txs[0].vin else []
        return w[0] if len(w) == 1 else b"\x00" * 32

    def fix_commitment(self) -> None:
        """Recompute the witness commitment in place (if the coinbase has one)."""
        idx = self.commitment_index()
        if idx is None:
            return
        commit = dsha256(self.witness_root() + self.reserved_value())
        s = self.txs[0].vout[idx].script_pubkey
        self.txs[0].vout[idx].script_pubkey = s[:6] + commit + s[38:]

    def fix_merkle(self) -> None:
        self.header.merkle = self.computed_merkle()

    def weight(self) -> int:
        stripped = 80 + len(compact_size(len(self.txs))) + sum(len(t.serialize(False)) for t in self.txs)
        return stripped * 3 + len(self.serialize())


# ---------------------------------------------------------------- proof of work


def bits_to_target(bits: int) -> int:
    exp, mant = bits >> 24, bits & 0x007FFFFF
    return mant >> (8 * (3 - exp)) if exp <= 3 else mant << (8 * (exp - 3))


def pow_ok(header: Header, bits: int | None = None) -> bool:
    target = bits_to_target(header.bits if bits is None else bits)
    return int.from_bytes(header.hash(), "little") <= target


def grind(header: Header, start: int = 0, want_valid: bool = True, bits: int | None = None) -> Header:
    """Set the nonce so the header meets (want_valid) or misses its target;
    `bits` overrides the target used (for a header whose own bits are bad)."""
    nonce = start & 0xFFFFFFFF
    for _ in range(1 << 20):
        header.nonce = nonce
        if pow_ok(header, bits) == want_valid:
            return header
        nonce = (nonce + 1) & 0xFFFFFFFF
    raise RuntimeError("grinding failed")


# ---------------------------------------------------------------- chain facts


def subsidy(height: int) -> int:
    halvings = height // REGTEST_HALVING
    return 0 if halvings >= 64 else (50 * COIN) >> halvings


def bip34_prefix(height: int) -> bytes:
    """The push that must start a coinbase scriptSig (CScript() << height)."""
    return btc.push_int(height)


def median_time_past(times: list[int]) -> int:
    last = sorted(times[-11:])
    return last[len(last) // 2]
