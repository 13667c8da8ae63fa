#!/usr/bin/env python3
"""Kernel replay: is every block rustyd mines valid for Bitcoin Core, and
does rustyd reject what Core rejects, for the same reason?

1. rusty-verify `chain.build` mines a regtest chain (coinbase-only blocks,
   fan-out blocks, blocks spending P2WPKH and taproot outputs).
2. The chain is replayed into Bitcoin Core's libbitcoinkernel
   (py-bitcoinkernel) and into rusty-verify (`chain.reset`/`chain.submit`):
   every block must be accepted and both must end on the last block.
3. Hundreds of mutants of valid blocks (one broken rule each, proof of work
   re-ground) are submitted to both at the mutant's parent; accept/reject,
   the reject reason and the resulting tip are compared.

  replay.py                               # default chain, 800 mutants, seed 1
  replay.py --mutants 2000 --seed 7 --binary .build/release/rusty-verify
  replay.py --chain saved.json --seed 7   # replay a saved chain (see --save-chain)

Exit status: 0 all agree; 1 a disagreement (or a block of the valid chain
refused, or a generator self-check failure); 2 rusty-verify crashed, hung,
broke the protocol or could not be built. See README.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "difftest"))

try:
    import kernel_node  # noqa: E402  (needs py-bitcoinkernel)
except ImportError as e:  # pragma: no cover
    sys.exit(f"cannot import py-bitcoinkernel ({e}); run: pip install -r {HERE}/../difftest/requirements.txt")
import blockmodel as bm  # noqa: E402
import mutations as mut  # noqa: E402
from rusty_client import ClientError, RustyClient  # noqa: E402

# Core's ScriptErrorString() texts, as the kernel logs them inside
# "block-script-verify-flag-failed (...)", mapped to ScriptError names
# (which rusty-verify reports).
SCRIPT_ERROR_TEXT = {
    "Script evaluated without error but finished with a false/empty top stack element": "EVAL_FALSE",
    "Script failed an OP_EQUALVERIFY operation": "EQUALVERIFY",
    "Script failed an OP_VERIFY operation": "VERIFY",
    "Script failed an OP_CHECKSIGVERIFY operation": "CHECKSIGVERIFY",
    "Non-canonical DER signature": "SIG_DER",
    "Witness program was passed an empty witness": "WITNESS_PROGRAM_WITNESS_EMPTY",
    "Witness program hash mismatch": "WITNESS_PROGRAM_MISMATCH",
    "Witness program has incorrect length": "WITNESS_PROGRAM_WRONG_LENGTH",
    "Witness requires empty scriptSig": "WITNESS_MALLEATED",
    "Witness provided for non-witness script": "WITNESS_UNEXPECTED",
    "Invalid Schnorr signature": "SCHNORR_SIG",
    "Invalid Schnorr signature size": "SCHNORR_SIG_SIZE",
    "Invalid Schnorr signature hash type": "SCHNORR_SIG_HASHTYPE",
    "Invalid Taproot control block size": "TAPROOT_WRONG_CONTROL_SIZE",
    "Push value size limit exceeded": "PUSH_SIZE",
    "Stack size limit exceeded": "STACK_SIZE",
    "Signature hash type missing or not understood": "SIG_HASHTYPE",
    "Operation not valid with the current stack size": "INVALID_STACK_OPERATION",
    "OP_RETURN was encountered": "OP_RETURN",
    "Opcode missing or not understood": "BAD_OPCODE",
    "Public key is neither compressed or uncompressed": "PUBKEYTYPE",
    "unknown error": "UNKNOWN_ERROR",
}
SCRIPT_FAIL = mut.SCRIPT_FAIL


def script_inner(reason: str) -> str | None:
    if reason and reason.startswith(SCRIPT_FAIL + " (") and reason.endswith(")"):
        return reason[len(SCRIPT_FAIL) + 2:-1]
    return None


def reasons_match(kernel: str, rusty: str, script_names: bool = True) -> tuple[bool, str | None]:
    """(match, warning). Script failures: the prefix must match and, when the
    kernel's error text is known (and script_names), the ScriptError name too."""
    if kernel == rusty:
        return True, None
    k_in, r_in = script_inner(kernel), script_inner(rusty or "")
    if k_in is not None and r_in is not None:
        if not script_names:
            return True, None
        name = SCRIPT_ERROR_TEXT.get(k_in)
        if name is None:
            return True, f"unmapped kernel script error text {k_in!r} (rusty: {r_in})"
        return name == r_in, None
    return False, None


