"""Mutations of valid spends.

Each mutation takes a freshly signed transaction, damages (or subtly
changes) one aspect of it, and says which input to verify. Some mutations
re-sign afterwards so that only the rule under test can fail (timelocks,
NULLDUMMY, key encodings). Where the outcome under consensus rules is
certain, the mutation also states the expected verdict; the kernel-only
self-check holds the kernel to it.
"""

from __future__ import annotations

import random
from typing import Callable

import btc
import spends
from btc import TxOut, push
from ecc import N, der_decode, der_encode
from spends import (F_CLTV, F_CSV, F_DERSIG, F_NULLDUMMY, F_P2SH, F_TAPROOT, F_WITNESS,
                    LOCKTIME_THRESHOLD, SEQ_DISABLE, SignedTx, build_signed_tx, random_flags,
                    verify_request)

Result = tuple[int, bool | None]  # (input index to verify, expected verdict or None)


# ---------------------------------------------------------------- element access


def _script_elems(script_sig: bytes) -> list[bytes] | None:
    """Data elements of a push-only scriptSig (None if it is not one)."""
    elems = []
    for op, data, _ in btc.iter_ops(script_sig):
        if op is None or op > btc.OP_16 or op == btc.OP_RESERVED:
            return None
        if data is not None:
            elems.append(data)
        elif op == btc.OP_0:
            elems.append(b"")
        elif op == btc.OP_1NEGATE:
            elems.append(b"\x81")
        else:
            elems.append(bytes([op - btc.OP_1 + 1]))
    return elems


def _elements(st: SignedTx, idx: int) -> list[tuple[str, int, bytes]]:
    """Every stack element of input idx as (where, position, value)."""
    txin = st.tx.vin[idx]
    out = [("w", i, e) for i, e in enumerate(txin.witness)]
    elems = _script_elems(txin.script_sig) or []
    out += [("s", i, e) for i, e in enumerate(elems)]
    return out


def _set_element(st: SignedTx, idx: int, where: str, pos: int, value: bytes) -> None:
    txin = st.tx.vin[idx]
    if where == "w":
        txin.witness[pos] = value
    else:
        elems = _script_elems(txin.script_sig)
        elems[pos] = value
        txin.script_sig = b"".join(push(e) for e in elems)


def _is_der_sig(e: bytes) -> bool:
    if not 9 <= len(e) <= 73 or e[0] != 0x30 or e[1] != len(e) - 3 or e[2] != 0x02:
        return False
    lr = e[3]
    return 5 + lr < len(e) and e[4 + lr] == 0x02 and 6 + lr + e[5 + lr] == len(e) - 1


def _sigs(st: SignedTx, idx: int) -> list[tuple[str, int, bytes]]:
    """Signature elements of input idx (DER+hashtype or 64/65-byte Schnorr)."""
    sp = st.spends[idx]
    if sp.sig_kind == "ecdsa":
        return [x for x in _elements(st, idx) if _is_der_sig(x[2])]
    return [x for x in _elements(st, idx) if x[0] == "w" and len(x[2]) in (64, 65)
            and x[2] != sp.extra.get("control")]


def _checked(st: SignedTx, idx: int, flags: int) -> bool:
    """True when input idx's signatures/inner script actually run under
    these flags (P2SH, witness and tapscript wrappers only run when their
    flag is set; otherwise the outer check passes on its own)."""
    kind = st.spends[idx].kind.split("/")[0]
    need = {"p2pk": 0, "p2pk_uncompressed": 0, "p2pkh": 0, "bare": 0, "p2sh": F_P2SH,
            "p2wpkh": F_WITNESS, "p2wpkh_uncompressed": F_WITNESS, "p2sh_p2wpkh": F_WITNESS,
            "p2wsh": F_WITNESS, "p2sh_p2wsh": F_WITNESS, "p2tr_key": F_TAPROOT,
            "p2tr_script": F_TAPROOT}[kind]
    return (flags & need) == need


def _schnorr_expect(st: SignedTx, idx: int, flags: int) -> bool | None:
    """A damaged Schnorr signature: invalid iff taproot rules apply."""
    if st.spends[idx].sig_kind != "schnorr":
        return None
    return not _checked(st, idx, flags)


# ---------------------------------------------------------------- mutations
# Each returns (input index, expected) or None when it does not apply.


