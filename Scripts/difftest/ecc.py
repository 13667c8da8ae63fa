"""secp256k1 keys and signatures for building real spends.

Uses `coincurve` (libsecp256k1 bindings, PyPI) when installed because it is
fast; otherwise falls back to the pure-Python implementation below (ECDSA
with RFC6979 nonces as libsecp256k1 derives them, and BIP340 Schnorr from
the BIP's equations). Both paths give identical signatures, which
`self_check()` verifies.
"""

from __future__ import annotations

import hashlib
import hmac

from btc import tagged_hash

P = 2**256 - 2**32 - 977
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
G = (0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
     0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8)

try:
    import coincurve  # type: ignore
except ImportError:  # pragma: no cover - exercised only without coincurve
    coincurve = None

# ---------------------------------------------------------------- pure-Python curve math


def _add(p1, p2):
    """Affine point addition (None is the point at infinity)."""
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    if p1[0] == p2[0]:
        if (p1[1] + p2[1]) % P == 0:
            return None
        lam = 3 * p1[0] * p1[0] * pow(2 * p1[1], -1, P) % P
    else:
        lam = (p2[1] - p1[1]) * pow(p2[0] - p1[0], -1, P) % P
    x = (lam * lam - p1[0] - p2[0]) % P
    return (x, (lam * (p1[0] - x) - p1[1]) % P)


# Fixed-base table: _TABLE[i][j] = j * 16**i * G (affine), so k*G is at
# most 64 mixed additions in Jacobian coordinates and one inversion.
_TABLE: list[list] = []


def _build_table() -> None:
    base = G
    for _ in range(64):
        row = [None, base]
        for _ in range(14):
            row.append(_add(row[-1], base))
        _TABLE.append(row)
        base = _add(row[15], base)


def _mul(k: int):
    """k*G for 0 < k < N."""
    if not _TABLE:
        _build_table()
    acc = None          # Jacobian (X, Y, Z) or None
    i = 0
    while k:
        j = k & 15
        k >>= 4
        if j:
            x2, y2 = _TABLE[i][j]
            if acc is None:
                acc = (x2, y2, 1)
            else:
                x1, y1, z1 = acc
                zz = z1 * z1 % P
                h = (x2 * zz - x1) % P
                r = (y2 * zz * z1 - y1) % P
                if h == 0:   # same x: fall back to affine (never in practice)
                    zi = pow(z1, -1, P)
                    a = _add((x1 * zi * zi % P, y1 * zi * zi * zi % P), (x2, y2))
                    acc = None if a is None else (a[0], a[1], 1)
                else:
                    hh = h * h % P
                    hhh = h * hh % P
                    v = x1 * hh % P
                    x3 = (r * r - hhh - 2 * v) % P
                    acc = (x3, (r * (v - x3) - y1 * hhh) % P, z1 * h % P)
        i += 1
    x, y, z = acc
    zi = pow(z, -1, P)
    return (x * zi * zi % P, y * zi * zi * zi % P)


def _py_pubkey(d: int, compressed: bool) -> bytes:
    x, y = _mul(d)
    if compressed:
        return bytes([2 + (y & 1)]) + x.to_bytes(32, "big")
    return b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")


