"""Client for our side: the `rusty-verify` JSON-lines subprocess.

Requests are written by a background thread so the caller can keep many
in flight without risking a pipe deadlock; responses are read from the
main thread with a timeout so that a hung or crashed binary is reported
instead of blocking the run.
"""

from __future__ import annotations

import json
import os
import queue
import select
import subprocess
import tempfile
import threading


class ClientError(Exception):
    """The binary died, hung, or broke the protocol."""


class RustyClient:
    def __init__(self, binary: str, timeout: float = 60.0):
        self.timeout = timeout
        self.stderr_file = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr_file, bufsize=0)
        self._out = queue.Queue()
        self._buf = b""
        self._writer = threading.Thread(target=self._write_loop, daemon=True)
        self._writer.start()

    def _write_loop(self) -> None:
        while True:
            line = self._out.get()
            if line is None:
                break
            try:
                self.proc.stdin.write(line)
            except (BrokenPipeError, OSError):
                return
        try:
            self.proc.stdin.close()
        except OSError:
            pass

    def send(self, request: dict) -> None:
        """Queue one request (must carry its "id")."""
        self._out.put((json.dumps(request, separators=(",", ":")) + "\n").encode())

    def receive(self) -> dict:
        """Next response line, parsed. Raises ClientError on EOF/timeout/junk."""
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buf:
            ready, _, _ = select.select([fd], [], [], self.timeout)
            if not ready:
                raise ClientError(f"no response within {self.timeout:.0f}s (hung?)")
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                code = self.proc.poll()
                raise ClientError(f"rusty-verify closed its output (exit code {code})")
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        try:
            resp = json.loads(line)
        except json.JSONDecodeError as e:
            raise ClientError(f"unparsable response line {line[:200]!r}: {e}") from None
        if not isinstance(resp, dict) or not isinstance(resp.get("ok"), bool):
            raise ClientError(f"response without boolean 'ok': {line[:200]!r}")
        return resp

    def stderr_tail(self, limit: int = 2000) -> str:
        self.stderr_file.seek(0)
        data = self.stderr_file.read()
        return data[-limit:].decode(errors="replace")

    def close(self) -> int | None:
        """Close stdin, wait briefly, kill if needed; returns exit code."""
        self._out.put(None)
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()
