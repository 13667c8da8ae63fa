"""Mutations of valid regtest blocks, each meant to break one rule.

A mutant of height h is built from the valid block at height h (the
"template") and, unless it is about the parent link, still builds on the
valid block h-1. After a change, whatever the change did not mean to break
is repaired: the witness commitment is recomputed (wtxids changed), the
merkle root is recomputed (txids changed) and the proof of work is ground
again (the header changed). Mutations about those very things skip the
matching repair. A few mutations keep the header byte-identical to the
valid block's (CVE-2012-2459 duplicate transactions, witness malleations):
the valid block with that hash, submitted afterwards, must still be
accepted.

`expect` is what the mutation was designed to trigger (Core's reject
reason, or "valid" for controls); the kernel's own verdict is the
reference, `expect` only checks this generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import blockmodel as bm
from blockmodel import Block, Header, Tx, TxIn, TxOut
import btc

MAX_MONEY = 21_000_000 * bm.COIN
SCRIPT_FAIL = "block-script-verify-flag-failed"
OP_TRUE_SCRIPT = b"\x51"
GENESIS_COINBASE_TXID = bytes.fromhex("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b")[::-1]


@dataclass
class Coin:
    amount: int
    script: bytes
    height: int
    coinbase: bool


@dataclass
class Context:
    """What a mutation of the block at `height` may use: the chain before it."""
    height: int
    template: Block
    raw: bytes
    valid_raws: list[bytes]              # valid blocks, index i = height i+1
    times: list[int]                     # header times of heights 0..h-1
    utxo: dict[tuple[bytes, int], Coin]  # before this block
    spent: dict[tuple[bytes, int], int]  # outpoint -> height that spent it (before this block)
    coinbase_txids: dict[int, bytes]     # height -> coinbase txid (heights < h)
    tip_height: int                      # height of the last valid block

    @property
    def parent_hash(self) -> bytes:
        return self.template.header.prev

    def mtp(self) -> int:
        return bm.median_time_past(self.times)

    def spends(self) -> list[int]:
        """Indexes of the non-coinbase transactions."""
        return list(range(1, len(self.template.txs)))

    def witness_inputs(self) -> list[tuple[int, int]]:
        return [(t, i) for t in self.spends() for i, txin in enumerate(self.template.txs[t].vin) if txin.witness]

    def p2wpkh_inputs(self) -> list[tuple[int, int]]:
        return [(t, i) for t, i in self.witness_inputs()
                if len(self.template.txs[t].vin[i].witness) == 2 and len(self.template.txs[t].vin[i].witness[1]) == 33]

    def input_value(self, tx: Tx) -> int | None:
        total = 0
        for txin in tx.vin:
            coin = self.utxo.get((txin.prev_txid, txin.prev_index))
            if coin is None:
                return None
            total += coin.amount
        return total


@dataclass
class Mutant:
    kind: str
    variant: str
    height: int
    raw: bytes
    expect: str
    # Blocks to submit first (to both sides, compared too): (label, raw).
    pre: list[tuple[str, bytes]] = field(default_factory=list)
    note: str = ""
    may_accept: bool = False    # a control, or a block that may be stored


# ---------------------------------------------------------------- helpers


def reseal(b: Block, rng: random.Random, commitment: bool = True, merkle: bool = True,
           pow_valid: bool = True, bits: int | None = None) -> bytes:
    if commitment:
        b.fix_commitment()
    if merkle:
        b.fix_merkle()
    bm.grind(b.header, start=rng.getrandbits(32), want_valid=pow_valid, bits=bits)
    return b.serialize()


def coinbase_rest(cb: Tx) -> tuple[bytes, bytes]:
    """(height push, remaining scriptSig bytes) of a coinbase."""
    script = cb.vin[0].script_sig
    for _op, _data, end in btc.iter_ops(script):
        return script[:end], script[end:]
    return b"", script


def plain_spend(outpoints: list[tuple[bytes, int]], amount: int = 1000) -> Tx:
    """An unsigned transaction spending `outpoints` to OP_TRUE."""
    return Tx(2, [TxIn(txid, idx) for txid, idx in outpoints], [TxOut(amount, OP_TRUE_SCRIPT)], 0)


def make_child(parent_raw: bytes, ctx: Context, rng: random.Random) -> bytes:
    """A valid-looking coinbase-only block at height h+1 on top of `parent_raw`."""
    parent = Block.parse(parent_raw)
    h = ctx.height + 1
    cb = ctx.template.txs[0].copy()
    _push, rest = coinbase_rest(cb)
    cb.vin[0].script_sig = bm.bip34_prefix(h) + (rest if rest else b"\x00")
    cb.vin[0].witness = [b"\x00" * 32]
    cb.vout[0].amount = bm.subsidy(h)
    header = Header(parent.header.version, parent.hash(), b"", max(parent.header.time, ctx.template.header.time) + 1,
                    bm.REGTEST_BITS, 0)
    child = Block(header, [cb])
    return reseal(child, rng)


def flip_byte(data: bytes, pos: int, mask: int) -> bytes:
    return data[:pos] + bytes([data[pos] ^ mask]) + data[pos + 1:]


# ---------------------------------------------------------------- mutations
# Each returns a Mutant or None (not applicable at this height).


def m_pow(ctx, rng):
    b = ctx.template.copy()
    return Mutant("header/pow", "hash-above-target", ctx.height, reseal(b, rng, False, False, pow_valid=False),
                  "high-hash")


def m_bits(ctx, rng):
    variant = rng.choice(["harder-0x207ffffe", "harder-0x1f7fffff", "above-limit-0x2100ffff",
                          "negative-0x20ffffff", "zero-0x20000000", "mainnet-0x1d00ffff"])
    bits = int(variant.split("-")[-1], 16)
    b = ctx.template.copy()
    b.header.bits = bits
    if variant.startswith("harder"):
        return Mutant("header/bits", variant, ctx.height, reseal(b, rng, False, False, bits=bits), "bad-diffbits")
    # A target the header cannot claim: CheckProofOfWork fails whatever the hash.
    return Mutant("header/bits", variant, ctx.height, reseal(b, rng, False, False, bits=bm.REGTEST_BITS), "high-hash")


def m_time_old(ctx, rng):
    mtp = ctx.mtp()
    variant = rng.choice(["=mtp", "=mtp-1", "=0"])
    b = ctx.template.copy()
    b.header.time = {"=mtp": mtp, "=mtp-1": mtp - 1, "=0": 0}[variant]
    return Mutant("header/time-too-old", variant, ctx.height, reseal(b, rng, False, False), "time-too-old")


def m_time_new(ctx, rng):
    variant = rng.choice(["0xf0000000", "0xffffffff"])
    b = ctx.template.copy()
    b.header.time = int(variant, 16)
    return Mutant("header/time-too-new", variant, ctx.height, reseal(b, rng, False, False), "time-too-new",
                  note="rusty-verify's clock is now+400,000,000 s, still below these times")


def m_version(ctx, rng):
    v = rng.choice([0, 1, 2, 3, -1, -0x80000000])
    b = ctx.template.copy()
    b.header.version = v
    return Mutant("header/version", str(v), ctx.height, reseal(b, rng, False, False), f"bad-version(0x{v & 0xFFFFFFFF:08x})")


def m_prev(ctx, rng):
    b = ctx.template.copy()
    b.header.prev = rng.randbytes(32)
    return Mutant("header/prev-unknown", "random", ctx.height, reseal(b, rng, False, False), "prev-blk-not-found")


def m_merkle(ctx, rng):
    b = ctx.template.copy()
    bit = rng.randrange(256)
    b.header.merkle = flip_byte(b.header.merkle, bit // 8, 1 << (bit % 8))
    return Mutant("header/merkle-root", f"bit{bit}", ctx.height, reseal(b, rng, False, False), "bad-txnmrklroot")


def m_cb_amount(ctx, rng):
    b = ctx.template.copy()
    b.txs[0].vout[0].amount += 1
    return Mutant("coinbase/amount+1", "+1 sat", ctx.height, reseal(b, rng), "bad-cb-amount")


def m_cb_height(ctx, rng):
    h = ctx.height
    variant = rng.choice(["h+1", "h-1", "non-minimal", "missing"])
    b = ctx.template.copy()
    _push, rest = coinbase_rest(b.txs[0])
    if variant == "h+1":
        prefix = bm.bip34_prefix(h + 1)
    elif variant == "h-1":
        prefix = bm.bip34_prefix(h - 1)
    elif variant == "non-minimal":
        prefix = btc.push_raw(h.to_bytes(4, "little"))
    else:
        prefix = b""
        rest = b"\x6a\x6a" if len(rest) < 2 else rest   # keep 2..100 bytes
    b.txs[0].vin[0].script_sig = prefix + rest
    return Mutant("coinbase/bip34-height", variant, h, reseal(b, rng), "bad-cb-height")


def m_cb_length(ctx, rng):
    variant = rng.choice(["1-byte", "101-bytes"])
    b = ctx.template.copy()
    push, _rest = coinbase_rest(b.txs[0])
    if variant == "1-byte":
        b.txs[0].vin[0].script_sig = push[:1]
    else:
        b.txs[0].vin[0].script_sig = push + b"\x00" * (101 - len(push))
    return Mutant("coinbase/scriptsig-length", variant, ctx.height, reseal(b, rng), "bad-cb-length")


def m_cb_missing(ctx, rng):
    b = ctx.template.copy()
    variant = rng.choice(["prevout-not-null", "coinbase-removed"] if len(b.txs) > 1 else ["prevout-not-null"])
    if variant == "coinbase-removed":
        b.txs.pop(0)
        return Mutant("coinbase/missing", variant, ctx.height, reseal(b, rng, commitment=False), "bad-cb-missing")
    b.txs[0].vin[0].prev_txid = rng.randbytes(32)
    b.txs[0].vin[0].prev_index = 0
    return Mutant("coinbase/missing", variant, ctx.height, reseal(b, rng), "bad-cb-missing")


def m_cb_multiple(ctx, rng):
    b = ctx.template.copy()
    second = b.txs[0].copy()
    second.vin[0].script_sig += b"\x01"
    second.vin[0].witness = []
    second.vout = [TxOut(0, OP_TRUE_SCRIPT)]
    pos = rng.randrange(1, len(b.txs) + 1)
    b.txs.insert(pos, second)
    return Mutant("coinbase/multiple", f"at-{pos}", ctx.height, reseal(b, rng), "bad-cb-multiple")


def m_cb_nonfinal(ctx, rng):
    h = ctx.height
    variant = rng.choice(["locktime=h", "locktime=h+500", "locktime=mtp(time)", "control:locktime=h-1"])
    b = ctx.template.copy()
    cb = b.txs[0]
    cb.vin[0].sequence = 0
    expect = "bad-txns-nonfinal"
    if variant == "locktime=h":
        cb.locktime = h
    elif variant == "locktime=h+500":
        cb.locktime = h + 500
    elif variant == "locktime=mtp(time)":
        cb.locktime = ctx.mtp()   # BIP113: final only if locktime < median time past
    else:
        cb.locktime = h - 1
        expect = "valid"
    return Mutant("coinbase/nonfinal", variant, h, reseal(b, rng), expect, may_accept=expect == "valid")


def m_cb_sigops(ctx, rng):
    variant = rng.choice(["20001xCHECKSIG", "1001xCHECKMULTISIG", "20000xCHECKSIG(boundary)"])
    b = ctx.template.copy()
    if variant.startswith("20001"):
        script, expect = bytes([btc.OP_CHECKSIG]) * 20001, "bad-blk-sigops"
    elif variant.startswith("1001"):
        script, expect = bytes([btc.OP_CHECKMULTISIG]) * 1001, "bad-blk-sigops"
    else:
        # Exactly 80,000 legacy sigop cost; each P2WPKH input adds 1 witness sigop.
        script = bytes([btc.OP_CHECKSIG]) * 20000
        expect = "bad-blk-sigops" if ctx.p2wpkh_inputs() else "valid"
    b.txs[0].vout.insert(1, TxOut(0, script))
    return Mutant("coinbase/sigops", variant, ctx.height, reseal(b, rng), expect, may_accept=expect == "valid")


def m_vout_range(ctx, rng):
    variant = rng.choice(["negative", "above-max-money", "total-above-max-money"])
    b = ctx.template.copy()
    tx = b.txs[rng.choice(ctx.spends())] if ctx.spends() and rng.random() < 0.5 else b.txs[0]
    where = "coinbase" if tx is b.txs[0] else "spend"
    if variant == "negative":
        tx.vout.append(TxOut(-1, OP_TRUE_SCRIPT))
        expect = "bad-txns-vout-negative"
    elif variant == "above-max-money":
        tx.vout.append(TxOut(MAX_MONEY + 1, OP_TRUE_SCRIPT))
        expect = "bad-txns-vout-toolarge"
    else:
        tx.vout.append(TxOut(MAX_MONEY, OP_TRUE_SCRIPT))
        tx.vout.append(TxOut(MAX_MONEY, OP_TRUE_SCRIPT))
        expect = "bad-txns-txouttotal-toolarge"
    return Mutant("tx/output-range", f"{variant}({where})", ctx.height, reseal(b, rng), expect)


def m_commitment_wrong(ctx, rng):
    b = ctx.template.copy()
    idx = b.commitment_index()
    if idx is None:
        return None
    pos = rng.randrange(6, 38)
    s = b.txs[0].vout[idx].script_pubkey
    b.txs[0].vout[idx].script_pubkey = flip_byte(s, pos, 1 << rng.randrange(8))
    return Mutant("witness/commitment-wrong", f"byte{pos}", ctx.height,
                  reseal(b, rng, commitment=False), "bad-witness-merkle-match")


def m_commitment_missing(ctx, rng):
    b = ctx.template.copy()
    idx = b.commitment_index()
    if idx is None:
        return None
    variant = rng.choice(["coinbase-witness-kept", "coinbase-witness-stripped"])
    b.txs[0].vout.pop(idx)
    if variant == "coinbase-witness-stripped":
        b.txs[0].vin[0].witness = []
    any_witness = any(t.has_witness() for t in b.txs)
    expect = "unexpected-witness" if any_witness else "valid"
    return Mutant("witness/commitment-missing", variant, ctx.height, reseal(b, rng, commitment=False), expect,
                  may_accept=expect == "valid")


def m_nonce_size(ctx, rng):
    b = ctx.template.copy()
    variant = rng.choice(["33-bytes", "31-bytes", "no-item", "two-items"])
    w = {"33-bytes": [b"\x00" * 33], "31-bytes": [b"\x00" * 31], "no-item": [],
         "two-items": [b"\x00" * 32, b"\x00" * 32]}[variant]
    if b.commitment_index() is None:
        return None
    b.txs[0].vin[0].witness = w
    # txids are unchanged: header and hash stay the valid block's.
    return Mutant("witness/reserved-value-size", variant + " (same header)", ctx.height, b.serialize(),
                  "bad-witness-nonce-size")


def m_nonce_value(ctx, rng):
    b = ctx.template.copy()
    if b.commitment_index() is None:
        return None
    b.txs[0].vin[0].witness = [rng.randbytes(32)]
    return Mutant("witness/reserved-value", "random 32 bytes (same header)", ctx.height, b.serialize(),
                  "bad-witness-merkle-match")


def m_sig_flip(ctx, rng):
    inputs = ctx.witness_inputs()
    if not inputs:
        return None
    t, i = rng.choice(inputs)
    b = ctx.template.copy()
    sig = b.txs[t].vin[i].witness[0]
    pos = rng.randrange(len(sig))
    b.txs[t].vin[i].witness[0] = flip_byte(sig, pos, 1 << rng.randrange(8))
    kind = "p2wpkh" if len(b.txs[t].vin[i].witness) == 2 else "taproot"
    recommit = rng.random() < 0.75
    if recommit:
        return Mutant("witness/signature-flip", f"{kind} byte {pos}/{len(sig)}", ctx.height, reseal(b, rng), SCRIPT_FAIL)
    return Mutant("witness/signature-flip-uncommitted", f"{kind} (same header)", ctx.height, b.serialize(),
                  "bad-witness-merkle-match")


def m_pubkey_flip(ctx, rng):
    inputs = ctx.p2wpkh_inputs()
    if not inputs:
        return None
    t, i = rng.choice(inputs)
    b = ctx.template.copy()
    pk = b.txs[t].vin[i].witness[1]
    pos = rng.randrange(1, 33)
    b.txs[t].vin[i].witness[1] = flip_byte(pk, pos, 1 << rng.randrange(8))
    return Mutant("witness/pubkey-flip", f"byte {pos}", ctx.height, reseal(b, rng), SCRIPT_FAIL)


def m_witness_shape(ctx, rng):
    inputs = ctx.witness_inputs()
    if not inputs:
        return None
    t, i = rng.choice(inputs)
    b = ctx.template.copy()
    variant = rng.choice(["dropped", "extra-item", "annex"])
    w = b.txs[t].vin[i].witness
    kind = "p2wpkh" if len(w) == 2 else "taproot"
    if variant == "dropped":
        b.txs[t].vin[i].witness = []
    elif variant == "extra-item":
        b.txs[t].vin[i].witness = w + [b"\x01\x02"]
    else:
        b.txs[t].vin[i].witness = w + [b"\x50\x00"]
    return Mutant("witness/stack-shape", f"{variant} ({kind})", ctx.height, reseal(b, rng), SCRIPT_FAIL)


def m_double_spend_block(ctx, rng):
    if not ctx.spends():
        return None
    b = ctx.template.copy()
    t = rng.choice(ctx.spends())
    dup = b.txs[t].copy()
    dup.vout[0].amount -= 1
    pos = rng.randrange(t + 1, len(b.txs) + 1)
    b.txs.insert(pos, dup)
    return Mutant("tx/double-spend-in-block", f"tx{t} again at {pos}", ctx.height, reseal(b, rng),
                  "bad-txns-inputs-missingorspent")


def m_double_spend_tx(ctx, rng):
    if not ctx.spends():
        return None
    b = ctx.template.copy()
    t = rng.choice(ctx.spends())
    tx = b.txs[t]
    src = rng.randrange(len(tx.vin))
    copy = TxIn(tx.vin[src].prev_txid, tx.vin[src].prev_index, b"", tx.vin[src].sequence, list(tx.vin[src].witness))
    tx.vin.insert(rng.randrange(len(tx.vin) + 1), copy)
    return Mutant("tx/duplicate-input", f"tx{t}", ctx.height, reseal(b, rng), "bad-txns-inputs-duplicate")


def _append(ctx, rng, tx: Tx, kind: str, variant: str, expect: str, position: int | None = None) -> Mutant:
    b = ctx.template.copy()
    if position is None:
        b.txs.append(tx)
    else:
        b.txs.insert(position, tx)
    return Mutant(kind, variant, ctx.height, reseal(b, rng), expect)


def m_spend_spent(ctx, rng):
    if not ctx.spent:
        return None
    outpoint = rng.choice(sorted(ctx.spent))
    return _append(ctx, rng, plain_spend([outpoint]), "tx/spend-already-spent",
                   f"spent at height {ctx.spent[outpoint]}", "bad-txns-inputs-missingorspent")


def m_spend_missing(ctx, rng):
    options = ["unknown-txid", "genesis-coinbase"] + (["index-out-of-range"] if ctx.height >= 2 else [])
    variant = rng.choice(options)
    if variant == "unknown-txid":
        outpoint = (rng.randbytes(32), 0)
    elif variant == "genesis-coinbase":
        # The genesis coinbase is never added to the UTXO set.
        outpoint = (GENESIS_COINBASE_TXID, 0)
    else:
        outpoint = (ctx.coinbase_txids[ctx.height - 1], 7)
    return _append(ctx, rng, plain_spend([outpoint]), "tx/spend-missing", variant, "bad-txns-inputs-missingorspent")


def m_immature(ctx, rng):
    h = ctx.height
    options = []
    if h >= 2:
        options.append(("depth 1", h - 1, "bad-txns-premature-spend-of-coinbase"))
    if h - 99 >= 1 and (ctx.coinbase_txids[h - 99], 0) in ctx.utxo:
        options.append(("depth 99", h - 99, "bad-txns-premature-spend-of-coinbase"))
    if h - 100 >= 1 and (ctx.coinbase_txids[h - 100], 0) in ctx.utxo:
        # Mature: the maturity rule passes and the (unsigned) spend fails its script.
        options.append(("depth 100 (mature)", h - 100, SCRIPT_FAIL))
    if not options:
        return None
    variant, ch, expect = rng.choice(options)
    return _append(ctx, rng, plain_spend([(ctx.coinbase_txids[ch], 0)]), "tx/coinbase-maturity", variant, expect)


def m_in_belowout(ctx, rng):
    if not ctx.spends():
        return None
    b = ctx.template.copy()
    t = rng.choice(ctx.spends())
    value_in = ctx.input_value(b.txs[t])
    if value_in is None:
        return None
    fee = value_in - sum(o.amount for o in b.txs[t].vout)
    if fee <= 0:
        return None
    variant = rng.choice(["fee+1", "fee (output absorbs the fee)"])
    if variant == "fee+1":
        b.txs[t].vout[0].amount += fee + 1
        expect = "bad-txns-in-belowout"
    else:
        # Zero fee: amounts pass (the coinbase gives the fee up too), the
        # signature, which covers the outputs, fails.
        b.txs[t].vout[0].amount += fee
        b.txs[0].vout[0].amount -= fee
        expect = SCRIPT_FAIL
    return Mutant("tx/output-above-input", f"{variant} tx{t}", ctx.height, reseal(b, rng), expect)


def m_bip68(ctx, rng):
    if not ctx.spends():
        return None
    b = ctx.template.copy()
    t = rng.choice(ctx.spends())
    tx = b.txs[t]
    if tx.version < 2:
        return None
    i = rng.randrange(len(tx.vin))
    variant = rng.choice(["height-lock-5000", "time-lock-512s*0xffff", "disable-flag"])
    coin = ctx.utxo.get((tx.vin[i].prev_txid, tx.vin[i].prev_index))
    if coin is None:
        return None
    if variant == "height-lock-5000":
        tx.vin[i].sequence, expect = 5000, "bad-txns-nonfinal"
    elif variant.startswith("time"):
        # BIP68: locked until MTP(block before the coin's) + 0xffff*512 s; the
        # chain jumps from the 2011 genesis to 2023, so old coins may pass.
        tx.vin[i].sequence = (1 << 22) | 0xFFFF
        unlock = bm.median_time_past(ctx.times[:max(coin.height - 1, 0) + 1]) + (0xFFFF << 9) - 1
        expect = "bad-txns-nonfinal" if unlock >= ctx.mtp() else SCRIPT_FAIL
    else:
        tx.vin[i].sequence, expect = (1 << 31) | 5000, SCRIPT_FAIL   # no relative lock; sighash changed
    return Mutant("tx/bip68-sequence-lock", f"{variant} tx{t}", ctx.height, reseal(b, rng), expect)


def m_locktime(ctx, rng):
    if not ctx.spends():
        return None
    b = ctx.template.copy()
    t = rng.choice(ctx.spends())
    tx = b.txs[t]
    if all(txin.sequence == 0xFFFFFFFF for txin in tx.vin):
        return None
    h, mtp = ctx.height, ctx.mtp()
    variant = rng.choice(["height=h", "height=h-1", "time=mtp", "time=mtp-1"])
    tx.locktime, expect = {"height=h": (h, "bad-txns-nonfinal"), "height=h-1": (h - 1, SCRIPT_FAIL),
                           "time=mtp": (mtp, "bad-txns-nonfinal"), "time=mtp-1": (mtp - 1, SCRIPT_FAIL)}[variant]
    return Mutant("tx/locktime", f"{variant} tx{t}", h, reseal(b, rng), expect)


def m_vout_empty(ctx, rng):
    if not ctx.spends():
        return None
    b = ctx.template.copy()
    t = rng.choice(ctx.spends())
    b.txs[t].vout = []
    return Mutant("tx/no-outputs", f"tx{t}", ctx.height, reseal(b, rng), "bad-txns-vout-empty")


def m_prevout_null(ctx, rng):
    if not ctx.spends():
        return None
    b = ctx.template.copy()
    t = rng.choice(ctx.spends())
    b.txs[t].vin.append(TxIn(b"\x00" * 32, 0xFFFFFFFF, b"\x00\x00"))
    return Mutant("tx/null-prevout", f"tx{t}", ctx.height, reseal(b, rng), "bad-txns-prevout-null")


def m_order(ctx, rng):
    if not ctx.spends():
        return None
    t = rng.choice(ctx.spends())
    parent = ctx.template.txs[t]
    child = plain_spend([(parent.txid(), 0)])
    if rng.random() < 0.5:
        return _append(ctx, rng, child, "tx/in-block-order", "child before parent", "bad-txns-inputs-missingorspent", position=t)
    return _append(ctx, rng, child, "tx/in-block-order", "child after parent (unsigned)", SCRIPT_FAIL)


def m_dup_tx(ctx, rng):
    b = ctx.template.copy()
    n = len(b.txs)
    root = b.header.merkle
    for k in range(1, n):
        trial = btc.merkle_root([t.txid() for t in b.txs + b.txs[n - k:]])
        if trial == root:
            b.txs = b.txs + [t.copy() for t in b.txs[n - k:]]
            return Mutant("block/duplicate-txs", f"CVE-2012-2459 last {k} (same header)", ctx.height, b.serialize(),
                          "bad-txns-duplicate")
    # No same-root shape (e.g. a single transaction): duplicate, recompute the
    # root but not the commitment (that would change the coinbase copy's twin).
    b.txs.append(b.txs[-1].copy())
    return Mutant("block/duplicate-txs", f"last tx twice, root recomputed ({n}->{n + 1})", ctx.height,
                  reseal(b, rng, commitment=n > 1), "bad-txns-duplicate" if n == 1 else "?")


def m_empty(ctx, rng):
    b = ctx.template.copy()
    b.txs = []
    variant = rng.choice(["root-kept", "root-zero"])
    if variant == "root-zero":
        b.header.merkle = b"\x00" * 32
    return Mutant("block/no-transactions", variant, ctx.height, reseal(b, rng, False, False),
                  "bad-txnmrklroot" if variant == "root-kept" else "bad-blk-length")


def m_oversize(ctx, rng):
    options = ["length>1MB"]
    if ctx.witness_inputs():
        options += ["weight>4M", "weight=4M"]
    variant = rng.choice(options)
    b = ctx.template.copy()
    if variant == "length>1MB":
        stripped = 80 + 3 + sum(len(t.serialize(False)) for t in b.txs)
        pad = 1_000_001 - stripped
        b.txs[0].vout.insert(1, TxOut(0, b"\x6a" + b"\x00" * pad))
        return Mutant("block/oversize", variant, ctx.height, reseal(b, rng), "bad-blk-length")
    t, i = rng.choice(ctx.witness_inputs())
    target = 4_000_001 if variant == "weight>4M" else 4_000_000
    item_len = target - b.weight()
    for _ in range(8):
        b.txs[t].vin[i].witness = ctx.template.txs[t].vin[i].witness + [b"\x00" * item_len]
        b.fix_commitment()
        b.fix_merkle()
        delta = target - b.weight()
        if delta == 0:
            break
        item_len += delta
    if b.weight() != target:
        return None
    expect = "bad-blk-weight" if target > 4_000_000 else SCRIPT_FAIL
    return Mutant("block/oversize", variant, ctx.height, reseal(b, rng), expect)


# Parents of the child / resubmission cases: mutants whose fate in Core's
# block index differs. Core runs CheckBlock (and the PoW/header checks) before
# a block's header enters the index: such failures leave no trace, and a
# child finds no parent. Failures after that (contextual checks, connecting)
# mark the indexed block invalid, unless the result is MUTATED (the witness
# data or transaction list does not match what the header commits to).
PARENT_KINDS = ["coinbase/amount+1", "coinbase/bip34-height", "header/version", "header/time-too-old",
                "header/merkle-root", "coinbase/missing", "coinbase/multiple", "coinbase/scriptsig-length",
                "tx/output-range", "tx/duplicate-input", "tx/no-outputs", "block/oversize", "block/duplicate-txs",
                "witness/reserved-value-size", "witness/commitment-wrong", "witness/commitment-missing",
                "witness/signature-flip", "tx/locktime", "tx/double-spend-in-block", "tx/null-prevout",
                "coinbase/nonfinal"]
NOT_INDEXED = {"bad-txnmrklroot", "bad-txns-duplicate", "bad-blk-length", "bad-cb-missing", "bad-cb-multiple",
               "bad-cb-length", "bad-txns-vout-negative", "bad-txns-vout-toolarge", "bad-txns-txouttotal-toolarge",
               "bad-txns-inputs-duplicate", "bad-txns-prevout-null", "bad-txns-vout-empty", "high-hash",
               "time-too-old", "time-too-new", "bad-diffbits", "prev-blk-not-found"}
MUTATED_CONTEXTUAL = {"bad-witness-nonce-size", "bad-witness-merkle-match", "unexpected-witness"}


def parent_fate(expect: str) -> str:
    """"valid", "not-indexed", "indexed" (not marked) or "marked" in Core."""
    if expect == "valid":
        return "valid"
    if expect in NOT_INDEXED or expect.startswith("bad-version("):
        return "not-indexed"
    if expect in MUTATED_CONTEXTUAL:
        return "indexed"
    if expect == "?":
        return "?"
    return "marked"


def _parent(ctx, rng):
    kinds = list(PARENT_KINDS)
    rng.shuffle(kinds)
    for kind in kinds:
        m = MUTATIONS[kind](ctx, rng)
        if m is not None and not m.pre:
            return m
    return None


def m_child(ctx, rng):
    if ctx.height >= ctx.tip_height - 1:
        return None
    parent = _parent(ctx, rng)
    if parent is None:
        return None
    child = make_child(parent.raw, ctx, rng)
    fate = parent_fate(parent.expect)
    expect = {"valid": "valid", "not-indexed": "prev-blk-not-found", "indexed": "valid",
              "marked": "bad-prevblk", "?": "?"}[fate]
    # "valid" for an indexed parent: the child is stored, not connected (its
    # parent has no data), unless the parent's header is the valid block's.
    if fate == "not-indexed" and Block.parse(parent.raw).hash() == ctx.template.hash():
        expect = "?"   # the valid header may be indexed already by an earlier same-header mutant
    return Mutant("block/child-of-invalid", f"parent {parent.kind} ({parent.variant})", ctx.height + 1, child, expect,
                  pre=[("parent", parent.raw)], may_accept=True, note=f"parent fate in Core: {fate}")


def m_resubmit_invalid(ctx, rng):
    first = _parent(ctx, rng)
    if first is None:
        return None
    fate = parent_fate(first.expect)
    expect = {"valid": "duplicate", "marked": "duplicate-invalid"}.get(fate, first.expect)
    return Mutant("block/resubmit-invalid", f"{first.kind} ({first.variant})", ctx.height, first.raw, expect,
                  pre=[("first submission", first.raw)], may_accept=fate in ("valid", "?"),
                  note=f"first submission's fate in Core: {fate}")


def m_resubmit_valid(ctx, rng):
    if ctx.height < 2:
        return None
    old = rng.randrange(1, ctx.height)
    return Mutant("block/resubmit-valid", f"height {old}", ctx.height, ctx.valid_raws[old - 1], "duplicate")


def m_control(ctx, rng):
    """Changes that keep the block valid: both sides must accept (and the
    variant becomes the tip)."""
    variant = rng.choice(["version=4", "version=0x7fffffff", "time=mtp+1", "coinbase pays 1 sat less",
                          "extra OP_RETURN output", "nonce re-ground"])
    b = ctx.template.copy()
    if variant == "version=4":
        b.header.version = 4
    elif variant == "version=0x7fffffff":
        b.header.version = 0x7FFFFFFF
    elif variant == "time=mtp+1":
        b.header.time = ctx.mtp() + 1
    elif variant == "coinbase pays 1 sat less":
        b.txs[0].vout[0].amount -= 1
    elif variant == "extra OP_RETURN output":
        b.txs[0].vout.insert(1, TxOut(0, b"\x6a\x04test"))
    else:
        bm.grind(b.header, start=b.header.nonce + 1)
        return Mutant("control/valid-variant", variant, ctx.height, b.serialize(), "valid", may_accept=True)
    return Mutant("control/valid-variant", variant, ctx.height, reseal(b, rng), "valid", may_accept=True)


MUTATIONS = {
    "header/pow": m_pow,
    "header/bits": m_bits,
    "header/time-too-old": m_time_old,
    "header/time-too-new": m_time_new,
    "header/version": m_version,
    "header/prev-unknown": m_prev,
    "header/merkle-root": m_merkle,
    "coinbase/amount+1": m_cb_amount,
    "coinbase/bip34-height": m_cb_height,
    "coinbase/scriptsig-length": m_cb_length,
    "coinbase/missing": m_cb_missing,
    "coinbase/multiple": m_cb_multiple,
    "coinbase/nonfinal": m_cb_nonfinal,
    "coinbase/sigops": m_cb_sigops,
    "tx/output-range": m_vout_range,
    "witness/commitment-wrong": m_commitment_wrong,
    "witness/commitment-missing": m_commitment_missing,
    "witness/reserved-value-size": m_nonce_size,
    "witness/reserved-value": m_nonce_value,
    "witness/signature-flip": m_sig_flip,
    "witness/pubkey-flip": m_pubkey_flip,
    "witness/stack-shape": m_witness_shape,
    "tx/double-spend-in-block": m_double_spend_block,
    "tx/duplicate-input": m_double_spend_tx,
    "tx/spend-already-spent": m_spend_spent,
    "tx/spend-missing": m_spend_missing,
    "tx/coinbase-maturity": m_immature,
    "tx/output-above-input": m_in_belowout,
    "tx/bip68-sequence-lock": m_bip68,
    "tx/locktime": m_locktime,
    "tx/no-outputs": m_vout_empty,
    "tx/null-prevout": m_prevout_null,
    "tx/in-block-order": m_order,
    "block/duplicate-txs": m_dup_tx,
    "block/no-transactions": m_empty,
    "block/oversize": m_oversize,
    "block/child-of-invalid": m_child,
    "block/resubmit-invalid": m_resubmit_invalid,
    "block/resubmit-valid": m_resubmit_valid,
    "control/valid-variant": m_control,
}

# Generators that only apply where the block has non-coinbase transactions.
NEEDS_SPENDS = {
    "witness/signature-flip", "witness/pubkey-flip", "witness/stack-shape", "tx/double-spend-in-block",
    "tx/duplicate-input", "tx/output-above-input", "tx/bip68-sequence-lock", "tx/locktime",
    "tx/no-outputs", "tx/null-prevout", "tx/in-block-order",
}
# Cases that can move a tip (controls, stored children): not at the last heights.
MAY_MOVE_TIP = {"control/valid-variant", "block/child-of-invalid", "block/resubmit-invalid", "coinbase/nonfinal",
                "coinbase/sigops", "witness/commitment-missing"}
# Generators that need an output spent before the block.
NEEDS_SPENT_BEFORE = {"tx/spend-already-spent"}
