"""Transaction and block decoding cases: well-formed bytes, and bytes
damaged at the structural level (truncation, bad or non-canonical compact
sizes, witness flag with empty witnesses, unknown flag bytes, trailing
data, random garbage).

The serializer here works on a list of (kind, bytes) fields so that a
mutation can target e.g. "a count" or "a length prefix" precisely.
"""

from __future__ import annotations

import random
import struct

import btc
from btc import Tx, TxIn, TxOut, compact_size
from gen_script import rand_element, rand_script
from spends import (build_signed_tx, rand_amount, random_env, random_flags, random_sequence,
                    verify_request)

Field = tuple[str, bytes]


def tx_fields(tx: Tx, witness: bool | None = None) -> list[Field]:
    """Serialization as fields; kinds: ver, marker, flag, count (compact
    size of a vector), len (compact size of a byte string), data, fixed."""
    sw = tx.has_witness() if witness is None else witness
    f: list[Field] = [("ver", struct.pack("<i", tx.version))]
    if sw:
        f += [("marker", b"\x00"), ("flag", b"\x01")]
    f.append(("count", compact_size(len(tx.vin))))
    for i in tx.vin:
        f.append(("fixed", i.outpoint()))
        f += [("len", compact_size(len(i.script_sig))), ("data", i.script_sig)]
        f.append(("fixed", struct.pack("<I", i.sequence)))
    f.append(("count", compact_size(len(tx.vout))))
    for o in tx.vout:
        f.append(("fixed", struct.pack("<q", o.amount)))
        f += [("len", compact_size(len(o.script_pubkey))), ("data", o.script_pubkey)]
    if sw:
        for i in tx.vin:
            f.append(("count", compact_size(len(i.witness))))
            for item in i.witness:
                f += [("len", compact_size(len(item))), ("data", item)]
    f.append(("locktime", struct.pack("<I", tx.locktime)))
    return f


def join(fields: list[Field]) -> bytes:
    return b"".join(b for _, b in fields)


def noncanonical(n: int, rng: random.Random) -> bytes:
    """A longer-than-needed compact size for n (Core rejects these)."""
    options = []
    if n <= 0xFFFF:
        options.append(b"\xfe" + struct.pack("<I", n))
        options.append(b"\xff" + struct.pack("<Q", n))
    if n < 0xFD:
        options.append(b"\xfd" + struct.pack("<H", n))
    if n <= 0xFFFFFFFF and n > 0xFFFF:
        options.append(b"\xff" + struct.pack("<Q", n))
    return rng.choice(options) if options else compact_size(n)


def decode_compact(b: bytes) -> int:
    if b[0] < 0xFD:
        return b[0]
    return int.from_bytes(b[1:], "little")


def random_tx(rng: random.Random) -> Tx:
    """A structurally valid transaction: signed spends, or random parts."""
    if rng.random() < 0.4:
        return build_signed_tx(rng).tx
    env = random_env(rng)
    tx = Tx(env.version, [], [], env.locktime)
    n_in = rng.choice([0, 1, 1, 2, 3, 5]) if rng.random() > 0.02 else rng.choice([253, 300])
    for _ in range(n_in):
        txin = TxIn(rng.randbytes(32), rng.getrandbits(32), rand_script(rng) if rng.random() < 0.5 else b"",
                    random_sequence(rng))
        if rng.random() < 0.4:
            txin.witness = [rand_element(rng) for _ in range(rng.randint(0, 4))]
        tx.vin.append(txin)
    for _ in range(rng.choice([0, 1, 1, 2, 4])):
        spk = rand_script(rng) if rng.random() < 0.3 else rng.randbytes(rng.choice([0, 22, 25, 34]))
        tx.vout.append(TxOut(rand_amount(rng) if rng.random() < 0.9 else rng.randint(-2**63, 2**63 - 1), spk))
    if tx.vin and rng.random() < 0.02:
        # Script lengths needing 3- and 5-byte compact sizes.
        tx.vin[0].script_sig = rng.randbytes(rng.choice([253, 254, 65535, 65536]))
    return tx


