"""The reference side: a regtest ChainstateManager of Bitcoin Core's
libbitcoinkernel (PyPI py-bitcoinkernel, module `pbk`).

What the API gives for a submitted block (see README.md, "Kernel API"):
* `ChainstateManager.process_block(block)` returns True for a new block,
  False for one it already had; it raises `ProcessBlockException` when
  Core's ProcessNewBlock returns false (CheckBlock / AcceptBlock failed).
  A block that fails while being *connected* (ConnectBlock: amounts,
  inputs, scripts, sigops) does not raise: ProcessNewBlock still returns
  true, the block is stored and marked invalid, and the tip stays put.
* The `block_checked` validation callback delivers a BlockValidationState
  with a ValidationMode and a BlockValidationResult (CONSENSUS, MUTATED,
  INVALID_HEADER, ...), but no reject-reason string.
* The reject reason string (e.g. "bad-cb-amount") is only in the kernel's
  log: "ProcessNewBlock: AcceptBlock FAILED (<reason>, <debug>)" and
  "ConnectTip: ConnectBlock <hash> failed, <reason>, <debug>". A global
  LoggingConnection collects those lines and `reason` is parsed from them.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading

import pbk

_LOG_LOCK = threading.Lock()
_LOG_LINES: list[str] = []


def _on_log(message: str) -> None:
    with _LOG_LOCK:
        _LOG_LINES.append(message)


# One connection for the whole process (the kernel's logger is global).
_LOG_CONNECTION = pbk.LoggingConnection(_on_log)

_ACCEPT_FAILED = re.compile(r"AcceptBlock FAILED \((.*)\)\s*$", re.S)
_CONNECT_FAILED = re.compile(r"ConnectBlock [0-9a-f]{64} failed, (.*?)\s*$", re.S)


def split_reason(state_text: str) -> str:
    """Reject reason out of Core's BlockValidationState::ToString()
    ("<reason>, <debug message>"); a script failure keeps its
    parenthesised ScriptError text."""
    text = state_text.strip()
    if text.startswith("block-script-verify-flag-failed ("):
        depth = 0
        for i, ch in enumerate(text):
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return text[:i + 1]
        return text
    return text.split(", ", 1)[0]


class KernelNode:
    """A fresh regtest chainstate in a temporary data directory (block tree
    and chainstate databases in memory, block files on disk)."""

    def __init__(self, workers: int = 0):
        self.datadir = tempfile.mkdtemp(prefix="kernel-replay-")
        self.checked: list[tuple[str, pbk.ValidationMode, pbk.BlockValidationResult]] = []
        self.connected: list[str] = []

        def on_checked(_ud, block, state):
            self.checked.append((str(block.block_hash), state.validation_mode, state.block_validation_result))

        def on_connected(_ud, block, _entry):
            self.connected.append(str(block.block_hash))

        self._callbacks = pbk.ValidationInterfaceCallbacks(block_checked=on_checked, block_connected=on_connected)
        self.context = pbk.make_context(pbk.ChainType.REGTEST, validation_callbacks=self._callbacks)
        opts = pbk.ChainstateManagerOptions(self.context, self.datadir, self.datadir + "/blocks")
        opts.update_block_tree_db_in_memory(True)
        opts.update_chainstate_db_in_memory(True)
        opts.set_worker_threads_num(workers)
        self.chainman = pbk.ChainstateManager(opts)

    def tip(self) -> tuple[str, int]:
        chain = self.chainman.get_active_chain()
        h = chain.height
        return str(chain.block_tree_entries[h].block_hash), h

    def submit(self, raw: bytes) -> dict:
        """Process one block. Result:
        {"verdict": "accepted"|"duplicate"|"rejected", "reason", "result"
         (BlockValidationResult name or None), "tip", "height", "log"}."""
        with _LOG_LOCK:
            _LOG_LINES.clear()
        self.checked.clear()
        self.connected.clear()
        out: dict = {"verdict": None, "reason": None, "result": None}
        try:
            block = pbk.Block(raw)
        except Exception as e:  # the C parser refused the bytes
            out.update(verdict="rejected", reason="decode", result="DECODE", error=str(e))
            out["tip"], out["height"] = self.tip()
            return out
        if len(bytes(block)) != len(raw):
            out.update(verdict="rejected", reason="decode", result="DECODE", error="trailing data")
            out["tip"], out["height"] = self.tip()
            return out
        bhash = str(block.block_hash)
        raised = False
        is_new = False
        try:
            is_new = self.chainman.process_block(block)
        except pbk.ProcessBlockException:
            raised = True
        with _LOG_LOCK:
            log = list(_LOG_LINES)
        out["tip"], out["height"] = self.tip()
        mine = [c for c in self.checked if c[0] == bhash]
        invalid = [c for c in mine if c[1] != pbk.ValidationMode.VALID]
        if invalid:
            out["result"] = invalid[-1][2].name
        reason = None
        for line in log:
            m = _ACCEPT_FAILED.search(line) or _CONNECT_FAILED.search(line)
            if m:
                reason = split_reason(m.group(1))
        if raised or invalid:
            out["verdict"] = "rejected"
            out["reason"] = reason or "?"
            if out["result"] is None and self.checked:
                out["result"] = self.checked[-1][2].name
        elif not is_new:
            out["verdict"] = "duplicate"
            out["reason"] = "duplicate"
        else:
            out["verdict"] = "accepted"
        out["connected"] = bhash in self.connected
        out["log"] = [line.strip() for line in log if "UpdateTip" not in line][-6:]
        return out

    def close(self) -> None:
        # Destroy the chainstate manager before the context and directory.
        self.chainman = None
        self.context = None
        shutil.rmtree(self.datadir, ignore_errors=True)
