#!/usr/bin/env python3
"""P2P interoperability: an unmodified Bitcoin P2P implementation written by others
(python-bitcoinlib's message classes, from PyPI) talks to rustyd on regtest.

1. Starts `rustyd -regtest` (release build) in a temporary data directory, mines 110 blocks
   over JSON-RPC and prepares a signed spend of block 1's coinbase (not submitted).
2. Connects over TCP and completes the handshake with python-bitcoinlib's msg_version and
   msg_verack (rustyd's wtxidrelay/sendaddrv2/sendheaders are read and set aside).
3. Downloads the headers with getheaders (python-bitcoinlib 0.12.2 parses `headers` without
   the per-header transaction count Bitcoin sends, so those 81-byte entries are read here with
   its CBlockHeader), then every block with getdata, and checks each block's hash, linkage and
   merkle root with python-bitcoinlib against rustyd's own RPC answers.
4. Relays the transaction with msg_tx and checks that rustyd accepted it (getrawmempool).

  python3 Scripts/p2p/interop.py            # exit 0: all checks passed
Needs: pip install python-bitcoinlib (0.12.2 tested).
"""

import base64
import io
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

import bitcoin
from bitcoin.core import CBlockHeader, b2lx, lx
from bitcoin.messages import MsgSerializable, msg_getdata, msg_getheaders, msg_tx, msg_verack, msg_version
from bitcoin.net import CInv

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MAGIC = bytes.fromhex("fabfb5da")
ADDRESS = "bcrt1qc558u97hrkkfz27lmw2wds7wen3lxy0ctmlrqw"  # README's throwaway regtest key
WIF = "cTGxKwwoNLs7RhLaWBPUrwtfNc8Y4q6Hu2tiSFDYGocFaimfFAWy"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    def __init__(self):
        subprocess.run(["swift", "build", "-c", "release", "--product", "rustyd"], cwd=REPO, check=True, stdout=sys.stderr)
        self.datadir = tempfile.mkdtemp(prefix="rustyd-interop-")
        self.rpc_port, self.p2p_port = free_port(), free_port()
        self.log = open(os.path.join(self.datadir, "rustyd.log"), "w")
        self.process = subprocess.Popen(
            [os.path.join(REPO, ".build/release/rustyd"), "-regtest", f"-datadir={self.datadir}", f"-rpcport={self.rpc_port}",
             f"-port={self.p2p_port}", "-bind=127.0.0.1"], stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                self.rpc("getblockcount")
                return
            except Exception:
                time.sleep(0.1)
        raise SystemExit("rustyd did not start")

    def rpc(self, method, *params):
        cookie = open(os.path.join(self.datadir, "regtest", ".cookie")).read().strip()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.rpc_port}/", json.dumps({"id": 1, "method": method, "params": list(params)}).encode(),
            {"Authorization": "Basic " + base64.b64encode(cookie.encode()).decode(), "Content-Type": "application/json"})
        reply = json.loads(urllib.request.urlopen(request, timeout=60).read())
        if reply.get("error"):
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def stop(self):
        try:
            self.rpc("stop")
            self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            shutil.rmtree(self.datadir, ignore_errors=True)