# ---------------------------------------------------------------- rusty side


class Rusty:
    """rusty-verify chain ops, one request at a time."""

    def __init__(self, binary: str, timeout: float):
        self.client = RustyClient(binary, timeout=timeout)
        self.next_id = 1
        self.tip: str | None = None
        self.height = 0

    def call(self, req: dict) -> dict:
        req = dict(req, id=self.next_id)
        self.next_id += 1
        self.client.send(req)
        resp = self.client.receive()
        if resp.get("id") != req["id"]:
            raise ClientError(f"response id {resp.get('id')} for request {req['id']}")
        if "tip" in resp:
            self.tip, self.height = resp["tip"], resp.get("height", self.height)
        return resp

    def build(self, params: dict) -> list[bytes]:
        resp = self.call(dict(params, op="chain.build"))
        if not resp["ok"]:
            raise ClientError(f"chain.build failed: {resp}")
        return [bytes.fromhex(h) for h in resp["blocks"]]

    def reset(self) -> None:
        resp = self.call({"op": "chain.reset"})
        if not resp["ok"]:
            raise ClientError(f"chain.reset failed: {resp}")

    def submit(self, raw: bytes) -> dict:
        return self.call({"op": "chain.submit", "block": raw.hex()})

    def close(self) -> None:
        self.client.close()


def rusty_verdict(resp: dict) -> str:
    if resp["ok"]:
        return "accepted"
    return "duplicate" if resp.get("reason") == "duplicate" else "rejected"


def rusty_reason(resp: dict) -> str | None:
    if resp["ok"]:
        return None
    return resp.get("reason") or f"error: {resp.get('error')}"


# ---------------------------------------------------------------- chain tracking


class Tracker:
    """Walks the valid chain and hands out each height's mutation context."""

    def __init__(self, raws: list[bytes]):
        self.raws = raws
        self.blocks = [bm.Block.parse(r) for r in raws]
        self.hashes = [b.hash()[::-1].hex() for b in self.blocks]
        self.times = [bm.REGTEST_GENESIS_TIME]
        self.utxo: dict = {}
        self.spent: dict = {}
        self.coinbase_txids: dict = {}

    def context(self, height: int) -> mut.Context:
        return mut.Context(height, self.blocks[height - 1], self.raws[height - 1], self.raws, self.times,
                           self.utxo, self.spent, self.coinbase_txids, len(self.raws))

    def apply(self, height: int) -> None:
        b = self.blocks[height - 1]
        for i, tx in enumerate(b.txs):
            txid = tx.txid()
            if i == 0:
                self.coinbase_txids[height] = txid
            else:
                for txin in tx.vin:
                    op = (txin.prev_txid, txin.prev_index)
                    self.utxo.pop(op, None)
                    self.spent[op] = height
            for n, o in enumerate(tx.vout):
                if o.script_pubkey[:1] != b"\x6a":
                    self.utxo[(txid, n)] = mut.Coin(o.amount, o.script_pubkey, height, i == 0)
        self.times.append(b.header.time)


# ---------------------------------------------------------------- results


class Results:
    def __init__(self, show: int, fail_file: str | None):
        self.show = show
        self.by_kind: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.codes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.reasons: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.disagreements: list[dict] = []
        self.selfcheck: list[dict] = []
        self.warnings: list[str] = []
        self.fail_file = open(fail_file, "w") if fail_file else None

    def record(self, kind: str, entry: dict | None, agree: bool, k: dict | None = None) -> None:
        c = self.by_kind[kind]
        c["cases"] += 1
        c["agree" if agree else "disagree"] += 1
        if k is not None:
            self.codes[kind][k.get("result") or ("-" if k["verdict"] != "rejected" else "?")] += 1
            self.reasons[kind][k.get("reason") or k["verdict"]] += 1
        if not agree and entry is not None:
            self.disagreements.append(entry)
            if self.fail_file:
                self.fail_file.write(json.dumps(entry) + "\n")
                self.fail_file.flush()


# With script-check worker threads the kernel reports whichever failing input
# a worker meets first, so script error names are only compared inline.
COMPARE_SCRIPT_NAMES = True