def m_sig_bitflip(rng, st: SignedTx, flags: int):
    idx = rng.randrange(len(st.spends))
    sigs = _sigs(st, idx)
    if not sigs:
        return None
    where, pos, sig = rng.choice(sigs)
    i = rng.randrange(len(sig))
    _set_element(st, idx, where, pos, sig[:i] + bytes([sig[i] ^ (1 << rng.randrange(8))]) + sig[i + 1:])
    return idx, _schnorr_expect(st, idx, flags)


def m_hashtype_byte(rng, st, flags):
    idx = rng.randrange(len(st.spends))
    sigs = _sigs(st, idx)
    if not sigs:
        return None
    where, pos, sig = rng.choice(sigs)
    if len(sig) == 64:
        new = sig + bytes([rng.choice([0x00, 0x01, 0x04, 0x80, 0x84])])
    else:
        new = sig[:-1] + bytes([rng.choice([b for b in range(256) if b != sig[-1]])])
    _set_element(st, idx, where, pos, new)
    return idx, _schnorr_expect(st, idx, flags)


def m_schnorr_drop_hashtype(rng, st, flags):
    """65-byte Schnorr sig -> 64 bytes (commits to a different hash type)."""
    cands = [(i, s) for i in range(len(st.spends)) for s in _sigs(st, i)
             if st.spends[i].sig_kind == "schnorr" and len(s[2]) == 65]
    if not cands:
        return None
    idx, (where, pos, sig) = rng.choice(cands)
    _set_element(st, idx, where, pos, sig[:64])
    return idx, _schnorr_expect(st, idx, flags)


def m_high_s(rng, st, flags):
    """s -> n - s. LOW_S is policy only: still valid by consensus, even
    with DERSIG (strict DER says nothing about S's magnitude)."""
    cands = [(i, s) for i in range(len(st.spends)) if st.spends[i].sig_kind == "ecdsa"
             for s in _sigs(st, i)]
    if not cands:
        return None
    idx, (where, pos, sig) = rng.choice(cands)
    r, s = der_decode(sig[:-1])
    _set_element(st, idx, where, pos, der_encode(r, N - s) + sig[-1:])
    # (A FindAndDelete spend embeds the original signature in its script,
    # so changing the signature changes scriptCode: not certain there.)
    return idx, None if st.spends[idx].spk_from_sig else True


def m_der_padding(rng, st, flags):
    """Non-minimal DER (an extra 0x00 before R or S, or an extra length
    byte). Valid without DERSIG, invalid with it."""
    cands = [(i, s) for i in range(len(st.spends)) if st.spends[i].sig_kind == "ecdsa"
             for s in _sigs(st, i)]
    if not cands:
        return None
    idx, (where, pos, sig) = rng.choice(cands)
    der, ht = sig[:-1], sig[-1:]
    lr = der[3]
    rb, sb = der[4:4 + lr], der[6 + lr:]
    if rng.random() < 0.5:
        rb = b"\x00" + rb
    else:
        sb = b"\x00" + sb
    body = b"\x02" + bytes([len(rb)]) + rb + b"\x02" + bytes([len(sb)]) + sb
    new = b"\x30" + bytes([len(body)]) + body + ht
    if len(new) > 73 + 1:
        return None
    _set_element(st, idx, where, pos, new)
    if st.spends[idx].spk_from_sig:
        return idx, None
    return idx, not (flags & F_DERSIG and _checked(st, idx, flags))


def m_der_garbage(rng, st, flags):
    """Other DER damage: wrong total length, trailing byte, negative R."""
    cands = [(i, s) for i in range(len(st.spends)) if st.spends[i].sig_kind == "ecdsa"
             for s in _sigs(st, i)]
    if not cands:
        return None
    idx, (where, pos, sig) = rng.choice(cands)
    der, ht = sig[:-1], sig[-1:]
    r = rng.random()
    if r < 0.3:
        der = der[:1] + bytes([(der[1] + rng.choice([-1, 1, 2])) & 0xFF]) + der[2:]
    elif r < 0.5:
        der = der + b"\x00"
    elif r < 0.7 and der[4] == 0 and der[3] > 1:
        der = der[:3] + bytes([der[3] - 1]) + der[5:]
        der = der[:1] + bytes([len(der) - 2]) + der[2:]
    elif r < 0.85:
        der = der[:rng.randint(0, len(der) - 1)]
    else:
        der = b"\x30\x06\x02\x01\x00\x02\x01\x00"  # r = s = 0
    _set_element(st, idx, where, pos, der + ht)
    return idx, None


