"""Signature hashes: legacy (pre-segwit), BIP143 (witness v0) and
BIP341/342 (taproot key path and tapscript).

All functions return the 32-byte message that the signature commits to, in
the byte order handed to the signer. They are validated end-to-end by
having the kernel verify spends signed with them (see run.py --kernel-only).
"""

from __future__ import annotations

import struct

from btc import (OP_CODESEPARATOR, Tx, TxOut, compact_size, dsha256, iter_ops,
                 ser_bytes, sha256, tagged_hash)

SIGHASH_DEFAULT = 0x00
SIGHASH_ALL = 0x01
SIGHASH_NONE = 0x02
SIGHASH_SINGLE = 0x03
SIGHASH_ANYONECANPAY = 0x80

# The legacy "SIGHASH_SINGLE bug" value: uint256(1).
ONE = b"\x01" + b"\x00" * 31


def _script_code_legacy(script_code: bytes) -> bytes:
    """Serialize scriptCode the way Core's legacy signature serializer does:
    OP_CODESEPARATORs are dropped; the length prefix counts the whole script
    minus the separators (even if a malformed push stops the walk early)."""
    nsep = 0
    for op, _, _ in iter_ops(script_code):
        if op == OP_CODESEPARATOR:
            nsep += 1
    out = bytearray(compact_size(len(script_code) - nsep))
    begin = 0
    stop = 0
    for op, _, pos in iter_ops(script_code):
        stop = pos
        if op is None:
            break
        if op == OP_CODESEPARATOR:
            out += script_code[begin:pos - 1]
            begin = pos
    if begin != len(script_code):
        out += script_code[begin:stop]
    return bytes(out)


def legacy_sighash(tx: Tx, n_in: int, script_code: bytes, hash_type: int) -> bytes:
    """Original Satoshi signature hash (SignatureHash with SigVersion::BASE).
    script_code must already have the signature removed (FindAndDelete)."""
    if n_in >= len(tx.vin):
        return ONE
    base = hash_type & 0x1F
    acp = bool(hash_type & SIGHASH_ANYONECANPAY)
    if base == SIGHASH_SINGLE and n_in >= len(tx.vout):
        return ONE
    out = [struct.pack("<i", tx.version)]
    inputs = [n_in] if acp else range(len(tx.vin))
    out.append(compact_size(len(inputs)))
    for i in inputs:
        txin = tx.vin[i]
        out.append(txin.outpoint())
        out.append(_script_code_legacy(script_code) if i == n_in else b"\x00")
        if i != n_in and base in (SIGHASH_NONE, SIGHASH_SINGLE):
            out.append(b"\x00\x00\x00\x00")
        else:
            out.append(struct.pack("<I", txin.sequence))
    if base == SIGHASH_NONE:
        out.append(b"\x00")
    elif base == SIGHASH_SINGLE:
        out.append(compact_size(n_in + 1))
        for i in range(n_in):
            out.append(TxOut(-1, b"").serialize())
        out.append(tx.vout[n_in].serialize())
    else:
        out.append(compact_size(len(tx.vout)))
        for o in tx.vout:
            out.append(o.serialize())
    out.append(struct.pack("<I", tx.locktime))
    out.append(struct.pack("<i", hash_type if hash_type < 2**31 else hash_type - 2**32))
    return dsha256(b"".join(out))


def bip143_sighash(tx: Tx, n_in: int, script_code: bytes, amount: int, hash_type: int) -> bytes:
    """Witness v0 signature hash (BIP143)."""
    base = hash_type & 0x1F
    acp = bool(hash_type & SIGHASH_ANYONECANPAY)
    zero = b"\x00" * 32
    hash_prevouts = zero if acp else dsha256(b"".join(i.outpoint() for i in tx.vin))
    if acp or base in (SIGHASH_SINGLE, SIGHASH_NONE):
        hash_sequence = zero
    else:
        hash_sequence = dsha256(b"".join(struct.pack("<I", i.sequence) for i in tx.vin))
    if base not in (SIGHASH_SINGLE, SIGHASH_NONE):
        hash_outputs = dsha256(b"".join(o.serialize() for o in tx.vout))
    elif base == SIGHASH_SINGLE and n_in < len(tx.vout):
        hash_outputs = dsha256(tx.vout[n_in].serialize())
    else:
        hash_outputs = zero
    txin = tx.vin[n_in]
    pre = (struct.pack("<i", tx.version) + hash_prevouts + hash_sequence + txin.outpoint()
           + ser_bytes(script_code) + struct.pack("<q", amount) + struct.pack("<I", txin.sequence)
           + hash_outputs + struct.pack("<I", tx.locktime) + struct.pack("<I", hash_type & 0xFFFFFFFF))
    return dsha256(pre)


TAPROOT_HASH_TYPES = (0x00, 0x01, 0x02, 0x03, 0x81, 0x82, 0x83)


def taproot_sighash(tx: Tx, n_in: int, spent: list[TxOut], hash_type: int,
                    annex: bytes | None = None, leaf_hash: bytes | None = None,
                    codesep_pos: int = 0xFFFFFFFF) -> bytes | None:
    """BIP341 signature message hashed with the TapSighash tag; for
    tapscript (BIP342) pass leaf_hash (and codesep_pos). Returns None where
    no valid signature can exist (bad hash type, SINGLE without output)."""
    if hash_type not in TAPROOT_HASH_TYPES:
        return None
    base = hash_type & 3
    acp = bool(hash_type & SIGHASH_ANYONECANPAY)
    m = [bytes([0x00, hash_type]), struct.pack("<i", tx.version), struct.pack("<I", tx.locktime)]
    if not acp:
        m.append(sha256(b"".join(i.outpoint() for i in tx.vin)))
        m.append(sha256(b"".join(struct.pack("<q", o.amount) for o in spent)))
        m.append(sha256(b"".join(ser_bytes(o.script_pubkey) for o in spent)))
        m.append(sha256(b"".join(struct.pack("<I", i.sequence) for i in tx.vin)))
    if base not in (SIGHASH_NONE, SIGHASH_SINGLE):
        m.append(sha256(b"".join(o.serialize() for o in tx.vout)))
    ext_flag = 1 if leaf_hash is not None else 0
    m.append(bytes([ext_flag * 2 + (1 if annex is not None else 0)]))
    if acp:
        txin = tx.vin[n_in]
        m.append(txin.outpoint() + spent[n_in].serialize() + struct.pack("<I", txin.sequence))
    else:
        m.append(struct.pack("<I", n_in))
    if annex is not None:
        m.append(sha256(ser_bytes(annex)))
    if base == SIGHASH_SINGLE:
        if n_in >= len(tx.vout):
            return None
        m.append(sha256(tx.vout[n_in].serialize()))
    if leaf_hash is not None:
        m.append(leaf_hash + b"\x00" + struct.pack("<I", codesep_pos))
    return tagged_hash("TapSighash", b"".join(m))


def tapleaf_hash(script: bytes, leaf_version: int = 0xC0) -> bytes:
    return tagged_hash("TapLeaf", bytes([leaf_version]) + ser_bytes(script))


def tapbranch_hash(a: bytes, b: bytes) -> bytes:
    return tagged_hash("TapBranch", min(a, b) + max(a, b))
