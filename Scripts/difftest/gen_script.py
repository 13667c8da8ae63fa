"""Random scripts and witness stacks, evaluated in every script context:
bare scriptSig/scriptPubKey pairs, P2SH redeem scripts, P2WSH witness
scripts, tapscript leaves (with a correct control block so the leaf really
runs) and raw witness programs of any version and length.

The generator mixes well-formed structure (balanced IF blocks, enough
stack items, a trailing OP_1) with hostile details (boundary numbers,
non-minimal encodings, disabled and OP_SUCCESS opcodes, truncated pushes,
limits on size/ops/stack), so that a fair share of cases succeed.
"""

from __future__ import annotations

import random

import btc
from btc import TxIn, TxOut, Tx, push, push_raw, script_num
from spends import (Env, build_tree, new_key, rand_amount, random_env, random_flags,
                    random_outputs, random_sequence, verify_request)
from sighash import tapleaf_hash

# Numbers around every boundary the interpreter cares about.
INTERESTING_NUMS = [0, 1, -1, 2, 16, 17, 127, 128, -128, 255, 256, 32767, 32768, -32768,
                    65535, 65536, 2**23, 2**31 - 1, -(2**31 - 1), 2**31, 2**32, 2**39 - 1,
                    2**39, 499_999_999, 500_000_000, 1 << 22, (1 << 22) | 5, 1 << 31, -(2**31)]

# Opcodes with no immediate data, grouped by how interesting they are.
STACK_OPS = [0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
             0x78, 0x79, 0x7A, 0x7B, 0x7C, 0x7D, 0x82]
ARITH_OPS = list(range(0x8B, 0x93)) + list(range(0x93, 0xA6)) + [0x87, 0x88]
HASH_OPS = [0xA6, 0xA7, 0xA8, 0xA9, 0xAA]
FLOW_OPS = [0x61, 0x63, 0x64, 0x67, 0x68, 0x69, 0x6A]
SIG_OPS = [0xAB, 0xAC, 0xAD, 0xAE, 0xAF, 0xBA]
NOP_OPS = [0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9]
DISABLED_OPS = [0x7E, 0x7F, 0x80, 0x81, 0x83, 0x84, 0x85, 0x86, 0x8D, 0x8E, 0x95, 0x96, 0x97,
                0x98, 0x99]
RESERVED_OPS = [0x50, 0x62, 0x65, 0x66, 0x89, 0x8A]
UNKNOWN_OPS = list(range(0xBB, 0x100))  # OP_SUCCESS in tapscript, invalid elsewhere


def rand_element(rng: random.Random) -> bytes:
    """A stack element: numbers (minimal or not), hashes, keys, junk."""
    r = rng.random()
    if r < 0.35:
        return script_num(rng.choice(INTERESTING_NUMS))
    if r < 0.45:
        return rng.choice([b"\x80", b"\x00", b"\x00\x00", b"\x01\x00", b"\x81\x00", b"\x00\x80",
                           b"\xff\xff\xff\x7f", b"\xff\xff\xff\xff", b"\x01\x00\x00\x00\x00"])
    if r < 0.55:
        return b""
    if r < 0.62:
        return new_key(rng).pubkey(rng.random() < 0.8)
    if r < 0.67:
        return new_key(rng).xonly
    if r < 0.72:
        return rng.randbytes(rng.choice([9, 64, 65, 71, 72, 73]))
    if r < 0.75:
        return rng.randbytes(rng.choice([519, 520, 521]))
    return rng.randbytes(rng.randint(1, 40))


def rand_push(rng: random.Random, element: bytes | None = None) -> bytes:
    """Push an element, sometimes with a non-minimal push opcode."""
    e = rand_element(rng) if element is None else element
    r = rng.random()
    if r < 0.85 or len(e) > 255:
        return push(e)
    if r < 0.93 or len(e) == 0:
        return bytes([btc.OP_PUSHDATA1, len(e)]) + e
    return push_raw(e)