def judge(k: dict, r: dict, rusty_tip: str | None) -> tuple[bool, list[str], str | None]:
    problems, warning = [], None
    rv = rusty_verdict(r)
    if k["verdict"] != rv:
        problems.append(f"verdict: kernel {k['verdict']}, rusty {rv}")
    elif rv == "rejected":
        if k["reason"] == "?":
            warning = "kernel logged no reject reason"
        else:
            ok, warning = reasons_match(k["reason"], rusty_reason(r), COMPARE_SCRIPT_NAMES)
            if not ok:
                problems.append(f"reason: kernel {k['reason']!r}, rusty {rusty_reason(r)!r}")
    if rusty_tip is not None and k["tip"] != rusty_tip:
        problems.append(f"tip: kernel {k['tip']} (height {k['height']}), rusty {rusty_tip}")
    return not problems, problems, warning


def design_matches(expect: str, k: dict) -> bool:
    if expect == "?":
        return True
    if expect == "valid":
        return k["verdict"] == "accepted"
    if expect == "duplicate":
        return k["verdict"] == "duplicate"
    if k["verdict"] != "rejected":
        return False
    if expect == SCRIPT_FAIL:
        return (k["reason"] or "").startswith(SCRIPT_FAIL)
    return k["reason"] == expect


# ---------------------------------------------------------------- phases


def replay_valid(raws: list[bytes], rusty: Rusty, hashes: list[str], workers: int) -> list[str]:
    """Phase 1: every block accepted by both; both end on the last block."""
    errors = []
    kernel = kernel_node.KernelNode(workers)
    try:
        for h, raw in enumerate(raws, 1):
            k = kernel.submit(raw)
            if k["verdict"] != "accepted" or k["tip"] != hashes[h - 1]:
                errors.append(f"kernel refused valid block {h} ({hashes[h - 1]}): {k}")
                break
        ktip = kernel.tip()
    finally:
        kernel.close()
    rusty.reset()
    for h, raw in enumerate(raws, 1):
        r = rusty.submit(raw)
        if not r["ok"] or r.get("tip") != hashes[h - 1]:
            errors.append(f"rusty refused valid block {h} ({hashes[h - 1]}): {r}")
            break
    print(f"valid chain: {len(raws)} blocks; kernel tip {ktip[0]} height {ktip[1]}; "
          f"rusty tip {rusty.tip} height {rusty.height}; last block {hashes[-1]}")
    if ktip[0] != hashes[-1]:
        errors.append(f"kernel tip {ktip[0]} != last block {hashes[-1]}")
    if rusty.tip != hashes[-1]:
        errors.append(f"rusty tip {rusty.tip} != last block {hashes[-1]}")
    return errors


def schedule(n_blocks: int, tracker: Tracker, count: int, seed: int, only: list[str] | None):
    """Deterministic (index, kind, height) cases, round-robin over kinds."""
    kinds = [k for k in mut.MUTATIONS if not only or any(k.startswith(o) for o in only)]
    spend_heights = [h for h in range(1, n_blocks + 1) if len(tracker.blocks[h - 1].txs) > 1]
    rng = random.Random(f"schedule:{seed}")
    cases = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        heights = spend_heights if kind in mut.NEEDS_SPENDS else list(range(1, n_blocks + 1))
        if kind in mut.NEEDS_SPENT_BEFORE:
            heights = [h for h in heights if spend_heights and h > spend_heights[0]]
        if kind in mut.MAY_MOVE_TIP:
            heights = [h for h in heights if h <= n_blocks - 2]
        if not heights:
            continue
        cases.append((i, kind, rng.choice(heights)))
    # Within a height: cases that may move the tip last (fewer rebuilds).
    cases.sort(key=lambda c: (c[2], c[1] in mut.MAY_MOVE_TIP, c[0]))
    return cases


