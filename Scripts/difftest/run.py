#!/usr/bin/env python3
"""Differential test: rusty-verify (our script interpreter and decoders)
against Bitcoin Core's libbitcoinkernel (PyPI py-bitcoinkernel).

  run.py --cases 50000 --seed 7                # build rusty-verify, compare
  run.py --cases 50000 --seed 7 --binary PATH  # compare with a given binary
  run.py --cases 50000 --kernel-only           # self-check generators vs kernel
  run.py --replay failures.jsonl               # re-run saved cases

Exit status: 0 all agree, 1 disagreement or self-check failure,
2 build/crash/hang/protocol error. See README.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

try:
    import kernel_oracle  # noqa: E402  (needs py-bitcoinkernel)
except ImportError as e:  # pragma: no cover
    sys.exit(f"cannot import py-bitcoinkernel ({e}); run: pip install -r {HERE}/requirements.txt")
import cases as casegen  # noqa: E402
import ecc  # noqa: E402
from rusty_client import ClientError, RustyClient  # noqa: E402

# Core's ScriptError names (SCRIPT_ERR_ stripped); other error names from
# rusty-verify are reported as warnings, not failures.
SCRIPT_ERRORS = set("""
OK UNKNOWN_ERROR EVAL_FALSE OP_RETURN SCRIPT_SIZE PUSH_SIZE OP_COUNT STACK_SIZE SIG_COUNT
PUBKEY_COUNT VERIFY EQUALVERIFY CHECKMULTISIGVERIFY CHECKSIGVERIFY NUMEQUALVERIFY BAD_OPCODE
DISABLED_OPCODE INVALID_STACK_OPERATION INVALID_ALTSTACK_OPERATION UNBALANCED_CONDITIONAL
NEGATIVE_LOCKTIME UNSATISFIED_LOCKTIME SIG_HASHTYPE SIG_DER MINIMALDATA SIG_PUSHONLY SIG_HIGH_S
SIG_NULLDUMMY PUBKEYTYPE CLEANSTACK MINIMALIF SIG_NULLFAIL DISCOURAGE_UPGRADABLE_NOPS
DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM DISCOURAGE_UPGRADABLE_TAPROOT_VERSION DISCOURAGE_OP_SUCCESS
DISCOURAGE_UPGRADABLE_PUBKEYTYPE WITNESS_PROGRAM_WRONG_LENGTH WITNESS_PROGRAM_WITNESS_EMPTY
WITNESS_PROGRAM_MISMATCH WITNESS_MALLEATED WITNESS_MALLEATED_P2SH WITNESS_UNEXPECTED
WITNESS_PUBKEYTYPE SCHNORR_SIG_SIZE SCHNORR_SIG_HASHTYPE SCHNORR_SIG TAPROOT_WRONG_CONTROL_SIZE
TAPSCRIPT_VALIDATION_WEIGHT TAPSCRIPT_CHECKMULTISIG TAPSCRIPT_MINIMALIF TAPSCRIPT_EMPTY_PUBKEY
OP_CODESEPARATOR SIG_FINDANDDELETE SCRIPTNUM NULLFAIL
""".split())


# ---------------------------------------------------------------- judging


def self_check(case: casegen.Case, k: dict) -> str | None:
    """Does the kernel agree with what the generator knows? A failure here
    is a bug in this tester (signer, sighash, serializer), not in rusty."""
    if k.get("bad_request"):
        return f"kernel refused the request: {k['error']}"
    if case.expect is not None and k["ok"] != case.expect:
        return f"generator expected ok={case.expect}, kernel says {k}"
    for key, val in case.known.items():
        if k.get(key) != val:
            return f"generator computed {key}={val!r}, kernel says {k.get(key)!r}"
    return None


def compare(case: casegen.Case, k: dict, ours: dict) -> tuple[bool, str | None]:
    """(agree, warning). Validity must match; for decodes also the hashes."""
    op = case.request["op"]
    if k["ok"] != ours["ok"]:
        return False, None
    warning = None
    if op == "verify":
        err = ours.get("error", "")
        k_decode = k.get("error", "").startswith("decode:")
        if not ours["ok"] and k_decode != err.startswith("decode:"):
            warning = f"decode/script class differs: kernel {k.get('error')!r}, ours {err!r}"
        elif not ours["ok"] and not err.startswith("decode:") and err not in SCRIPT_ERRORS:
            warning = f"unknown error name {err!r}"
        return True, warning
    if not k["ok"]:
        return True, None
    fields = ["txid", "wtxid"] if op == "decodetx" else ["hash", "txids"]
    for f in fields:
        a, b = k.get(f), ours.get(f)
        if isinstance(b, str):
            b = b.lower()
        elif isinstance(b, list):
            b = [x.lower() if isinstance(x, str) else x for x in b]
        if a != b:
            return False, None
    return True, None


# ---------------------------------------------------------------- reporting


class Report:
    def __init__(self, show: int, fail_file: str | None):
        self.show = show
        self.rows: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.disagreements: list[dict] = []
        self.self_failures: list[dict] = []
        self.warnings: collections.Counter = collections.Counter()
        self.warning_examples: list[dict] = []
        self.fail_fh = open(fail_file, "w") if fail_file else None

    def record(self, case, k, ours=None, agree=None, warning=None, sc=None):
        row = self.rows[case.category]
        row["cases"] += 1
        row["kernel_ok"] += bool(k["ok"])
        if sc:
            row["selfcheck_fail"] += 1
            entry = {"category": case.category, "problem": sc, "request": case.request, "kernel": k}
            self.self_failures.append(entry)
            self._save(entry)
        if ours is not None:
            row["compared"] += 1
            row["agree" if agree else "disagree"] += 1
            if not agree:
                entry = {"category": case.category, "request": case.request, "kernel": k, "ours": ours}
                self.disagreements.append(entry)
                self._save(entry)
            if warning:
                self.warnings[warning.split(":")[0]] += 1
                if len(self.warning_examples) < self.show:
                    self.warning_examples.append({"category": case.category, "warning": warning,
                                                  "request": case.request})

    def _save(self, entry):
        if self.fail_fh:
            self.fail_fh.write(json.dumps(entry) + "\n")
            self.fail_fh.flush()

    def print(self, compared: bool, elapsed: float, out=sys.stdout):
        cols = ["cases", "kernel_ok"] + (["agree", "disagree"] if compared else []) + ["selfcheck_fail"]
        w = max([len(c) for c in self.rows] + [20])
        print(f"{'category':<{w}} " + " ".join(f"{c:>14}" for c in cols), file=out)
        totals = collections.Counter()
        groups = collections.defaultdict(collections.Counter)
        for cat in sorted(self.rows):
            r = self.rows[cat]
            totals.update(r)
            groups[cat.split("/")[0]].update(r)
            print(f"{cat:<{w}} " + " ".join(f"{r[c]:>14}" for c in cols), file=out)
        print("-" * (w + 15 * len(cols)), file=out)
        for g in sorted(groups):
            print(f"{g + ' (all)':<{w}} " + " ".join(f"{groups[g][c]:>14}" for c in cols), file=out)
        print(f"{'TOTAL':<{w}} " + " ".join(f"{totals[c]:>14}" for c in cols), file=out)
        rate = totals["cases"] / elapsed if elapsed > 0 else 0
        print(f"\n{totals['cases']} cases in {elapsed:.1f}s ({rate:.0f}/s)", file=out)
        if self.warnings:
            print(f"\nwarnings (not failures): {dict(self.warnings)}", file=out)
            for e in self.warning_examples:
                print(json.dumps(e), file=out)
        if self.self_failures:
            print(f"\nSELF-CHECK FAILURES (tester bugs): {len(self.self_failures)}; first {self.show}:", file=out)
            for e in self.self_failures[:self.show]:
                print(json.dumps(e), file=out)
        if compared:
            print(f"\nDISAGREEMENTS: {len(self.disagreements)}", file=out)
            for e in self.disagreements[:self.show]:
                print(json.dumps(e), file=out)


# ---------------------------------------------------------------- running


def build_binary() -> str:
    cmd = ["flock", "/tmp/rusty-build.lock", "swift", "build", "-c", "release", "--product", "rusty-verify"]
    print(f"building: {' '.join(cmd)} (in {REPO})", file=sys.stderr)
    res = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if res.returncode != 0:
        print(res.stdout[-5000:], res.stderr[-5000:], sep="\n", file=sys.stderr)
        sys.exit(2)
    path = os.path.join(REPO, ".build", "release", "rusty-verify")
    if not os.access(path, os.X_OK):
        sys.exit(f"build succeeded but {path} is missing")
    return path


def load_replay(path: str):
    with open(path) as fh:
        for n, line in enumerate(fh):
            line = line.strip()
            if not line:
                continue
            obj = json.loads(line)
            req = dict(obj.get("request", obj))
            req.pop("id", None)
            yield casegen.Case(obj.get("category", f"replay/{req['op']}"), req)


def run(args) -> int:
    ecc.self_check()
    stream = load_replay(args.replay) if args.replay else casegen.generate(args.seed, args.cases, args.only)
    client = None
    if not args.kernel_only:
        binary = args.binary or build_binary()
        client = RustyClient(binary, timeout=args.timeout)
    report = Report(args.show, args.fail_file)
    dump = open(args.dump, "w") if args.dump else None
    pending: collections.deque = collections.deque()
    start = last_progress = time.time()
    next_id = 1
    infra_error = None

    def drain(block: bool) -> None:
        """Read responses: all that are needed to get below the in-flight cap
        (or every pending one when block is set)."""
        while pending and (block or len(pending) >= args.max_inflight):
            rid, case, k = pending[0]
            ours = client.receive()
            if ours.get("id") != rid:
                raise ClientError(f"response id {ours.get('id')!r}, expected {rid}")
            pending.popleft()
            agree, warning = compare(case, k, ours)
            report.record(case, k, ours, agree, warning, self_check(case, k))

    try:
        for case in stream:
            k = kernel_oracle.answer(case.request)
            if dump:
                dump.write(json.dumps({"category": case.category, "request": case.request,
                                       "kernel": k, "expect": case.expect}) + "\n")
            if client is None:
                report.record(case, k, sc=self_check(case, k))
            else:
                req = {"id": next_id, **case.request}
                client.send(req)
                pending.append((next_id, case, k))
                next_id += 1
                drain(block=False)
            now = time.time()
            if now - last_progress > 10:
                last_progress = now
                done = sum(r["cases"] for r in report.rows.values())
                print(f"[{now - start:6.1f}s] {done} cases done, {len(report.disagreements)} disagreements, "
                      f"{len(report.self_failures)} self-check failures", file=sys.stderr)
        if client is not None:
            drain(block=True)
    except ClientError as e:
        infra_error = str(e)
    finally:
        if dump:
            dump.close()
    elapsed = time.time() - start
    report.print(client is not None, elapsed)
    if client is not None:
        if infra_error:
            print(f"\nINFRASTRUCTURE ERROR: {infra_error}")
            if pending:
                rid, case, k = pending[0]
                print("oldest unanswered request (likely culprit):")
                print(json.dumps({"category": case.category, "request": {"id": rid, **case.request},
                                  "kernel": k}))
            print("rusty-verify stderr tail:\n" + client.stderr_tail())
            client.proc.kill()
            return 2
        code = client.close()
        if code not in (0, None):
            print(f"\nwarning: rusty-verify exited with code {code} after end of input")
    if report.disagreements or report.self_failures:
        return 1
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", type=int, default=20000, help="number of cases (default 20000)")
    p.add_argument("--seed", type=int, default=1, help="RNG seed; same seed, same cases (default 1)")
    p.add_argument("--binary", help="rusty-verify to test (default: build it with swift build)")
    p.add_argument("--kernel-only", action="store_true",
                   help="no rusty-verify: check the generators against the kernel only")
    p.add_argument("--only", type=lambda s: s.split(","),
                   help="comma-separated category prefixes, e.g. valid,mutate/high_s,decode")
    p.add_argument("--show", type=int, default=5, help="failing cases to print (default 5)")
    p.add_argument("--fail-file", help="write every failing case to this JSONL file")
    p.add_argument("--dump", help="write every generated case (with kernel verdict) to this JSONL file")
    p.add_argument("--replay", help="run the requests of a JSONL file (e.g. a --fail-file) instead")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one response")
    p.add_argument("--max-inflight", type=int, default=512, help="requests in flight at once")
    return run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