def rand_ops(rng: random.Random, n: int, tap: bool, depth: int = 0) -> bytes:
    """A random op sequence of about n items (IF blocks nest a little)."""
    out = bytearray()
    for _ in range(n):
        r = rng.random()
        if r < 0.3:
            out += rand_push(rng)
        elif r < 0.45:
            out.append(rng.choice(STACK_OPS))
        elif r < 0.62:
            out.append(rng.choice(ARITH_OPS))
        elif r < 0.68:
            out.append(rng.choice(HASH_OPS))
        elif r < 0.74 and depth < 3:
            # A balanced IF/NOTIF [ELSE] ENDIF block.
            out.append(rng.choice([btc.OP_IF, btc.OP_NOTIF]))
            out += rand_ops(rng, rng.randint(0, 4), tap, depth + 1)
            if rng.random() < 0.5:
                out.append(btc.OP_ELSE)
                out += rand_ops(rng, rng.randint(0, 4), tap, depth + 1)
            out.append(btc.OP_ENDIF)
        elif r < 0.78:
            out.append(rng.choice(FLOW_OPS))
        elif r < 0.84:
            out.append(rng.choice(SIG_OPS))
        elif r < 0.9:
            out.append(rng.choice(NOP_OPS))
        elif r < 0.93:
            out.append(rng.choice(DISABLED_OPS))
        elif r < 0.95:
            out.append(rng.choice(RESERVED_OPS))
        elif r < 0.97:
            out.append(rng.choice(UNKNOWN_OPS))
        else:
            out.append(rng.choice(btc.push_int(rng.choice(INTERESTING_NUMS))))
    return bytes(out)


def rand_script(rng: random.Random, tap: bool = False) -> bytes:
    """A whole script in one of several shapes."""
    r = rng.random()
    if r < 0.25:
        # Ops on a prepared stack, then OP_1 so that "no error" means success.
        s = b"".join(rand_push(rng) for _ in range(rng.randint(0, 5)))
        s += rand_ops(rng, rng.randint(1, 8), tap)
        if rng.random() < 0.6:
            s += bytes([btc.OP_DEPTH, btc.OP_0, btc.OP_GREATERTHAN]) if rng.random() < 0.2 else b"\x51"
    elif r < 0.4:
        # Junk inside an unexecuted branch: only parse-level rules apply.
        body = rand_ops(rng, rng.randint(1, 10), tap)
        s = bytes([btc.OP_0, btc.OP_IF]) + body + bytes([btc.OP_ENDIF, btc.OP_1])
    elif r < 0.5:
        # A checked arithmetic / hash identity that often holds.
        x = rng.choice(INTERESTING_NUMS)
        op = rng.choice([btc.OP_1ADD, btc.OP_1SUB, btc.OP_NEGATE, btc.OP_ABS, btc.OP_NOT,
                         btc.OP_0NOTEQUAL, btc.OP_SIZE, btc.OP_SHA256, btc.OP_HASH160])
        s = rand_push(rng, script_num(x)) + bytes([op])
        expect = _apply_unary(op, x)
        if expect is not None and rng.random() < 0.8:
            s += push(expect) + bytes([rng.choice([btc.OP_EQUAL, btc.OP_NUMEQUAL])])
    elif r < 0.6:
        # Limits: element size, stack size, op count, script size.
        s = _limit_script(rng)
    elif r < 0.7:
        s = rand_ops(rng, rng.randint(1, 30), tap)
    elif r < 0.75:
        # A truncated push at the end.
        s = rand_ops(rng, rng.randint(0, 4), tap) + rng.choice([
            b"\x4c", b"\x4d\x01", b"\x4e\x01\x00", b"\x05\x01\x02", b"\x4c\x10\x00"])
    elif r < 0.85:
        # Timelock checks against the spending tx.
        n = rng.choice(INTERESTING_NUMS + [rng.randint(0, 2**32)])
        op = rng.choice([btc.OP_CHECKLOCKTIMEVERIFY, btc.OP_CHECKSEQUENCEVERIFY])
        s = rand_push(rng, script_num(n)) + bytes([op])
        s += rng.choice([b"\x75\x51", b"", b"\x51"])
    else:
        # Multisig-shaped with junk signatures / counts.
        nkeys = rng.randint(0, 4)
        s = bytes([btc.OP_0]) + b"".join(push(rand_element(rng)) for _ in range(rng.randint(0, 2)))
        s += push(script_num(rng.randint(0, 3)))
        s += b"".join(push(new_key(rng).pubkey()) for _ in range(nkeys))
        s += push(script_num(rng.choice([nkeys, nkeys + 1, 21, -1])))
        s += bytes([rng.choice([btc.OP_CHECKMULTISIG, btc.OP_CHECKMULTISIGVERIFY])])
    if rng.random() < 0.05:
        s += rand_ops(rng, 2, tap)
    return s