class Mutator:
    """Phase 3 driver: one kernel chainstate and one rusty chain, walked
    along the valid chain; the mutants of height h are submitted while both
    tips are the valid block h-1, then the valid block h itself."""

    def __init__(self, raws, tracker, rusty, results, seed, workers):
        self.raws, self.tracker, self.rusty, self.results = raws, tracker, rusty, results
        self.seed, self.workers = seed, workers
        self.kernel = None
        self.synced_height = -1
        self.rebuilds = 0
        self.not_applicable = collections.Counter()

    def rebuild(self, height: int) -> None:
        """Fresh kernel chainstate and rusty chain holding valid blocks 1..height."""
        if self.kernel is not None:
            self.kernel.close()
            self.rebuilds += 1
        self.kernel = kernel_node.KernelNode(self.workers)
        self.rusty.reset()
        for h in range(1, height + 1):
            k = self.kernel.submit(self.raws[h - 1])
            r = self.rusty.submit(self.raws[h - 1])
            if k["verdict"] != "accepted" or not r["ok"]:
                raise RuntimeError(f"rebuild failed at height {h}: kernel {k}, rusty {r}")
        self.synced_height = height

    def ensure_at(self, height: int) -> None:
        want = self.tracker.hashes[height - 1] if height else None
        ktip = self.kernel.tip()[0] if self.kernel else None
        if self.kernel is None or ktip != want or self.rusty.tip != want:
            self.rebuild(height)

    def step(self, raw: bytes) -> tuple[dict, dict]:
        k = self.kernel.submit(raw)
        r = self.rusty.submit(raw)
        return k, r

    def run_case(self, index: int, kind: str, height: int) -> None:
        rng = random.Random(f"case:{self.seed}:{index}")
        ctx = self.tracker.context(height)
        m = mut.MUTATIONS[kind](ctx, rng)
        if m is None:
            self.not_applicable[kind] += 1
            return
        self.ensure_at(height - 1)
        steps = []
        agree = True
        problems_all = []
        for label, raw in m.pre + [("mutant", m.raw)]:
            k, r = self.step(raw)
            ok, problems, warning = judge(k, r, r.get("tip", self.rusty.tip))
            if warning:
                self.results.warnings.append(f"{kind} [{m.variant}] h={height} {label}: {warning}")
            steps.append({"step": label, "block": raw.hex(), "hash": bm.Block.parse(raw).hash()[::-1].hex()
                          if _parses(raw) else None,
                          "kernel": {x: k.get(x) for x in ("verdict", "reason", "result", "tip", "height")},
                          "kernel_log": k.get("log"), "rusty": r})
            if not ok:
                agree = False
                problems_all += [f"{label}: {p}" for p in problems]
        k_final = k
        entry = {"kind": kind, "variant": m.variant, "height": m.height, "seed": self.seed, "case": index,
                 "expect": m.expect, "problems": problems_all, "steps": steps}
        if not design_matches(m.expect, k_final):
            self.results.selfcheck.append({"kind": kind, "variant": m.variant, "height": m.height, "case": index,
                                           "expect": m.expect, "kernel": steps[-1]["kernel"]})
        self.results.record(kind, entry, agree, k_final)

    def run_valid(self, height: int) -> None:
        """Submit the valid block at `height` after its mutants."""
        raw = self.raws[height - 1]
        k, r = self.step(raw)
        ok, problems, _ = judge(k, r, r.get("tip", self.rusty.tip))
        if k["verdict"] != "accepted":
            problems.append(f"kernel did not accept the valid block: {k['verdict']} {k.get('reason')}")
            ok = False
        entry = {"kind": "valid/after-mutants", "variant": "", "height": height, "seed": self.seed, "case": None,
                 "expect": "valid", "problems": problems,
                 "steps": [{"step": "valid", "hash": self.tracker.hashes[height - 1],
                            "kernel": {x: k.get(x) for x in ("verdict", "reason", "result", "tip", "height")},
                            "rusty": r}]}
        self.results.record("valid/after-mutants", entry, ok, k)


def _parses(raw: bytes) -> bool:
    try:
        bm.Block.parse(raw)
        return True
    except Exception:
        return False


def run_mutations(raws, tracker, rusty, results, args) -> int:
    cases = schedule(len(raws), tracker, args.mutants, args.seed, args.only)
    if args.case:
        cases = [c for c in cases if c[0] in args.case]
    by_height = collections.defaultdict(list)
    for c in cases:
        by_height[c[2]].append(c)
    mz = Mutator(raws, tracker, rusty, results, args.seed, args.workers)
    mz.rebuild(0)
    for h in range(1, len(raws) + 1):
        for index, kind, height in by_height.get(h, []):
            mz.run_case(index, kind, height)
        if by_height.get(h):
            mz.ensure_at(h - 1)   # a control may have moved a tip
        mz.run_valid(h)
        tracker.apply(h)
    final_k = mz.kernel.tip()
    final_ok = final_k[0] == tracker.hashes[-1] and rusty.tip == tracker.hashes[-1]
    print(f"mutation phase end: kernel tip {final_k[0]} height {final_k[1]}; rusty tip {rusty.tip}; "
          f"rebuilds {mz.rebuilds}; not applicable {sum(mz.not_applicable.values())}")
    mz.kernel.close()
    results.not_applicable = mz.not_applicable
    return 0 if final_ok else 1


