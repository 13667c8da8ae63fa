"""Builders for correctly signed spends of every standard output type.

A `Spend` knows its scriptPubKey/amount and how to fill in scriptSig and
witness for a given transaction (`finalize`). `build_signed_tx` assembles a
transaction whose every input is a valid spend; mutations re-use the same
objects (change a field, optionally re-finalize).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable

import btc
from btc import (OP_CHECKLOCKTIMEVERIFY, OP_CHECKSEQUENCEVERIFY, OP_CHECKSIG,
                 OP_CHECKSIGADD, OP_CHECKSIGVERIFY, OP_CODESEPARATOR, OP_DROP,
                 OP_EQUALVERIFY, OP_NUMEQUAL, OP_SHA256, Tx, TxIn, TxOut, push,
                 push_int)
from ecc import Key
from sighash import (SIGHASH_ALL, SIGHASH_SINGLE, bip143_sighash, legacy_sighash,
                     taproot_sighash, tapbranch_hash, tapleaf_hash)

LOCKTIME_THRESHOLD = 500_000_000
SEQ_DISABLE = 1 << 31
SEQ_TYPE = 1 << 22
SEQ_MASK = 0x0000FFFF
MAX_MONEY = 21_000_000 * 100_000_000


def new_key(rng: random.Random) -> Key:
    return Key(rng.getrandbits(256))


def rand_amount(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.05:
        return 0
    if r < 0.1:
        return MAX_MONEY
    if r < 0.5:
        return rng.randint(1, 100_000)
    return rng.randint(0, MAX_MONEY)


def ecdsa_hash_type(rng: random.Random) -> int:
    """Mostly the defined types; sometimes an odd byte (consensus accepts
    any hash type byte for ECDSA, STRICTENC is only policy)."""
    r = rng.random()
    if r < 0.5:
        return SIGHASH_ALL
    if r < 0.93:
        return rng.choice([0x02, 0x03, 0x81, 0x82, 0x83])
    return rng.choice([0x00, 0x04, 0x20, 0x41, 0x43, 0x80, 0x84, 0xC1, 0xFF])


def taproot_hash_type(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.45:
        return 0x00
    if r < 0.6:
        return 0x01
    return rng.choice([0x02, 0x03, 0x81, 0x82, 0x83])


# ---------------------------------------------------------------- script templates
#
# A template is a script plus a solver. The solver receives
# sign(key, after_sep) -> signature bytes, where after_sep says whether the
# signature is checked after the template's OP_CODESEPARATOR executed, and
# returns the initial stack (bottom first).

Signer = Callable[[Key, bool], bytes]


@dataclass
class Template:
    name: str
    script: bytes
    solve: Callable[[Signer], list[bytes]]
    multisig_dummy: bool = False      # stack[0] is CHECKMULTISIG's dummy
    sequence: int | None = None       # nSequence the script needs (CSV)
    need_nonfinal: bool = False       # CLTV needs a non-final nSequence


def tpl_pk(rng, tap: bool, compressed: bool = True) -> Template:
    k = new_key(rng)
    kb = k.xonly if tap else k.pubkey(compressed)
    return Template("pk", push(kb) + bytes([OP_CHECKSIG]), lambda s: [s(k, False)])


def tpl_multisig(rng, ctx: str) -> Template:
    """m-of-n CHECKMULTISIG, or in tapscript the CHECKSIGADD equivalent."""
    tap = ctx == "tap"
    if rng.random() < 0.9:
        n = rng.choice([1, 2, 3, 3, 4, 5] if tap else [1, 2, 3, 3, 4])
    else:   # the large end: 15 keys fit a P2SH redeem script, 20 is the
        n = {"tap": rng.choice([16, 21, 40]), "p2sh": 15}.get(ctx, rng.choice([16, 20]))
    m = rng.randint(0 if tap else 1, n)
    keys = [new_key(rng) for _ in range(n)]
    signers = sorted(rng.sample(range(n), m))
    if tap:
        # <x1> CHECKSIG <x2> CHECKSIGADD ... <m> NUMEQUAL; sig for x1 on top.
        script = push(keys[0].xonly) + bytes([OP_CHECKSIG])
        for k in keys[1:]:
            script += push(k.xonly) + bytes([OP_CHECKSIGADD])
        script += push_int(m) + bytes([OP_NUMEQUAL])

        def solve(s):
            return [s(keys[i], False) if i in signers else b"" for i in reversed(range(n))]
        return Template(f"checksigadd_{m}of{n}", script, solve)
    # (CHECKMULTISIG's key limit; bigger ones use compressed keys only.)
    script = btc.multisig_script(m, [k.pubkey(n > 4 or rng.random() < 0.9) for k in keys])

    def solve_ms(s):
        return [b""] + [s(keys[i], False) for i in signers]
    return Template(f"multisig_{m}of{n}", script, solve_ms, multisig_dummy=True)


def tpl_sig_budget(rng, k: int | None = None) -> Template:
    """Tapscript only: one signature checked k times
    (DUP <x> CHECKSIGVERIFY ... <x> CHECKSIG). Each check of a non-empty
    signature spends 50 units of the BIP342 validation budget (50 + witness
    size); k <= 10 always fits, larger k may not."""
    key = new_key(rng)
    k = k or rng.randint(1, 10)
    script = (bytes([btc.OP_DUP]) + push(key.xonly) + bytes([OP_CHECKSIGVERIFY])) * (k - 1)
    script += push(key.xonly) + bytes([OP_CHECKSIG])
    return Template(f"sig_budget_{k}", script, lambda s: [s(key, False)])


def tpl_codesep(rng, tap: bool) -> Template:
    """<A> CHECKSIGVERIFY CODESEPARATOR <B> CHECKSIG: sig A commits to the
    whole script, sig B only to the part after the separator."""
    a, b = new_key(rng), new_key(rng)
    ka = a.xonly if tap else a.pubkey()
    kb = b.xonly if tap else b.pubkey()
    script = (push(ka) + bytes([OP_CHECKSIGVERIFY, OP_CODESEPARATOR]) + push(kb)
              + bytes([OP_CHECKSIG]))
    return Template("codesep", script, lambda s: [s(b, True), s(a, False)])


def tpl_hashlock(rng, tap: bool) -> Template:
    pre = rng.randbytes(rng.choice([0, 1, 20, 32, 33]))
    inner = tpl_pk(rng, tap)
    script = bytes([OP_SHA256]) + push(btc.sha256(pre)) + bytes([OP_EQUALVERIFY]) + inner.script
    return Template("hashlock", script, lambda s: inner.solve(s) + [pre])


def tpl_cltv(rng, tap: bool, env: "Env") -> Template | None:
    """<n> CHECKLOCKTIMEVERIFY DROP <pk> CHECKSIG with n satisfied by env."""
    lt = env.locktime
    if lt < LOCKTIME_THRESHOLD:
        n = rng.randint(0, lt)
    else:
        n = rng.randint(LOCKTIME_THRESHOLD, lt)
    inner = tpl_pk(rng, tap)
    return Template("cltv", push_int(n) + bytes([OP_CHECKLOCKTIMEVERIFY, OP_DROP]) + inner.script,
                    inner.solve, need_nonfinal=True)


def tpl_csv(rng, tap: bool, env: "Env") -> Template | None:
    """<n> CHECKSEQUENCEVERIFY DROP <pk> CHECKSIG; sets the input sequence."""
    if (env.version & 0xFFFFFFFF) < 2:
        return None
    typ = SEQ_TYPE if rng.random() < 0.5 else 0
    val = rng.randint(0, SEQ_MASK)
    n = typ | val
    junk = rng.getrandbits(31) & ~(SEQ_TYPE | SEQ_MASK) if rng.random() < 0.3 else 0
    seq = junk | typ | rng.randint(val, SEQ_MASK)
    inner = tpl_pk(rng, tap)
    return Template("csv", push_int(n) + bytes([OP_CHECKSEQUENCEVERIFY, OP_DROP]) + inner.script,
                    inner.solve, sequence=seq)


def rand_template(rng, ctx: str, env: "Env") -> Template:
    """A random template for ctx: "bare", "p2sh", "p2wsh" or "tap"."""
    tap = ctx == "tap"
    while True:
        r = rng.random()
        if r < 0.28:
            return tpl_pk(rng, tap, compressed=rng.random() < 0.85)
        if r < 0.58:
            return tpl_multisig(rng, ctx)
        if r < 0.7:
            return tpl_codesep(rng, tap)
        if r < 0.8:
            return tpl_hashlock(rng, tap)
        if r < 0.88:
            return tpl_cltv(rng, tap, env)
        if r < 0.95 or not tap:
            t = tpl_csv(rng, tap, env)
            if t is not None:
                return t
        else:
            return tpl_sig_budget(rng)


def codesep_info(script: bytes) -> tuple[int, int]:
    """(byte offset after, opcode index of) the first OP_CODESEPARATOR."""
    for idx, (op, _, pos) in enumerate(btc.iter_ops(script)):
        if op == OP_CODESEPARATOR:
            return pos, idx
    raise ValueError("no OP_CODESEPARATOR")


# ---------------------------------------------------------------- spends


@dataclass
class Env:
    """Transaction-wide fields chosen before the spends."""
    version: int
    locktime: int


@dataclass
class Spend:
    kind: str
    spk: bytes
    amount: int
    finalize_fn: Callable[["Spend", Tx, int, list[TxOut]], None]
    sig_kind: str = "ecdsa"              # or "schnorr"
    sequence: int | None = None          # required nSequence, if any
    need_nonfinal: bool = False          # CLTV: sequence must not be final
    multisig_dummy: bool = False
    spk_from_sig: bool = False           # finalize also sets spk (sign these first)
    hash_types: list[int] = field(default_factory=list)
    aux_seed: bytes = b""
    annex: bytes | None = None
    extra: dict = field(default_factory=dict)

    def finalize(self, tx: Tx, idx: int, spent: list[TxOut]) -> None:
        self.finalize_fn(self, tx, idx, spent)


def _ecdsa_signer(spend: Spend, tx: Tx, idx: int, script_code: bytes, witness_v0: bool,
                  amount: int) -> Signer:
    """Signer for a template executed as legacy script or witness v0 script."""
    counter = [0]

    def sign(key: Key, after_sep: bool) -> bytes:
        ht = spend.hash_types[counter[0] % len(spend.hash_types)]
        counter[0] += 1
        code = script_code[codesep_info(script_code)[0]:] if after_sep else script_code
        if witness_v0:
            msg = bip143_sighash(tx, idx, code, amount, ht)
        else:
            msg = legacy_sighash(tx, idx, code, ht)
        return key.sign_der(msg) + bytes([ht])
    return sign


def _schnorr_sig(spend: Spend, key: Key, ht: int, tx: Tx, idx: int, spent: list[TxOut],
                 leaf: bytes | None = None, codesep_pos: int = 0xFFFFFFFF) -> bytes:
    if ht & 3 == SIGHASH_SINGLE and idx >= len(tx.vout):
        ht = 0x00   # no valid SINGLE signature exists here
    msg = taproot_sighash(tx, idx, spent, ht, spend.annex, leaf, codesep_pos)
    sig = key.sign_schnorr(msg, btc.sha256(spend.aux_seed + msg))
    return sig if ht == 0 else sig + bytes([ht])


def _scriptsig(items: list[bytes]) -> bytes:
    return b"".join(push(i) for i in items)


def spend_p2pk(rng, env) -> Spend:
    k = new_key(rng)
    comp = rng.random() < 0.7
    spk = push(k.pubkey(comp)) + bytes([OP_CHECKSIG])

    def fin(s, tx, idx, spent):
        sig = k.sign_der(legacy_sighash(tx, idx, s.spk, s.hash_types[0])) + bytes([s.hash_types[0]])
        tx.vin[idx].script_sig = push(sig)
        tx.vin[idx].witness = []
    return Spend("p2pk" if comp else "p2pk_uncompressed", spk, rand_amount(rng), fin,
                 hash_types=[ecdsa_hash_type(rng)], extra={"key": k, "compressed": comp})


def spend_p2pkh(rng, env) -> Spend:
    k = new_key(rng)
    comp = rng.random() < 0.8
    pub = k.pubkey(comp)

    def fin(s, tx, idx, spent):
        ht = s.hash_types[0]
        sig = k.sign_der(legacy_sighash(tx, idx, s.spk, ht)) + bytes([ht])
        tx.vin[idx].script_sig = push(sig) + push(pub)
        tx.vin[idx].witness = []
    return Spend("p2pkh", btc.p2pkh_script(pub), rand_amount(rng), fin,
                 hash_types=[ecdsa_hash_type(rng)])


def spend_p2wpkh(rng, env, wrapped: bool = False) -> Spend:
    k = new_key(rng)
    comp = wrapped or rng.random() < 0.9   # uncompressed is policy-only invalid
    pub = k.pubkey(comp)
    prog = btc.p2wpkh_script(pub)

    def fin(s, tx, idx, spent):
        ht = s.hash_types[0]
        code = btc.p2pkh_script(pub)
        sig = k.sign_der(bip143_sighash(tx, idx, code, s.amount, ht)) + bytes([ht])
        tx.vin[idx].script_sig = push(prog) if wrapped else b""
        tx.vin[idx].witness = [sig, pub]
    kind = "p2sh_p2wpkh" if wrapped else ("p2wpkh" if comp else "p2wpkh_uncompressed")
    return Spend(kind, btc.p2sh_script(prog) if wrapped else prog, rand_amount(rng), fin,
                 hash_types=[ecdsa_hash_type(rng)])


def _template_spend(kind: str, tpl: Template, spk: bytes, rng, fin) -> Spend:
    s = Spend(f"{kind}/{tpl.name}", spk, rand_amount(rng), fin,
              multisig_dummy=tpl.multisig_dummy,
              hash_types=[ecdsa_hash_type(rng) for _ in range(6)])
    s.sequence = tpl.sequence
    s.need_nonfinal = tpl.need_nonfinal
    s.extra["template"] = tpl
    return s


def spend_bare(rng, env) -> Spend:
    """Template used directly as scriptPubKey (bare multisig etc.)."""
    tpl = rand_template(rng, "bare", env)

    def fin(s, tx, idx, spent):
        stack = tpl.solve(_ecdsa_signer(s, tx, idx, tpl.script, False, s.amount))
        tx.vin[idx].script_sig = _scriptsig(stack)
        tx.vin[idx].witness = []
    return _template_spend("bare", tpl, tpl.script, rng, fin)


def spend_p2sh(rng, env) -> Spend:
    tpl = rand_template(rng, "p2sh", env)

    def fin(s, tx, idx, spent):
        stack = tpl.solve(_ecdsa_signer(s, tx, idx, tpl.script, False, s.amount))
        tx.vin[idx].script_sig = _scriptsig(stack + [tpl.script])
        tx.vin[idx].witness = []
    return _template_spend("p2sh", tpl, btc.p2sh_script(tpl.script), rng, fin)


def spend_p2wsh(rng, env, wrapped: bool = False) -> Spend:
    tpl = rand_template(rng, "p2wsh", env)
    prog = btc.p2wsh_script(tpl.script)

    def fin(s, tx, idx, spent):
        stack = tpl.solve(_ecdsa_signer(s, tx, idx, tpl.script, True, s.amount))
        tx.vin[idx].script_sig = push(prog) if wrapped else b""
        tx.vin[idx].witness = stack + [tpl.script]
    return _template_spend("p2sh_p2wsh" if wrapped else "p2wsh", tpl,
                           btc.p2sh_script(prog) if wrapped else prog, rng, fin)


def spend_findanddelete(rng, env, ctx: str = "p2sh") -> Spend:
    """A script that contains its own signature: <sig> DROP <pk> CHECKSIG.
    Legacy CHECKSIG removes the signature push from scriptCode
    (FindAndDelete) before hashing, so the signature is made over
    "DROP <pk> CHECKSIG". Valid as bare or P2SH; as P2WSH (ctx "p2wsh") it
    is invalid on purpose, since BIP143 has no FindAndDelete. The
    scriptPubKey depends on the signature, so finalize updates it."""
    k = new_key(rng)
    suffix = bytes([OP_DROP]) + push(k.pubkey()) + bytes([OP_CHECKSIG])

    def fin(s, tx, idx, spent):
        ht = s.hash_types[0]
        if ctx == "p2wsh":
            msg = bip143_sighash(tx, idx, suffix, s.amount, ht)
        else:
            msg = legacy_sighash(tx, idx, suffix, ht)
        sig = k.sign_der(msg) + bytes([ht])
        script = push(sig) + suffix
        if ctx == "bare":
            s.spk, tx.vin[idx].script_sig, tx.vin[idx].witness = script, push(sig), []
        elif ctx == "p2sh":
            s.spk = btc.p2sh_script(script)
            tx.vin[idx].script_sig, tx.vin[idx].witness = push(sig) + push(script), []
        else:
            s.spk = btc.p2wsh_script(script)
            tx.vin[idx].script_sig, tx.vin[idx].witness = b"", [sig, script]
        spent[idx] = TxOut(s.amount, s.spk)
    s = Spend(f"{ctx}/findanddelete", b"", rand_amount(rng), fin,
              hash_types=[ecdsa_hash_type(rng)], spk_from_sig=True)
    return s


# ---------------------------------------------------------------- taproot


def build_tree(rng, leaves: list[bytes]):
    """Random binary tree over leaf hashes. Returns (root, paths) where
    paths[i] is the list of sibling hashes from leaf i up to the root."""
    nodes = [(h, [i]) for i, h in enumerate(leaves)]
    paths = [[] for _ in leaves]
    while len(nodes) > 1:
        j = rng.randrange(len(nodes) - 1)
        (ha, ia), (hb, ib) = nodes[j], nodes[j + 1]
        for i in ia:
            paths[i].append(hb)
        for i in ib:
            paths[i].append(ha)
        nodes[j:j + 2] = [(tapbranch_hash(ha, hb), ia + ib)]
    return nodes[0][0], paths


def spend_p2tr_key(rng, env) -> Spend:
    internal = new_key(rng)
    root = rng.randbytes(32) if rng.random() < 0.4 else None
    out = internal.taproot_tweaked(root)

    def fin(s, tx, idx, spent):
        sig = _schnorr_sig(s, out, s.hash_types[0], tx, idx, spent)
        tx.vin[idx].script_sig = b""
        tx.vin[idx].witness = [sig] + ([s.annex] if s.annex is not None else [])
    s = Spend("p2tr_key", btc.p2tr_script(out.xonly), rand_amount(rng), fin, sig_kind="schnorr",
              hash_types=[taproot_hash_type(rng)], aux_seed=rng.randbytes(8))
    if rng.random() < 0.1:
        s.annex = b"\x50" + rng.randbytes(rng.choice([0, 1, 5, 40]))
    return s


def spend_p2tr_script(rng, env, tpl: Template | None = None) -> Spend:
    """Script-path spend of one leaf in a random tree of 1-6 leaves."""
    internal = new_key(rng)
    tpl = tpl or rand_template(rng, "tap", env)
    n_leaves = rng.choice([1, 1, 2, 3, 4, 6])
    pos = rng.randrange(n_leaves)
    leaf_hashes = [tapleaf_hash(rng.randbytes(rng.randint(1, 40))) for _ in range(n_leaves)]
    leaf = tapleaf_hash(tpl.script)
    leaf_hashes[pos] = leaf
    root, paths = build_tree(rng, leaf_hashes)
    out = internal.taproot_tweaked(root)
    control = bytes([0xC0 | (1 if out.y_is_odd else 0)]) + internal.xonly + b"".join(paths[pos])

    def fin(s, tx, idx, spent):
        counter = [0]

        def sign(key: Key, after_sep: bool) -> bytes:
            ht = s.hash_types[counter[0] % len(s.hash_types)]
            counter[0] += 1
            csp = codesep_info(tpl.script)[1] if after_sep else 0xFFFFFFFF
            return _schnorr_sig(s, key, ht, tx, idx, spent, leaf, csp)
        stack = tpl.solve(sign)
        tx.vin[idx].script_sig = b""
        tx.vin[idx].witness = (stack + [tpl.script, s.extra["control"]]
                               + ([s.annex] if s.annex is not None else []))
    s = Spend(f"p2tr_script/{tpl.name}", btc.p2tr_script(out.xonly), rand_amount(rng), fin,
              sig_kind="schnorr", hash_types=[taproot_hash_type(rng) for _ in range(6)],
              aux_seed=rng.randbytes(8))
    s.sequence = tpl.sequence
    s.need_nonfinal = tpl.need_nonfinal
    s.extra.update(template=tpl, control=control, leaf_script=tpl.script)
    if rng.random() < 0.1:
        s.annex = b"\x50" + rng.randbytes(rng.choice([0, 1, 5, 40]))
    return s


SPEND_KINDS = {
    "p2pk": (spend_p2pk, 6),
    "p2pkh": (spend_p2pkh, 10),
    "bare": (spend_bare, 6),
    "p2sh": (spend_p2sh, 10),
    "bare_findanddelete": (lambda r, e: spend_findanddelete(r, e, "bare"), 1),
    "p2sh_findanddelete": (lambda r, e: spend_findanddelete(r, e, "p2sh"), 1),
    "p2wpkh": (spend_p2wpkh, 10),
    "p2sh_p2wpkh": (lambda r, e: spend_p2wpkh(r, e, wrapped=True), 6),
    "p2wsh": (spend_p2wsh, 10),
    "p2sh_p2wsh": (lambda r, e: spend_p2wsh(r, e, wrapped=True), 5),
    "p2tr_key": (spend_p2tr_key, 12),
    "p2tr_script": (spend_p2tr_script, 14),
}


def random_spend(rng, env) -> Spend:
    names = list(SPEND_KINDS)
    fn = rng.choices([SPEND_KINDS[n][0] for n in names], [SPEND_KINDS[n][1] for n in names])[0]
    return fn(rng, env)


# ---------------------------------------------------------------- transactions


def random_env(rng) -> Env:
    r = rng.random()
    version = 2 if r < 0.6 else 1 if r < 0.8 else rng.choice([0, 3, -1, 0x7FFFFFFF, -0x80000000])
    r = rng.random()
    if r < 0.4:
        locktime = 0
    elif r < 0.7:
        locktime = rng.randint(1, LOCKTIME_THRESHOLD - 1)
    else:
        locktime = rng.randint(LOCKTIME_THRESHOLD, 0xFFFFFFFF)
    return Env(version, locktime)


def random_sequence(rng) -> int:
    r = rng.random()
    if r < 0.5:
        return 0xFFFFFFFF
    if r < 0.7:
        return 0xFFFFFFFE
    return rng.getrandbits(32)


def random_outputs(rng, n: int) -> list[TxOut]:
    outs = []
    for _ in range(n):
        spk = rng.choice([
            lambda: btc.p2wpkh_script(rng.randbytes(33)),
            lambda: btc.p2tr_script(rng.randbytes(32)),
            lambda: btc.p2sh_script(rng.randbytes(10)),
            lambda: bytes([btc.OP_RETURN]) + push(rng.randbytes(rng.randint(0, 40))),
            lambda: rng.randbytes(rng.randint(0, 30)),
        ])()
        outs.append(TxOut(rand_amount(rng), spk))
    return outs


@dataclass
class SignedTx:
    tx: Tx
    spent: list[TxOut]
    spends: list[Spend]

    def refinalize(self) -> None:
        """(Re-)sign every input. Spends whose scriptPubKey depends on their
        own signature go first: taproot signatures commit to all spent
        scriptPubKeys."""
        order = sorted(range(len(self.spends)), key=lambda i: not self.spends[i].spk_from_sig)
        for i in order:
            self.spends[i].finalize(self.tx, i, self.spent)


def build_signed_tx(rng: random.Random, n_inputs: int | None = None,
                    kinds: list[str] | None = None) -> SignedTx:
    """A transaction all of whose inputs are valid spends."""
    env = random_env(rng)
    n = n_inputs or rng.choice([1, 1, 2, 2, 3, 4])
    spends = []
    for i in range(n):
        if kinds:
            spends.append(SPEND_KINDS[kinds[i % len(kinds)]][0](rng, env))
        else:
            spends.append(random_spend(rng, env))
    tx = Tx(env.version, [], random_outputs(rng, rng.choice([0, 1, 1, 2, 2, 3, 5])), env.locktime)
    for s in spends:
        seq = s.sequence if s.sequence is not None else random_sequence(rng)
        if s.need_nonfinal and seq == 0xFFFFFFFF:
            seq = rng.randint(0, 0xFFFFFFFE)
        tx.vin.append(TxIn(rng.randbytes(32), rng.choice([0, 1, rng.getrandbits(32)]), b"", seq))
    st = SignedTx(tx, [TxOut(s.amount, s.spk) for s in spends], spends)
    st.refinalize()
    return st


def verify_request(tx: Tx, idx: int, spent: list[TxOut], flags: int, raw: bytes | None = None) -> dict:
    """The JSON request (without id) for verifying input idx."""
    return {"op": "verify", "tx": (raw if raw is not None else tx.serialize()).hex(), "input": idx,
            "spent": [{"amount": o.amount, "script": o.script_pubkey.hex()} for o in spent],
            "flags": flags}


# Consensus flags as libbitcoinkernel numbers them (Core's SCRIPT_VERIFY_*).
F_P2SH, F_DERSIG, F_NULLDUMMY = 1 << 0, 1 << 2, 1 << 4
F_CLTV, F_CSV, F_WITNESS, F_TAPROOT = 1 << 9, 1 << 10, 1 << 11, 1 << 17
ALL_FLAGS = F_P2SH | F_DERSIG | F_NULLDUMMY | F_CLTV | F_CSV | F_WITNESS | F_TAPROOT
FLAG_NAMES = {F_P2SH: "P2SH", F_DERSIG: "DERSIG", F_NULLDUMMY: "NULLDUMMY", F_CLTV: "CLTV",
              F_CSV: "CSV", F_WITNESS: "WITNESS", F_TAPROOT: "TAPROOT"}


def random_flags(rng: random.Random) -> int:
    """A consensus flag set obeying WITNESS => P2SH and TAPROOT => WITNESS;
    biased toward all flags (what a current node uses)."""
    if rng.random() < 0.5:
        return ALL_FLAGS
    f = 0
    for bit in FLAG_NAMES:
        if rng.random() < 0.6:
            f |= bit
    if f & F_TAPROOT:
        f |= F_WITNESS
    if f & F_WITNESS:
        f |= F_P2SH
    return f
