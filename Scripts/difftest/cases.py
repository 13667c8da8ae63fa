"""The case stream: a deterministic mix of all generators for a seed.

A case is a protocol request (without id) plus what the generator knows
about it: `expect` (the verdict consensus rules must give, for valid
spends and some mutations) and `known` (txid/wtxid/hash values computed in
Python for bytes known to be well-formed).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator

import btc
import gen_decode
import gen_mutate
import gen_script
import spends


@dataclass
class Case:
    category: str
    request: dict
    expect: bool | None = None
    known: dict = field(default_factory=dict)


def _valid_cases(rng: random.Random) -> Iterator[Case]:
    """Every input of a freshly signed tx, each under random flags."""
    st = spends.build_signed_tx(rng)
    for idx, sp in enumerate(st.spends):
        kind = re.sub(r"_\d+(of\d+)?$", "", sp.kind)
        req = spends.verify_request(st.tx, idx, st.spent, spends.random_flags(rng))
        yield Case(f"valid/{kind}", req, expect=True)


def _mutation_cases(rng: random.Random) -> Iterator[Case]:
    cat, req, expect = gen_mutate.mutation_case(rng)
    yield Case(cat, req, expect=expect)


def _script_cases(rng: random.Random) -> Iterator[Case]:
    cat, req = gen_script.random_script_case(rng)
    yield Case(cat, req)


def _decode_cases(rng: random.Random) -> Iterator[Case]:
    cat, req, good = gen_decode.decode_tx_case(rng)
    known = {}
    if good is not None:
        known = {"ok": True, "txid": btc.display_hex(good.txid()), "wtxid": btc.display_hex(good.wtxid())}
    yield Case(cat, req, known=known)


def _block_cases(rng: random.Random) -> Iterator[Case]:
    cat, req, txs = gen_decode.decode_block_case(rng)
    known = {}
    if txs is not None:
        header = bytes.fromhex(req["block"][:160])
        known = {"ok": True, "hash": btc.display_hex(btc.dsha256(header)),
                 "txids": [btc.display_hex(t.txid()) for t in txs]}
    yield Case(cat, req, known=known)


def _undecodable_cases(rng: random.Random) -> Iterator[Case]:
    cat, req = gen_decode.undecodable_verify_case(rng)
    yield Case(cat, req, expect=False)


# (name, weight, generator). Names are category prefixes.
GENERATORS: list[tuple[str, int, Callable[[random.Random], Iterator[Case]]]] = [
    ("valid", 11, _valid_cases),
    ("mutate", 32, _mutation_cases),
    ("script", 26, _script_cases),
    ("decode", 12, _decode_cases),
    ("block", 4, _block_cases),
    ("verify/undecodable", 2, _undecodable_cases),
]


def _selected(name: str, only: list[str] | None) -> bool:
    return not only or any(f.startswith(name) or name.startswith(f) for f in only)


def generate(seed: int, count: int, only: list[str] | None = None) -> Iterator[Case]:
    """Yield `count` cases, fully determined by `seed` (and `only`)."""
    gens = [g for g in GENERATORS if _selected(g[0], only)]
    if not gens:
        raise SystemExit(f"--only {only} matches no generator: {[g[0] for g in GENERATORS]}")
    master = random.Random(seed)
    produced = 0
    draws = 0
    while produced < count:
        name, _, fn = master.choices(gens, [g[1] for g in gens])[0]
        rng = random.Random(master.getrandbits(64))
        draws += 1
        for case in fn(rng):
            if only and not any(case.category.startswith(f) for f in only):
                continue
            yield case
            produced += 1
            if produced >= count:
                return
        if draws > 50 * count + 1000:
            raise SystemExit(f"--only {only} produces no cases")