# ---------------------------------------------------------------- report


def print_summary(results: Results, out=sys.stdout) -> None:
    kinds = sorted(results.by_kind)
    w = max(len(k) for k in kinds) if kinds else 10
    print(f"\n{'kind':<{w}}  cases  agree  disagree  n/a  kernel result codes / reasons", file=out)
    total = collections.Counter()
    for kind in kinds:
        c = results.by_kind[kind]
        total.update(c)
        na = getattr(results, "not_applicable", {}).get(kind, 0)
        codes = ", ".join(f"{k}:{v}" for k, v in results.codes[kind].most_common())
        reasons = ", ".join(f"{_short(k)}:{v}" for k, v in results.reasons[kind].most_common(4))
        print(f"{kind:<{w}}  {c['cases']:5}  {c['agree']:5}  {c['disagree']:8}  {na:3}  {codes} | {reasons}", file=out)
    print(f"{'TOTAL':<{w}}  {total['cases']:5}  {total['agree']:5}  {total['disagree']:8}", file=out)


def _short(reason: str) -> str:
    inner = script_inner(reason or "")
    if inner is not None:
        return f"script({SCRIPT_ERROR_TEXT.get(inner, inner)})"
    return reason


def _group_key(e: dict) -> tuple:
    base = e["variant"].split(" (")[0]
    problems = tuple(p.split(" (height")[0] if p.split(":")[1].strip() == "tip" else p for p in e["problems"])
    return e["kind"], base, problems


def print_disagreements(results: Results, show: int, out=sys.stdout) -> None:
    """Disagreements grouped by (kind, variant, problem), one example each."""
    if not results.disagreements:
        return
    groups: dict[tuple, list[dict]] = {}
    for e in results.disagreements:
        groups.setdefault(_group_key(e), []).append(e)
    print(f"\n{len(results.disagreements)} disagreement(s) in {len(groups)} group(s); "
          f"one example per group (first {show} groups):", file=out)
    for (kind, base, problems), entries in list(groups.items())[:show]:
        e = entries[0]
        print(f"- {kind} [{base}] x{len(entries)} at heights {sorted({x['height'] for x in entries})}", file=out)
        for p in problems:
            print(f"    {p}", file=out)
        print(f"    example: height {e['height']}, case {e['case']}, seed {e['seed']}, variant {e['variant']!r}, "
              f"designed for {e['expect']!r}", file=out)
        for s in e["steps"]:
            r = s["rusty"]
            print(f"      {s['step']}: block {s.get('hash')}; kernel {s['kernel']['verdict']} "
                  f"{s['kernel'].get('reason') or ''} [{s['kernel'].get('result') or '-'}]; rusty "
                  f"{json.dumps({x: r.get(x) for x in ('ok', 'reason', 'error', 'height') if x in r})}", file=out)


def build_binary() -> str:
    cmd = ["flock", "/tmp/rusty-build.lock", "swift", "build", "-c", "release", "--product", "rusty-verify"]
    print(f"building: {' '.join(cmd)} (in {REPO})", file=sys.stderr)
    if subprocess.run(cmd, cwd=REPO).returncode != 0:
        sys.exit(2)
    return os.path.join(REPO, ".build", "release", "rusty-verify")


