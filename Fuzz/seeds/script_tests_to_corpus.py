#!/usr/bin/env python3
"""Turns Bitcoin Core's script_tests.json (the copy in Tests/ScriptTests/Fixtures) into inputs for
the `script_eval` fuzz harness, one file per usable row, named by the SHA-1 of its content as
libFuzzer names corpus files.

Input layout (see Fuzz/script_eval.swift): flags u32 LE, amount i64 LE, then scriptSig,
scriptPubKey and each witness item as a u16 LE length followed by the bytes.

Scripts are written in Core's test notation (decimal numbers pushed as script numbers, 0x.. raw
bytes, 'text' pushed, opcode names with or without OP_). Rows this small parser does not handle
(the tapscript rows whose output key and control block the C++ harness computes) are skipped.

Usage: script_tests_to_corpus.py <script_tests.json> <corpus dir>     (prints the count written)
"""
import hashlib
import json
import os
import struct
import sys

FLAG_BITS = {
    "NONE": 0, "P2SH": 1 << 0, "STRICTENC": 1 << 1, "DERSIG": 1 << 2, "LOW_S": 1 << 3,
    "NULLDUMMY": 1 << 4, "SIGPUSHONLY": 1 << 5, "MINIMALDATA": 1 << 6,
    "DISCOURAGE_UPGRADABLE_NOPS": 1 << 7, "CLEANSTACK": 1 << 8, "CHECKLOCKTIMEVERIFY": 1 << 9,
    "CHECKSEQUENCEVERIFY": 1 << 10, "WITNESS": 1 << 11, "DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM": 1 << 12,
    "MINIMALIF": 1 << 13, "NULLFAIL": 1 << 14, "WITNESS_PUBKEYTYPE": 1 << 15, "CONST_SCRIPTCODE": 1 << 16,
    "TAPROOT": 1 << 17, "DISCOURAGE_UPGRADABLE_TAPROOT_VERSION": 1 << 18, "DISCOURAGE_OP_SUCCESS": 1 << 19,
    "DISCOURAGE_UPGRADABLE_PUBKEYTYPE": 1 << 20,
}

# Opcodes that have names in the notation: OP_RESERVED and everything from OP_NOP to OP_CHECKSIGADD
# (small numbers are written as decimal numbers instead).
_NAMED = (
    "NOP VER IF NOTIF VERIF VERNOTIF ELSE ENDIF VERIFY RETURN TOALTSTACK FROMALTSTACK 2DROP 2DUP 3DUP "
    "2OVER 2ROT 2SWAP IFDUP DEPTH DROP DUP NIP OVER PICK ROLL ROT SWAP TUCK CAT SUBSTR LEFT RIGHT SIZE "
    "INVERT AND OR XOR EQUAL EQUALVERIFY RESERVED1 RESERVED2 1ADD 1SUB 2MUL 2DIV NEGATE ABS NOT 0NOTEQUAL "
    "ADD SUB MUL DIV MOD LSHIFT RSHIFT BOOLAND BOOLOR NUMEQUAL NUMEQUALVERIFY NUMNOTEQUAL LESSTHAN "
    "GREATERTHAN LESSTHANOREQUAL GREATERTHANOREQUAL MIN MAX WITHIN RIPEMD160 SHA1 SHA256 HASH160 HASH256 "
    "CODESEPARATOR CHECKSIG CHECKSIGVERIFY CHECKMULTISIG CHECKMULTISIGVERIFY NOP1 CHECKLOCKTIMEVERIFY "
    "CHECKSEQUENCEVERIFY NOP4 NOP5 NOP6 NOP7 NOP8 NOP9 NOP10 CHECKSIGADD"
).split()
OPCODES = {name: 0x61 + index for index, name in enumerate(_NAMED)}
OPCODES.update({"RESERVED": 0x50, "NOP2": 0xB1, "NOP3": 0xB2})
OPCODES.update({"OP_" + name: code for name, code in list(OPCODES.items())})


def push_data(data):
    n = len(data)
    if n < 0x4C:
        return bytes([n]) + data
    if n <= 0xFF:
        return bytes([0x4C, n]) + data
    if n <= 0xFFFF:
        return bytes([0x4D]) + struct.pack("<H", n) + data
    return bytes([0x4E]) + struct.pack("<I", n) + data


def push_number(n):
    if n == 0:
        return bytes([0x00])
    if n == -1 or 1 <= n <= 16:
        return bytes([0x50 + n])
    magnitude, out = abs(n), bytearray()
    while magnitude:
        out.append(magnitude & 0xFF)
        magnitude >>= 8
    if out[-1] & 0x80:
        out.append(0x80 if n < 0 else 0x00)
    elif n < 0:
        out[-1] |= 0x80
    return push_data(bytes(out))


def parse_script(text):
    out = bytearray()
    for word in text.split():
        digits = word[1:] if word.startswith("-") else word
        if digits.isdigit():
            out += push_number(int(word))
        elif word.startswith("0x") and len(word) > 2:
            out += bytes.fromhex(word[2:])
        elif len(word) >= 2 and word.startswith("'") and word.endswith("'"):
            out += push_data(word[1:-1].encode())
        elif word in OPCODES:
            out.append(OPCODES[word])
        else:
            raise ValueError(word)
    return bytes(out)


def chunk(data):
    if len(data) > 0xFFFF:
        raise ValueError("too long")
    return struct.pack("<H", len(data)) + data


def encode_row(row):
    witness, amount, offset = [], 0, 0
    if isinstance(row[0], list):
        witness = [bytes.fromhex(item) for item in row[0][:-1]]
        amount = round(float(row[0][-1]) * 1e8)
        offset = 1
    script_sig = parse_script(row[offset])
    script_pubkey = parse_script(row[offset + 1])
    flags = 0
    for name in row[offset + 2].split(","):
        if name:
            flags |= FLAG_BITS[name]
    data = struct.pack("<Iq", flags, amount) + chunk(script_sig) + chunk(script_pubkey)
    return data + b"".join(chunk(item) for item in witness)


def main():
    source, corpus = sys.argv[1], sys.argv[2]
    os.makedirs(corpus, exist_ok=True)
    written = 0
    with open(source) as handle:
        rows = json.load(handle)
    for row in rows:
        if len(row) < 4:
            continue  # a comment
        try:
            data = encode_row(row)
        except (ValueError, KeyError):
            continue  # tapscript placeholders or notation this parser does not know
        with open(os.path.join(corpus, hashlib.sha1(data).hexdigest()), "wb") as handle:
            handle.write(data)
        written += 1
    print(written)


if __name__ == "__main__":
    main()