def _apply_unary(op: int, x: int) -> bytes | None:
    """Expected result of a unary op on a 4-byte-valid number, or None."""
    if abs(x) > 2**31 - 1:
        return None
    if op == btc.OP_1ADD:
        return script_num(x + 1)
    if op == btc.OP_1SUB:
        return script_num(x - 1)
    if op == btc.OP_NEGATE:
        return script_num(-x)
    if op == btc.OP_ABS:
        return script_num(abs(x))
    if op == btc.OP_NOT:
        return script_num(int(x == 0))
    if op == btc.OP_0NOTEQUAL:
        return script_num(int(x != 0))
    return None   # OP_SIZE and the hashes: left to the interpreter


def _limit_script(rng: random.Random) -> bytes:
    """Scripts sitting just below / at / above a consensus limit."""
    r = rng.random()
    if r < 0.25:   # element size 520/521
        n = rng.choice([520, 521])
        return push(b"\x01" * n) + bytes([btc.OP_SIZE]) + push(script_num(n)) + bytes([btc.OP_EQUAL])
    if r < 0.5:    # stack size 1000/1001 (pushes only, so no op-count issue)
        return b"\x51" * rng.choice([999, 1000, 1001])
    if r < 0.75:   # op count 201/202 (pushes do not count)
        return bytes([btc.OP_1]) + bytes([btc.OP_NOP]) * rng.choice([200, 201, 202])
    return sized_script(rng.choice([9999, 10000, 10001]))


def sized_script(size: int) -> bytes:
    """OP_1 followed by push/DROP pairs: exactly `size` bytes, few ops."""
    s = bytearray(b"\x51")
    big = push_raw(bytes(480)) + bytes([btc.OP_DROP])
    small = push_raw(bytes(75)) + bytes([btc.OP_DROP])
    while size - len(s) > len(big) + 76:
        s += big
    while size - len(s) > 76:
        s += small
    r = size - len(s)
    if r >= 2:
        s += push_raw(bytes(r - 2)) + bytes([btc.OP_DROP])
    elif r == 1:
        s.append(btc.OP_NOP)
    assert len(s) == size
    return bytes(s)


def rand_stack(rng: random.Random, max_items: int = 5) -> list[bytes]:
    return [rand_element(rng) for _ in range(rng.randint(0, max_items))]


def _base_tx(rng: random.Random, n_in: int, env: Env | None = None) -> Tx:
    env = env or random_env(rng)
    tx = Tx(env.version, [], random_outputs(rng, rng.choice([0, 1, 2])), env.locktime)
    for _ in range(n_in):
        tx.vin.append(TxIn(rng.randbytes(32), rng.getrandbits(32), b"", random_sequence(rng)))
    return tx