def m_amount(rng, st, flags):
    """Change the amount of the verified input (matters for witness v0 and
    taproot) or of another input (matters only for taproot)."""
    idx = rng.randrange(len(st.spends))
    j = idx if rng.random() < 0.7 else rng.randrange(len(st.spends))
    old = st.spent[j]
    new = max(0, old.amount + rng.choice([-1, 1, 1000, -old.amount]))
    if new == old.amount:
        new += 1
    st.spent[j] = TxOut(new, old.script_pubkey)
    return idx, None


def m_other_spk(rng, st, flags):
    """Change the scriptPubKey of a different input (taproot commits to all)."""
    if len(st.spends) < 2:
        return None
    idx = rng.randrange(len(st.spends))
    j = rng.choice([k for k in range(len(st.spends)) if k != idx])
    st.spent[j] = TxOut(st.spent[j].amount, st.spent[j].script_pubkey + b"\x51")
    return idx, None


def m_sequence(rng, st, flags):
    idx = rng.randrange(len(st.spends))
    j = rng.randrange(len(st.spends))
    st.tx.vin[j].sequence ^= 1 << rng.randrange(32)
    return idx, None


def m_locktime_version(rng, st, flags):
    idx = rng.randrange(len(st.spends))
    if rng.random() < 0.5:
        st.tx.locktime ^= 1 << rng.randrange(32)
    else:
        v = (st.tx.version & 0xFFFFFFFF) ^ (1 << rng.randrange(32))
        st.tx.version = v - 2**32 if v >= 2**31 else v
    return idx, None


def m_outputs(rng, st, flags):
    idx = rng.randrange(len(st.spends))
    r = rng.random()
    if r < 0.4 and st.tx.vout:
        o = rng.randrange(len(st.tx.vout))
        st.tx.vout[o] = TxOut(st.tx.vout[o].amount + 1, st.tx.vout[o].script_pubkey)
    elif r < 0.7 and st.tx.vout:
        del st.tx.vout[rng.randrange(len(st.tx.vout))]
    else:
        st.tx.vout.append(TxOut(rng.randint(0, 10**8), b"\x51"))
    return idx, None


def m_prevout(rng, st, flags):
    idx = rng.randrange(len(st.spends))
    j = rng.randrange(len(st.spends))
    st.tx.vin[j].prev_index ^= 1
    return idx, None


def m_swap_inputs(rng, st, flags):
    """Swap two inputs (with their spent outputs); signatures commit to the
    input position unless ANYONECANPAY... mostly."""
    if len(st.spends) < 2:
        return None
    a, b = rng.sample(range(len(st.spends)), 2)
    vin, sp, spends = st.tx.vin, st.spent, st.spends
    vin[a], vin[b] = vin[b], vin[a]
    sp[a], sp[b] = sp[b], sp[a]
    spends[a], spends[b] = spends[b], spends[a]
    return a, None


def m_witness_shape(rng, st, flags):
    """Drop, duplicate or add witness items; empty the witness."""
    cands = [i for i in range(len(st.spends)) if st.tx.vin[i].witness]
    if not cands:
        return None
    idx = rng.choice(cands)
    w = st.tx.vin[idx].witness
    r = rng.random()
    if r < 0.25:
        del w[rng.randrange(len(w))]
    elif r < 0.45:
        w.insert(0, rng.choice([b"", b"\x01", rng.randbytes(20)]))
    elif r < 0.6:
        w.append(rng.choice([b"", b"\x50", b"\x50\x00", rng.randbytes(5)]))
    elif r < 0.75:
        st.tx.vin[idx].witness = []
    elif r < 0.9 and len(w) >= 2:
        i, j = rng.sample(range(len(w)), 2)
        w[i], w[j] = w[j], w[i]
    else:
        w[-1] = w[-1] + b"\x00"
    return idx, None


