#!/usr/bin/env python3
"""Mine the Rusty Coin main and test genesis blocks and write Genesis/<network>.json.

A genesis block in Bitcoin's format: version 1, null previous hash, one coinbase
transaction (version 1, one input spending the null outpoint, lock time 0) whose scriptSig
is `04ffff001d 0104 <push of the headline>` as in Bitcoin's genesis, paying 50 RUST to a
bare `OP_RETURN` script (provably unspendable, so the genesis reward never enters the UTXO
set; it carries no push, so it is not an extension record). The header's bits are the
network's proof-of-work limit and the nonce is ground until the block hash, read as a
256-bit little-endian number, is at or below that target.

Before mining, the script rebuilds Bitcoin Core's regtest genesis (same construction with
Satoshi's headline and output key) and checks its known hash, so the serialization here is
checked against a block every Bitcoin implementation knows.

Usage: Scripts/mine-genesis.py [--check]   (--check: re-verify the JSON files, mine nothing)
Only the Python standard library is used (hashlib, json, struct).
"""
import hashlib
import json
import struct
import sys
from pathlib import Path

COIN = 100_000_000
OP_RETURN_SCRIPT = bytes([0x6a])

NETWORKS = {
    "main": {
        "message": "Rusty Gazette 28/Nov/2026 Scrap iron outprices gold as old mills go cold",
        "time": 1795867200,  # 2026-11-28T12:00:00Z
        "bits": 0x1E0FFFFF,
    },
    "test": {
        "message": "Rusty Gazette 28/Nov/2026 Test edition: smiths strike for cheaper coal",
        "time": 1795867200,
        "bits": 0x1E0FFFFF,
    },
}

ROOT = Path(__file__).resolve().parent.parent


def sha256d(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def push(data: bytes) -> bytes:
    """A minimal push of `data` (at most 255 bytes)."""
    if len(data) < 0x4C:
        return bytes([len(data)]) + data
    return bytes([0x4C, len(data)]) + data


def coinbase_transaction(message: str, output_script: bytes, value: int) -> bytes:
    script_sig = bytes.fromhex("04ffff001d") + bytes.fromhex("0104") + push(message.encode())
    assert 2 <= len(script_sig) <= 100, "coinbase scriptSig must be 2..100 bytes"
    return (
        struct.pack("<i", 1)                       # version
        + b"\x01"                                   # one input
        + b"\x00" * 32 + struct.pack("<I", 0xFFFFFFFF)  # null outpoint
        + bytes([len(script_sig)]) + script_sig
        + struct.pack("<I", 0xFFFFFFFF)             # sequence
        + b"\x01"                                   # one output
        + struct.pack("<q", value)
        + bytes([len(output_script)]) + output_script
        + struct.pack("<I", 0)                      # lock time
    )


def header(merkle_root: bytes, time: int, bits: int, nonce: int) -> bytes:
    return struct.pack("<i", 1) + b"\x00" * 32 + merkle_root + struct.pack("<III", time, bits, nonce)


def target_from_bits(bits: int) -> int:
    size, mantissa = bits >> 24, bits & 0x007FFFFF
    assert bits & 0x00800000 == 0 and mantissa != 0, "negative or zero target"
    return mantissa >> (8 * (3 - size)) if size <= 3 else mantissa << (8 * (size - 3))


def display(hash_bytes: bytes) -> str:
    return hash_bytes[::-1].hex()


def self_check() -> None:
    """Bitcoin Core's regtest genesis must come out byte-exact."""
    satoshi = bytes.fromhex(
        "04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb6"
        "49f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f")
    coinbase = coinbase_transaction(
        "The Times 03/Jan/2009 Chancellor on brink of second bailout for banks",
        push(satoshi) + bytes([0xAC]), 50 * COIN)
    merkle = sha256d(coinbase)
    block_hash = sha256d(header(merkle, 1296688602, 0x207FFFFF, 2))
    assert display(merkle) == "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b"
    assert display(block_hash) == "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206"


def mine(network: str, spec: dict) -> dict:
    coinbase = coinbase_transaction(spec["message"], OP_RETURN_SCRIPT, 50 * COIN)
    merkle = sha256d(coinbase)  # one transaction: the root is its txid
    target = target_from_bits(spec["bits"])
    prefix = header(merkle, spec["time"], spec["bits"], 0)[:76]
    midstate = hashlib.sha256(prefix[:64])
    tail = prefix[64:]
    for nonce in range(1 << 32):
        inner = midstate.copy()
        inner.update(tail + struct.pack("<I", nonce))
        block_hash = hashlib.sha256(inner.digest()).digest()
        if int.from_bytes(block_hash, "little") <= target:
            break
    else:
        raise SystemExit(f"{network}: no nonce found; change the time")
    return {
        "network": network,
        "note": "Mined by Scripts/mine-genesis.py; coinbase pays 50 RUST to a bare OP_RETURN (unspendable).",
        "version": 1,
        "previousBlockHash": "00" * 32,
        "merkleRoot": display(merkle),
        "time": spec["time"],
        "bits": format(spec["bits"], "x"),
        "nonce": nonce,
        "coinbaseMessage": spec["message"],
        "coinbaseValue": 50 * COIN,
        "coinbaseScriptPubKey": OP_RETURN_SCRIPT.hex(),
        "hash": display(block_hash),
    }


def verify(document: dict) -> None:
    coinbase = coinbase_transaction(document["coinbaseMessage"], bytes.fromhex(document["coinbaseScriptPubKey"]),
                                    document["coinbaseValue"])
    merkle = sha256d(coinbase)
    bits = int(document["bits"], 16)
    block_hash = sha256d(header(merkle, document["time"], bits, document["nonce"]))
    assert display(merkle) == document["merkleRoot"], document["network"]
    assert display(block_hash) == document["hash"], document["network"]
    assert int.from_bytes(block_hash, "little") <= target_from_bits(bits), document["network"]


def main() -> None:
    self_check()
    check_only = "--check" in sys.argv[1:]
    for network, spec in NETWORKS.items():
        path = ROOT / "Genesis" / f"{network}.json"
        if check_only:
            verify(json.loads(path.read_text()))
            print(f"{network}: {path.relative_to(ROOT)} verified")
            continue
        document = mine(network, spec)
        verify(document)
        path.write_text(json.dumps(document, indent=2) + "\n")
        print(f"{network}: nonce {document['nonce']} hash {document['hash']}")


if __name__ == "__main__":
    main()