def random_script_case(rng: random.Random) -> tuple[str, dict]:
    """(category, verify request) for one random-script evaluation."""
    n_in = rng.choice([1, 1, 2])
    tx = _base_tx(rng, n_in)
    idx = rng.randrange(n_in)
    spent = [TxOut(rand_amount(rng), rand_script(rng)) for _ in range(n_in)]
    txin = tx.vin[idx]
    r = rng.random()
    if r < 0.25:
        cat = "script/bare"
        spk = rand_script(rng)
        if rng.random() < 0.7:
            txin.script_sig = b"".join(rand_push(rng) for _ in range(rng.randint(0, 4)))
        else:
            txin.script_sig = rand_ops(rng, rng.randint(0, 6), False)
        if rng.random() < 0.1:
            txin.witness = rand_stack(rng, 3)
    elif r < 0.45:
        cat = "script/p2sh"
        redeem = rand_script(rng)
        spk = btc.p2sh_script(redeem)
        txin.script_sig = b"".join(rand_push(rng) for _ in range(rng.randint(0, 4)))
        if rng.random() < 0.1:
            txin.script_sig += bytes([rng.choice([btc.OP_NOP, btc.OP_DUP])])
        txin.script_sig += push(redeem)
    elif r < 0.65:
        ws = rand_script(rng)
        prog = btc.p2wsh_script(ws)
        if rng.random() < 0.3:
            cat = "script/p2sh_p2wsh"
            spk = btc.p2sh_script(prog)
            txin.script_sig = push(prog)
        else:
            cat = "script/p2wsh"
            spk = prog
        txin.witness = rand_stack(rng) + [ws]
    elif r < 0.88:
        cat = "script/tapscript"
        spk, txin.witness = _tapscript_spend(rng)
    else:
        cat = "script/witprog"
        spk, txin.script_sig, txin.witness = _raw_witness_program(rng)
    spent[idx] = TxOut(spent[idx].amount, spk)
    return cat, verify_request(tx, idx, spent, random_flags(rng))


def _tapscript_spend(rng: random.Random) -> tuple[bytes, list[bytes]]:
    """A P2TR output committing to a random leaf, and a witness that
    reveals that leaf with a valid (occasionally damaged) control block."""
    leaf_script = rand_script(rng, tap=True)
    if rng.random() < 0.15:
        # Drop in an OP_SUCCESSx somewhere; the leaf then succeeds unless
        # it fails to parse first.
        pos = rng.randint(0, len(leaf_script))
        leaf_script = leaf_script[:pos] + bytes([rng.choice([0x50, 0x62, 0x7E, 0x89, 0xBB, 0xFE])]) + leaf_script[pos:]
    version = 0xC0 if rng.random() < 0.9 else rng.choice([0xC2, 0xC4, 0xFE, 0x50])
    internal = new_key(rng)
    n_leaves = rng.choice([1, 2, 3, 5])
    pos = rng.randrange(n_leaves)
    hashes = [tapleaf_hash(rng.randbytes(10)) for _ in range(n_leaves)]
    hashes[pos] = tapleaf_hash(leaf_script, version)
    root, paths = build_tree(rng, hashes)
    out = internal.taproot_tweaked(root)
    control = bytes([version | (1 if out.y_is_odd else 0)]) + internal.xonly + b"".join(paths[pos])
    r = rng.random()
    if r < 0.05:
        control = bytes([control[0] ^ 1]) + control[1:]
    elif r < 0.08:
        control = control + rng.randbytes(rng.choice([1, 32]))
    elif r < 0.1:
        control = control[:-1]
    witness = rand_stack(rng) + [leaf_script, control]
    if rng.random() < 0.1:
        witness.append(b"\x50" + rng.randbytes(rng.randint(0, 10)))
    return btc.p2tr_script(out.xonly), witness


def _raw_witness_program(rng: random.Random) -> tuple[bytes, bytes, list[bytes]]:
    """scriptPubKey <version> <program> with odd versions/lengths."""
    ver = rng.choice([0, 0, 1, 1, 2, 16])
    plen = rng.choice([0, 1, 2, 19, 20, 21, 31, 32, 33, 40, 41])
    prog = rng.randbytes(plen)
    vop = btc.small_int_op(ver)
    if plen >= 2 and rng.random() < 0.1:
        spk = bytes([vop]) + bytes([btc.OP_PUSHDATA1, plen]) + prog   # not a witness program
    else:
        spk = bytes([vop]) + push_raw(prog) if plen else bytes([vop, 0x00])
    witness = rand_stack(rng, 3)
    script_sig = b""
    r = rng.random()
    if r < 0.3:
        script_sig = push(spk)
        spk = btc.p2sh_script(spk)
    elif r < 0.4:
        script_sig = push(rand_element(rng))       # malleated native witness spend
    return spk, script_sig, witness