def m_scriptsig(rng, st, flags):
    """Extra push, a non-push opcode, or a scriptSig on a native witness
    spend (WITNESS_MALLEATED)."""
    idx = rng.randrange(len(st.spends))
    txin = st.tx.vin[idx]
    r = rng.random()
    if r < 0.4:
        txin.script_sig = push(rng.choice([b"", b"\x01", rng.randbytes(9)])) + txin.script_sig
    elif r < 0.7:
        txin.script_sig = bytes([rng.choice([btc.OP_NOP, btc.OP_1, btc.OP_DUP])]) + txin.script_sig
    else:
        txin.script_sig = txin.script_sig + bytes([rng.choice([btc.OP_NOP, btc.OP_0, btc.OP_DROP])])
    return idx, None


def m_nulldummy(rng, st, flags):
    """Non-empty CHECKMULTISIG dummy, re-signed: invalid with NULLDUMMY,
    valid without it."""
    cands = [i for i, s in enumerate(st.spends) if s.multisig_dummy]
    if not cands:
        return None
    idx = rng.choice(cands)
    dummy = rng.choice([b"\x01", b"\x00", b"\x81", rng.randbytes(3)])
    txin = st.tx.vin[idx]
    if txin.witness:
        txin.witness[0] = dummy
    else:
        _set_element(st, idx, "s", 0, dummy)
    return idx, not (flags & F_NULLDUMMY and _checked(st, idx, flags))


def m_timelock(rng, st, flags):
    """Re-signed tx that breaks a CLTV/CSV condition: valid only when the
    corresponding flag is off."""
    cands = [i for i, s in enumerate(st.spends)
             if s.extra.get("template") is not None and s.extra["template"].name in ("cltv", "csv")]
    if not cands:
        return None
    idx = rng.choice(cands)
    tpl = st.spends[idx].extra["template"]
    txin = st.tx.vin[idx]
    # Read the <n> the script checks.
    first = next(btc.iter_ops(tpl.script))
    n = int.from_bytes(first[1] or b"", "little") if first[1] is not None else (
        0 if first[0] == btc.OP_0 else first[0] - btc.OP_1 + 1)
    if tpl.name == "cltv":
        r = rng.random()
        if r < 0.4:
            txin.sequence = 0xFFFFFFFF
        elif r < 0.7 and n > 0 and n != LOCKTIME_THRESHOLD:
            st.tx.locktime = n - 1
        else:
            st.tx.locktime = (rng.randint(LOCKTIME_THRESHOLD, 0xFFFFFFFF) if n < LOCKTIME_THRESHOLD
                              else rng.randint(0, LOCKTIME_THRESHOLD - 1))
        flag = F_CLTV
    else:
        r = rng.random()
        if r < 0.3:
            st.tx.version = rng.choice([0, 1])
        elif r < 0.55:
            txin.sequence |= SEQ_DISABLE
        elif r < 0.8 and (n & 0xFFFF) > 0:
            txin.sequence = (txin.sequence & ~0xFFFF) | rng.randint(0, (n & 0xFFFF) - 1)
        else:
            txin.sequence ^= 1 << 22
        flag = F_CSV
    st.refinalize()
    return idx, not (flags & flag and _checked(st, idx, flags))


def m_hybrid_key(rng, st, flags):
    """P2PK with the uncompressed key re-encoded as hybrid (0x06/0x07),
    re-signed. Consensus accepts hybrid keys with the right parity."""
    cands = [i for i, s in enumerate(st.spends) if s.kind == "p2pk_uncompressed"]
    if not cands:
        return None
    idx = rng.choice(cands)
    sp = st.spends[idx]
    key = sp.extra["key"]
    pub = key.pubkey(False)
    right = 6 + (pub[64] & 1)
    prefix = right if rng.random() < 0.6 else right ^ 1
    sp.spk = push(bytes([prefix]) + pub[1:]) + bytes([btc.OP_CHECKSIG])
    st.spent[idx] = TxOut(st.spent[idx].amount, sp.spk)
    st.refinalize()
    return idx, prefix == right


def m_control_block(rng, st, flags):
    """Damage the taproot control block: parity bit, leaf version, path,
    length."""
    cands = [i for i, s in enumerate(st.spends) if "control" in s.extra]
    if not cands:
        return None
    idx = rng.choice(cands)
    w = st.tx.vin[idx].witness
    ci = w.index(st.spends[idx].extra["control"])
    c = w[ci]
    r = rng.random()
    if r < 0.25:
        c = bytes([c[0] ^ 1]) + c[1:]
    elif r < 0.45:
        c = bytes([(c[0] & 1) | rng.choice([0xC2, 0xC4, 0x00, 0xFE])]) + c[1:]
    elif r < 0.6 and len(c) > 33:
        c = c[:-32]
    elif r < 0.75:
        c = c + rng.randbytes(rng.choice([1, 32]))
    else:
        i = rng.randrange(1, len(c))
        c = c[:i] + bytes([c[i] ^ 0x01]) + c[i + 1:]
    w[ci] = c
    return idx, not _checked(st, idx, flags)