def default_binary() -> str:
    for conf in ("release", "debug"):
        path = os.path.join(REPO, ".build", conf, "rusty-verify")
        if os.path.exists(path):
            return path
    sys.exit("no .build/{release,debug}/rusty-verify: pass --build or --binary")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", help="rusty-verify to test (default: .build/release, else .build/debug)")
    p.add_argument("--build", action="store_true", help="build rusty-verify (release, under the shared lock) first")
    p.add_argument("--empty", type=int, default=101, help="coinbase-only blocks (chain.build)")
    p.add_argument("--fanout", type=int, default=3, help="fan-out blocks")
    p.add_argument("--outputs", type=int, default=60, help="outputs per fan-out block")
    p.add_argument("--spend", type=int, default=20, help="spending blocks")
    p.add_argument("--inputs", type=int, default=25, help="inputs spent per spending block")
    p.add_argument("--per-tx", type=int, default=2, help="inputs per spending transaction")
    p.add_argument("--chain", help="replay this saved chain (JSON list of block hex) instead of chain.build")
    p.add_argument("--save-chain", help="save the built chain here (JSON list of block hex)")
    p.add_argument("--mutants", type=int, default=800, help="mutation cases (0: valid replay only)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--only", help="comma-separated kind prefixes, e.g. coinbase/,witness/sig")
    p.add_argument("--case", help="run only these case numbers (comma-separated; same --seed/--mutants/--only)")
    p.add_argument("--show", type=int, default=8, help="disagreement groups to print")
    p.add_argument("--fail-file", help="write every disagreement (with block hex) as JSON lines")
    p.add_argument("--warnings", action="store_true", help="print every warning")
    p.add_argument("--workers", type=int, default=0, help="kernel script-check worker threads (0: inline)")
    p.add_argument("--timeout", type=float, default=300.0, help="per-response timeout of rusty-verify (s)")
    args = p.parse_args(argv)
    args.only = [o for o in args.only.split(",") if o] if args.only else None
    args.case = {int(c) for c in args.case.split(",") if c} if args.case else None
    global COMPARE_SCRIPT_NAMES
    COMPARE_SCRIPT_NAMES = args.workers == 0

    binary = build_binary() if args.build else (args.binary or default_binary())
    start = time.time()
    try:
        rusty = Rusty(binary, args.timeout)
    except OSError as e:
        print(f"cannot start {binary}: {e}", file=sys.stderr)
        return 2
    try:
        if args.chain:
            with open(args.chain) as f:
                raws = [bytes.fromhex(h) for h in json.load(f)]
        else:
            params = {"empty": args.empty, "fanout": args.fanout, "outputs": args.outputs, "spend": args.spend,
                      "inputs": args.inputs, "per_tx": args.per_tx}
            raws = rusty.build(params)
            print(f"chain.build {json.dumps(params)}: {len(raws)} blocks, "
                  f"{sum(len(r) for r in raws):,} bytes, {time.time() - start:.1f}s")
        chain_file = args.save_chain
        if chain_file:
            with open(chain_file, "w") as f:
                json.dump([r.hex() for r in raws], f)
        tracker = Tracker(raws)
        n_tx = sum(len(b.txs) for b in tracker.blocks)
        n_in = sum(len(t.vin) for b in tracker.blocks for t in b.txs[1:])
        print(f"chain: {len(raws)} blocks, {n_tx} transactions, {n_in} spent inputs")

        status = 0
        errors = replay_valid(raws, rusty, tracker.hashes, args.workers)
        for e in errors:
            print(f"VALID-CHAIN FAILURE: {e}")
        if errors:
            status = 1
        print(f"phase 1 (valid replay): {'OK' if not errors else 'FAILED'} ({time.time() - start:.1f}s)")

        results = Results(args.show, args.fail_file)
        if args.mutants > 0:
            t0 = time.time()
            if run_mutations(raws, tracker, rusty, results, args) != 0:
                print("MUTATION PHASE: final tips are not the last valid block")
                status = 1
            print(f"phase 2 (mutations): {time.time() - t0:.1f}s")
            print_summary(results)
            print_disagreements(results, args.show)
            if results.selfcheck:
                print(f"\n{len(results.selfcheck)} generator self-check deviation(s) (the kernel did not do what "
                      f"the mutation was designed for; not a rusty verdict):")
                for s in results.selfcheck[:args.show]:
                    print(f"  {json.dumps(s)}")
                status = 1
            if results.warnings:
                print(f"\n{len(results.warnings)} warning(s)")
                for w_ in (results.warnings if args.warnings else results.warnings[:5]):
                    print(f"  {w_}")
            if results.disagreements:
                status = 1
                if not args.chain and not chain_file:
                    chain_file = f"/tmp/kernel-replay-chain-seed{args.seed}.json"
                    with open(chain_file, "w") as f:
                        json.dump([r.hex() for r in raws], f)
                if chain_file or args.chain:
                    print(f"\nreproduce: {sys.argv[0]} --chain {chain_file or args.chain} --seed {args.seed} "
                          f"--mutants {args.mutants}" + (f" --only {','.join(args.only)}" if args.only else ""))
        print(f"\n{'OK' if status == 0 else 'FAILED'} in {time.time() - start:.1f}s")
        return status
    except ClientError as e:
        print(f"rusty-verify failure: {e}\nstderr tail:\n{rusty.client.stderr_tail()}", file=sys.stderr)
        return 2
    finally:
        rusty.close()


if __name__ == "__main__":
    sys.exit(main())