class Peer:
    """A raw connection: frames are cut here; payloads are parsed by python-bitcoinlib."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buffer = b""

    def send(self, message):
        self.sock.sendall(message.to_bytes())

    def receive(self):
        """(command, payload) of the next message, checksum verified."""
        while True:
            if len(self.buffer) >= 24:
                magic, command, length, checksum = struct.unpack("<4s12sI4s", self.buffer[:24])
                assert magic == MAGIC, f"wrong magic {magic.hex()}"
                if len(self.buffer) >= 24 + length:
                    payload = self.buffer[24:24 + length]
                    self.buffer = self.buffer[24 + length:]
                    assert bitcoin.core.serialize.Hash(payload)[:4] == checksum, "bad checksum"
                    return command.rstrip(b"\0").decode(), payload
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise SystemExit("rustyd closed the connection")
            self.buffer += chunk

    def expect(self, wanted):
        """Reads until a `wanted` message; returns its payload and the commands passed over."""
        skipped = []
        while True:
            command, payload = self.receive()
            if command == wanted:
                return payload, skipped
            skipped.append(command)


def parse_headers(payload):
    stream = io.BytesIO(payload)
    count = bitcoin.core.serialize.VarIntSerializer.stream_deserialize(stream)
    headers = []
    for _ in range(count):
        headers.append(CBlockHeader.stream_deserialize(stream))
        assert bitcoin.core.serialize.VarIntSerializer.stream_deserialize(stream) == 0, "transaction count after a header"
    return headers


def main():
    bitcoin.SelectParams("regtest")
    node = Node()
    failures = []

    def check(condition, what):
        print(("ok   " if condition else "FAIL ") + what)
        if not condition:
            failures.append(what)

    try:
        node.rpc("generatetoaddress", 110, ADDRESS)
        coinbase = node.rpc("getblock", node.rpc("getblockhash", 1), 2)["tx"][0]["txid"]
        raw = node.rpc("createrawtransaction", [{"txid": coinbase, "vout": 0}], [{ADDRESS: 49.9999}])
        signed = node.rpc("signrawtransactionwithkey", raw, [WIF])["hex"]

        peer = Peer(node.p2p_port)
        version = msg_version(70016)
        version.nVersion = 70016
        version.nServices = 1 | 8
        version.nStartingHeight = 0
        version.strSubVer = b"/python-bitcoinlib:0.12.2/"
        peer.send(version)
        payload, _ = peer.expect("version")
        theirs = MsgSerializable.from_bytes(struct.pack("<4s12sI4s", MAGIC, b"version".ljust(12, b"\0"), len(payload),
                                                        bitcoin.core.serialize.Hash(payload)[:4]) + payload)
        check(theirs.nVersion == 70016 and theirs.strSubVer.startswith(b"/rustyd"), f"version from rustyd: {theirs.strSubVer!r}, height {theirs.nStartingHeight}")
        check(theirs.nStartingHeight == 110, "its start height is the tip")
        _, skipped = peer.expect("verack")
        check(set(skipped) <= {"wtxidrelay", "sendaddrv2"}, f"negotiation before verack: {skipped}")
        peer.send(msg_verack(70016))

        getheaders = msg_getheaders(70016)
        getheaders.locator.vHave = [lx(node.rpc("getblockhash", 0))]
        getheaders.hashstop = b"\0" * 32
        peer.send(getheaders)
        payload, _ = peer.expect("headers")
        headers = parse_headers(payload)
        check(len(headers) == 110, f"{len(headers)} headers after genesis")
        check(all(b2lx(h.GetHash()) == node.rpc("getblockhash", i + 1) for i, h in enumerate(headers)), "header hashes match getblockhash")
        check(all(headers[i].hashPrevBlock == headers[i - 1].GetHash() for i in range(1, len(headers))), "headers link up")

        getdata = msg_getdata(70016)
        for header in headers:
            inv = CInv()
            inv.type = 0x40000002  # MSG_WITNESS_BLOCK
            inv.hash = header.GetHash()
            getdata.inv.append(inv)
        peer.send(getdata)
        blocks = []
        while len(blocks) < len(headers):
            payload, _ = peer.expect("block")
            blocks.append(bitcoin.core.CBlock.deserialize(payload))
        check([b.GetHash() for b in blocks] == [h.GetHash() for h in headers], "every block came, in order")
        check(all(b.calc_merkle_root() == b.hashMerkleRoot for b in blocks), "merkle roots check out (python-bitcoinlib)")

        tx = bitcoin.core.CTransaction.deserialize(bytes.fromhex(signed))
        relay = msg_tx(70016)
        relay.tx = tx
        peer.send(relay)
        txid = b2lx(tx.GetTxid())
        deadline = time.time() + 10
        while time.time() < deadline and txid not in node.rpc("getrawmempool"):
            time.sleep(0.05)
        check(txid in node.rpc("getrawmempool"), f"relayed transaction {txid[:16]}… accepted by rustyd")
    finally:
        node.stop()
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