def m_annex(rng, st, flags):
    """Add an annex after signing (taproot signatures commit to it)."""
    cands = [i for i, s in enumerate(st.spends) if s.sig_kind == "schnorr"]
    if not cands:
        return None
    idx = rng.choice(cands)
    st.tx.vin[idx].witness.append(b"\x50" + rng.randbytes(rng.randint(0, 3)))
    if st.spends[idx].kind == "p2tr_key":
        return idx, not _checked(st, idx, flags)
    return idx, None


def m_leaf_script(rng, st, flags):
    """Change the revealed tapleaf / witness script (commitment mismatch)."""
    cands = [i for i, s in enumerate(st.spends) if "template" in s.extra and st.tx.vin[i].witness]
    if not cands:
        return None
    idx = rng.choice(cands)
    w = st.tx.vin[idx].witness
    tpl_script = st.spends[idx].extra["template"].script
    if tpl_script not in w:
        return None
    si = w.index(tpl_script)
    w[si] = tpl_script + b"\x61"   # same semantics, different hash
    return idx, None


def _replace_spend(st: SignedTx, idx: int, spend) -> None:
    """Put a different spend at input idx (and re-sign everything)."""
    st.spends[idx] = spend
    st.spent[idx] = TxOut(spend.amount, spend.spk)
    if spend.sequence is not None:
        st.tx.vin[idx].sequence = spend.sequence
    st.refinalize()


def m_sig_budget(rng, st, flags):
    """Tapscript checking one signature 11-16 times: around the point where
    the BIP342 validation-weight budget runs out."""
    idx = rng.randrange(len(st.spends))
    tpl = spends.tpl_sig_budget(rng, rng.randint(11, 16))
    _replace_spend(st, idx, spends.spend_p2tr_script(rng, spends.Env(st.tx.version, st.tx.locktime), tpl))
    return idx, (None if _checked(st, idx, flags) else True)


def m_findanddelete_v0(rng, st, flags):
    """<sig> DROP <pk> CHECKSIG as P2WSH, signed as if FindAndDelete
    applied: invalid, because BIP143 never removes the signature."""
    idx = rng.randrange(len(st.spends))
    env = spends.Env(st.tx.version, st.tx.locktime)
    _replace_spend(st, idx, spends.spend_findanddelete(rng, env, "p2wsh"))
    return idx, not _checked(st, idx, flags)


MUTATIONS: dict[str, Callable] = {
    "sig_bitflip": m_sig_bitflip,
    "hashtype_byte": m_hashtype_byte,
    "schnorr_64": m_schnorr_drop_hashtype,
    "high_s": m_high_s,
    "der_padding": m_der_padding,
    "der_garbage": m_der_garbage,
    "amount": m_amount,
    "other_spk": m_other_spk,
    "sequence": m_sequence,
    "locktime_version": m_locktime_version,
    "outputs": m_outputs,
    "prevout": m_prevout,
    "swap_inputs": m_swap_inputs,
    "witness_shape": m_witness_shape,
    "scriptsig": m_scriptsig,
    "nulldummy": m_nulldummy,
    "timelock": m_timelock,
    "hybrid_key": m_hybrid_key,
    "control_block": m_control_block,
    "annex": m_annex,
    "leaf_script": m_leaf_script,
    "sig_budget": m_sig_budget,
    "findanddelete_v0": m_findanddelete_v0,
}


def mutation_case(rng: random.Random) -> tuple[str, dict, bool | None]:
    """(category, verify request, expected verdict or None)."""
    names = list(MUTATIONS)
    while True:
        name = rng.choice(names)
        st = build_signed_tx(rng)
        flags = random_flags(rng)
        res = MUTATIONS[name](rng, st, flags)
        if res is None:
            continue
        idx, expect = res
        return f"mutate/{name}", verify_request(st.tx, idx, st.spent, flags), expect