def mutate_fields(rng: random.Random, fields: list[Field]) -> tuple[str, list[Field]]:
    """Apply one structural mutation; returns its name."""
    f = list(fields)
    sizes = [i for i, (k, _) in enumerate(f) if k in ("count", "len")]
    r = rng.random()
    if r < 0.2 and sizes:
        i = rng.choice(sizes)
        f[i] = (f[i][0], noncanonical(decode_compact(f[i][1]), rng))
        return "noncanonical_size", f
    if r < 0.4 and sizes:
        i = rng.choice(sizes)
        n = decode_compact(f[i][1])
        n2 = rng.choice([n + 1, max(0, n - 1), 0, 0xFC, 0xFD, 0x02000000, 0x02000001, 0xFFFFFFFF,
                         2**64 - 1])
        f[i] = (f[i][0], compact_size(n2))
        return "wrong_size", f
    if r < 0.5:
        # Truncated compact size.
        if not sizes:
            return "unmutated", f
        i = rng.choice(sizes)
        big = rng.choice([b"\xfd\x00", b"\xfe\x00\x01", b"\xff\x00\x00\x00"])
        return "truncated_size", f[:i] + [("count", big)]
    if r < 0.6:
        # Unknown / missing witness flag.
        if any(k == "flag" for k, _ in f):
            i = next(i for i, (k, _) in enumerate(f) if k == "flag")
            f[i] = ("flag", bytes([rng.choice([0x00, 0x02, 0x03, 0x81, 0xFF])]))
            return "bad_flag", f
        return "unmutated", f
    if r < 0.7:
        # Replace a data field with something of a different size.
        datas = [i for i, (k, _) in enumerate(f) if k == "data"]
        if not datas:
            return "unmutated", f
        i = rng.choice(datas)
        f[i] = ("data", f[i][1] + b"\x00")
        return "data_longer", f
    return "unmutated", f


def decode_tx_case(rng: random.Random) -> tuple[str, dict, Tx | None]:
    """(category, request, tx if bytes are known-good) for decodetx."""
    tx = random_tx(rng)
    r = rng.random()
    if r < 0.2:
        raw = tx.serialize()
        # A 0-input tx serializes ambiguously (Core reads "00 <n>" as the
        # segwit marker), so only txs with inputs are known-good.
        return "decode/valid", {"op": "decodetx", "tx": raw.hex()}, (tx if tx.vin else None)
    if r < 0.3:
        raw = tx.serialize()
        return "decode/truncated", {"op": "decodetx", "tx": raw[:rng.randrange(len(raw))].hex()}, None
    if r < 0.38:
        raw = tx.serialize() + rng.choice([b"\x00", rng.randbytes(rng.randint(1, 40))])
        return "decode/trailing", {"op": "decodetx", "tx": raw.hex()}, None
    if r < 0.48:
        # Segwit serialization with all witnesses empty ("superfluous").
        for i in tx.vin:
            i.witness = []
        raw = join(tx_fields(tx, witness=True))
        return "decode/empty_witness_flag", {"op": "decodetx", "tx": raw.hex()}, None
    if r < 0.56:
        raw = bytearray(tx.serialize())
        for _ in range(rng.randint(1, 3)):
            p = rng.randrange(len(raw))
            raw[p] ^= 1 << rng.randrange(8)
        return "decode/bitflip", {"op": "decodetx", "tx": bytes(raw).hex()}, None
    if r < 0.61:
        n = rng.choice([0, 1, 4, 5, 9, 10, 11, 60, 200])
        raw = rng.randbytes(n)
        if rng.random() < 0.5 and n >= 6:
            raw = struct.pack("<i", 2) + raw[4:]
        return "decode/random", {"op": "decodetx", "tx": raw.hex()}, None
    if r < 0.66:
        # Zero-input shapes around the marker ambiguity.
        ver = struct.pack("<i", rng.choice([1, 2]))
        lt = struct.pack("<I", rng.getrandbits(32))
        out = TxOut(rng.randint(0, 10**8), b"\x51").serialize()
        raw = rng.choice([
            ver + b"\x00\x00" + lt,                       # no inputs, no outputs
            ver + b"\x00\x01" + out + lt,                 # looks like marker+flag
            ver + b"\x00\x01\x00\x01" + out + lt,         # segwit, 0 inputs, no witness
            ver + b"\x00\x00\x01" + out + lt,
        ])
        return "decode/zero_inputs", {"op": "decodetx", "tx": raw.hex()}, None
    name, fields = mutate_fields(rng, tx_fields(tx))
    return f"decode/{name}", {"op": "decodetx", "tx": join(fields).hex()}, (tx if name == "unmutated" and tx.vin else None)


