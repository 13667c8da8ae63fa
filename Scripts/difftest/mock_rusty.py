#!/usr/bin/env python3
"""Stand-in for rusty-verify that answers with the kernel itself, for
testing run.py's comparison machinery before the Swift binary exists.

  run.py --binary Scripts/difftest/mock_rusty.py          # must agree 100%
  MOCK_RUSTY_BUG=50 run.py --binary .../mock_rusty.py     # every 50th verify
                                                          # answer flipped
  MOCK_RUSTY_CRASH_AT=100 ...                             # exit at request 100
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kernel_oracle  # noqa: E402


def main() -> None:
    bug = int(os.environ.get("MOCK_RUSTY_BUG", "0"))
    crash_at = int(os.environ.get("MOCK_RUSTY_CRASH_AT", "0"))
    n_verify = 0
    for n, line in enumerate(sys.stdin, 1):
        if crash_at and n >= crash_at:
            sys.exit(3)
        req = json.loads(line)
        resp = kernel_oracle.answer(req)
        if req["op"] == "verify":
            n_verify += 1
            if resp.get("error") == "SCRIPT_INVALID":
                resp["error"] = "EVAL_FALSE"
            if bug and n_verify % bug == 0:
                resp = {"ok": True} if not resp["ok"] else {"ok": False, "error": "EVAL_FALSE"}
        resp.pop("bad_request", None)
        sys.stdout.write(json.dumps({"id": req["id"], **resp}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