def _rfc6979_nonces(d: int, msg32: bytes):
    """RFC6979 HMAC-SHA256 nonce stream, keyed as libsecp256k1 does
    (secret || message, message used as-is)."""
    k = b"\x00" * 32
    v = b"\x01" * 32
    seed = d.to_bytes(32, "big") + msg32
    k = hmac.new(k, v + b"\x00" + seed, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    k = hmac.new(k, v + b"\x01" + seed, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    while True:
        v = hmac.new(k, v, hashlib.sha256).digest()
        yield int.from_bytes(v, "big")
        k = hmac.new(k, v + b"\x00", hashlib.sha256).digest()
        v = hmac.new(k, v, hashlib.sha256).digest()


def _py_ecdsa(d: int, msg32: bytes) -> tuple[int, int]:
    z = int.from_bytes(msg32, "big") % N
    for k in _rfc6979_nonces(d, msg32):
        if not 0 < k < N:
            continue
        r = _mul(k)[0] % N
        if r == 0:
            continue
        s = pow(k, -1, N) * (z + r * d) % N
        if s == 0:
            continue
        return r, min(s, N - s)


def _py_schnorr(d0: int, msg: bytes, aux: bytes) -> bytes:
    """BIP340 signing, straight from the BIP's algorithm."""
    px, py = _mul(d0)
    d = d0 if py % 2 == 0 else N - d0
    t = (d ^ int.from_bytes(tagged_hash("BIP0340/aux", aux), "big")).to_bytes(32, "big")
    pb = px.to_bytes(32, "big")
    k0 = int.from_bytes(tagged_hash("BIP0340/nonce", t + pb + msg), "big") % N
    if k0 == 0:
        raise ValueError("nonce is zero")
    rx, ry = _mul(k0)
    k = k0 if ry % 2 == 0 else N - k0
    rb = rx.to_bytes(32, "big")
    e = int.from_bytes(tagged_hash("BIP0340/challenge", rb + pb + msg), "big") % N
    return rb + ((k + e * d) % N).to_bytes(32, "big")


# ---------------------------------------------------------------- DER


def der_int(v: int) -> bytes:
    b = v.to_bytes((v.bit_length() + 7) // 8 or 1, "big")
    if b[0] & 0x80:
        b = b"\x00" + b
    return b


def der_encode(r: int, s: int) -> bytes:
    rb, sb = der_int(r), der_int(s)
    body = b"\x02" + bytes([len(rb)]) + rb + b"\x02" + bytes([len(sb)]) + sb
    return b"\x30" + bytes([len(body)]) + body


def der_decode(sig: bytes) -> tuple[int, int]:
    """Parse a strict DER signature (as produced by der_encode)."""
    assert sig[0] == 0x30 and sig[2] == 0x02
    lr = sig[3]
    r = int.from_bytes(sig[4:4 + lr], "big")
    assert sig[4 + lr] == 0x02
    ls = sig[5 + lr]
    s = int.from_bytes(sig[6 + lr:6 + lr + ls], "big")
    return r, s


# ---------------------------------------------------------------- public API


class Key:
    """A secp256k1 private key with the operations the spend builders need."""

    def __init__(self, secret: int):
        secret %= N
        if secret == 0:
            secret = 1
        self.secret = secret
        if coincurve is not None:
            self._cc = coincurve.PrivateKey.from_int(secret)
            self.pub_c = self._cc.public_key.format(compressed=True)
            self.pub_u = self._cc.public_key.format(compressed=False)
        else:
            self._cc = None
            self.pub_c = _py_pubkey(secret, True)
            self.pub_u = _py_pubkey(secret, False)

    def pubkey(self, compressed: bool = True) -> bytes:
        return self.pub_c if compressed else self.pub_u

    @property
    def xonly(self) -> bytes:
        return self.pub_c[1:]

    @property
    def y_is_odd(self) -> bool:
        return self.pub_c[0] == 3

    def sign_ecdsa(self, msg32: bytes) -> tuple[int, int]:
        """Deterministic low-S ECDSA signature (r, s) over a 32-byte digest."""
        if self._cc is not None:
            return der_decode(self._cc.sign(msg32, hasher=None))
        return _py_ecdsa(self.secret, msg32)

    def sign_der(self, msg32: bytes) -> bytes:
        return der_encode(*self.sign_ecdsa(msg32))

    def sign_schnorr(self, msg32: bytes, aux32: bytes) -> bytes:
        if self._cc is not None:
            return self._cc.sign_schnorr(msg32, aux32)
        return _py_schnorr(self.secret, msg32, aux32)

    def taproot_tweaked(self, merkle_root: bytes | None) -> "Key":
        """BIP341 output key: the internal key tweaked by
        TapTweak(xonly || merkle_root); the result signs key-path spends."""
        t = int.from_bytes(tagged_hash("TapTweak", self.xonly + (merkle_root or b"")), "big")
        if t >= N:
            raise ValueError("tweak out of range")
        d = self.secret if not self.y_is_odd else N - self.secret
        return Key((d + t) % N)


def self_check() -> None:
    """Cross-check the coincurve path against the pure-Python path."""
    if coincurve is None:
        return
    for i in range(1, 6):
        k = Key(i * 0x1234567890ABCDEF + 7)
        msg = hashlib.sha256(bytes([i])).digest()
        assert _py_pubkey(k.secret, True) == k.pub_c
        assert _py_pubkey(k.secret, False) == k.pub_u
        assert _py_ecdsa(k.secret, msg) == k.sign_ecdsa(msg), "ECDSA mismatch"
        aux = hashlib.sha256(b"aux" + bytes([i])).digest()
        assert _py_schnorr(k.secret, msg, aux) == k.sign_schnorr(msg, aux), "Schnorr mismatch"