# ---------------------------------------------------------------- blocks


def random_header(rng: random.Random, merkle: bytes) -> bytes:
    return (struct.pack("<i", rng.choice([1, 2, 0x20000000, rng.getrandbits(31)])) + rng.randbytes(32)
            + merkle + struct.pack("<III", rng.getrandbits(32), rng.getrandbits(32), rng.getrandbits(32)))


def decode_block_case(rng: random.Random) -> tuple[str, dict, list[Tx] | None]:
    """(category, request, txs if the block bytes are known-good)."""
    if rng.random() < 0.1:
        # Many tiny transactions (1 input, 0-1 outputs: 51-60 bytes), to
        # catch decoders that assume a minimum transaction size.
        txs = [Tx(rng.choice([1, 2]), [TxIn(rng.randbytes(32), rng.getrandbits(32))],
                  [TxOut(rng.randint(0, 99), b"")] * rng.choice([0, 0, 1]), 0)
               for _ in range(rng.choice([1, 2, 5, 40]))]
    else:
        txs = [random_tx(rng) for _ in range(rng.choice([0, 1, 1, 2, 3, 6]))]
        txs = [t for t in txs if t.vin]  # keep clear of the 0-input ambiguity
    merkle = btc.merkle_root([t.txid() for t in txs]) if rng.random() < 0.7 else rng.randbytes(32)
    header = random_header(rng, merkle)
    body = compact_size(len(txs)) + b"".join(t.serialize() for t in txs)
    raw = header + body
    r = rng.random()
    if r < 0.45:
        return "block/valid", {"op": "decodeblock", "block": raw.hex()}, txs
    if r < 0.6:
        return "block/truncated", {"op": "decodeblock", "block": raw[:rng.randrange(len(raw))].hex()}, None
    if r < 0.7:
        return "block/trailing", {"op": "decodeblock", "block": (raw + rng.randbytes(rng.randint(1, 5))).hex()}, None
    if r < 0.8:
        n = len(txs)
        cnt = rng.choice([compact_size(n + 1), compact_size(max(0, n - 1)) if n else b"\x01",
                          noncanonical(n, rng), compact_size(0x02000001)])
        return "block/bad_count", {"op": "decodeblock", "block": (header + cnt + body[len(compact_size(n)):]).hex()}, None
    if r < 0.9 and txs:
        # One transaction with a superfluous witness flag.
        i = rng.randrange(len(txs))
        t = txs[i]
        for vin in t.vin:
            vin.witness = []
        body = compact_size(len(txs)) + b"".join(
            join(tx_fields(x, witness=True)) if j == i else x.serialize() for j, x in enumerate(txs))
        return "block/bad_tx", {"op": "decodeblock", "block": (header + body).hex()}, None
    raw = bytearray(raw)
    p = rng.randrange(80, len(raw)) if len(raw) > 80 else rng.randrange(len(raw))
    raw[p] ^= 1 << rng.randrange(8)
    return "block/bitflip", {"op": "decodeblock", "block": bytes(raw).hex()}, None


def undecodable_verify_case(rng: random.Random) -> tuple[str, dict]:
    """A verify request whose tx bytes do not decode (truncated/trailing)."""
    st = build_signed_tx(rng)
    raw = st.tx.serialize()
    raw = raw[:rng.randrange(len(raw))] if rng.random() < 0.6 else raw + b"\x00"
    return "verify/undecodable", verify_request(st.tx, 0, st.spent, random_flags(rng), raw=raw)
