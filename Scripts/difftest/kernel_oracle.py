"""The reference side: Bitcoin Core's libbitcoinkernel via py-bitcoinkernel.

Answers the same three requests as rusty-verify, in the same result shape
({"ok": bool, ...}). Guards the calls that would trip an assertion inside
the library (and abort the whole process): unknown flag bits, an input
index out of range, a spent-output list of the wrong length.

Where the library is laxer than Core's own decoders it is tightened here:
btck_transaction_create/btck_block_create accept trailing bytes after the
object, which Core's DecodeHexTx / block deserialization reject, so any
input that does not re-serialize to its full length is reported as
"trailing data".
"""

from __future__ import annotations

import hashlib

import pbk
from pbk.script import PrecomputedTransactionData

ALL_FLAGS = int(pbk.ScriptVerificationFlags.ALL)
P2SH, WITNESS, TAPROOT = 1 << 0, 1 << 11, 1 << 17


def _dsha(b: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(b).digest()).digest()


def _parse_tx(raw: bytes):
    """(Transaction, None) or (None, reason)."""
    try:
        t = pbk.Transaction(raw)
    except Exception as e:  # RuntimeError from the C constructor
        return None, f"kernel rejected: {e}"
    if len(bytes(t)) != len(raw):
        return None, "trailing data"
    return t, None


def decode_tx(raw: bytes) -> dict:
    t, err = _parse_tx(raw)
    if t is None:
        return {"ok": False, "error": err}
    ser = bytes(t)
    return {"ok": True, "txid": str(t.txid), "wtxid": _dsha(ser)[::-1].hex()}


def decode_block(raw: bytes) -> dict:
    try:
        b = pbk.Block(raw)
    except Exception as e:
        return {"ok": False, "error": f"kernel rejected: {e}"}
    if len(bytes(b)) != len(raw):
        return {"ok": False, "error": "trailing data"}
    return {"ok": True, "hash": str(b.block_hash), "txids": [str(t.txid) for t in b.transactions]}


def verify(raw_tx: bytes, input_index: int, spent: list[tuple[int, bytes]], flags: int) -> dict:
    """Verify one input. ok:false carries error "decode: ..." for an
    unparsable tx, "SCRIPT_INVALID" for a failed script (the kernel does not
    say which rule failed), or the kernel's status name."""
    t, err = _parse_tx(raw_tx)
    if t is None:
        return {"ok": False, "error": f"decode: {err}"}
    n_in = len(t.inputs)
    if flags & ~ALL_FLAGS:
        return {"ok": False, "error": "BAD_REQUEST: unknown flag bits", "bad_request": True}
    if not 0 <= input_index < n_in:
        return {"ok": False, "error": "BAD_REQUEST: input index out of range", "bad_request": True}
    if len(spent) != n_in:
        return {"ok": False, "error": "BAD_REQUEST: spent outputs count != inputs", "bad_request": True}
    outs = [pbk.TransactionOutput(pbk.ScriptPubkey(script), amount) for amount, script in spent]
    pre = PrecomputedTransactionData(t, outs)
    amount, script = spent[input_index]
    spk = pbk.ScriptPubkey(script)
    try:
        ok = spk.verify(amount, t, pre, input_index, pbk.ScriptVerificationFlags(flags))
    except pbk.ScriptVerifyException as e:
        return {"ok": False, "error": f"KERNEL_{e.status.name}", "bad_request": True}
    return {"ok": True} if ok else {"ok": False, "error": "SCRIPT_INVALID"}


def answer(req: dict) -> dict:
    """Evaluate a protocol request (see README) with the kernel."""
    op = req["op"]
    if op == "verify":
        spent = [(s["amount"], bytes.fromhex(s["script"])) for s in req["spent"]]
        return verify(bytes.fromhex(req["tx"]), req["input"], spent, req["flags"])
    if op == "decodetx":
        return decode_tx(bytes.fromhex(req["tx"]))
    if op == "decodeblock":
        return decode_block(bytes.fromhex(req["block"]))
    raise ValueError(f"unknown op {op}")
