"""Keccak-256 and JavaScript-identical text encodings, the primitives every OA digest is built on.

OpenAttestation hashes with ``keccak256`` from the npm package ``js-sha3`` (the original Keccak
padding used by Ethereum, not NIST SHA3-256, so :func:`hashlib.sha3_256` gives different results)
and hashes the text that JavaScript's ``JSON.stringify`` and ``String(value)`` produce. This module
reproduces both so that a Python digest equals the reference library's byte for byte.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Final

from Crypto.Hash import keccak as _keccak

__all__ = ["js_json_string", "js_number", "js_number_json", "keccak256", "keccak256_hex"]

_DIGEST_BYTES: Final = 32


def _keccak256_portable(data: bytes) -> bytes:
    return _keccak.new(digest_bits=256, data=data).digest()


def _oneshot_keccak() -> Callable[[bytes], bytes] | None:
    """A faster keccak256 that calls pycryptodome's one-shot C routine directly.

    ``keccak.new(...).digest()`` spends most of its ~4 µs in Python object set-up; a document has
    one hash per field, so this dominates verification time. The routine is not public API, so it
    is used only when present with the cffi backend and only after it reproduces the public API on
    known inputs; otherwise the portable path is used.
    """
    try:
        # Imported here: only the optional fast path needs it.
        from Crypto.Util import _raw_api

        lib = getattr(_keccak, "_raw_keccak_lib", None)
        oneshot = getattr(lib, "keccak_oneshot", None)
        ffi = getattr(_raw_api, "ffi", None)
        if oneshot is None or ffi is None or getattr(_raw_api, "backend", None) != "cffi":
            return None
        new_buffer = ffi.new
        as_bytes = ffi.buffer

        def keccak256_fast(data: bytes) -> bytes:
            out = new_buffer("uint8_t[32]")
            # capacity 64 bytes (= 2 x digest), 24 rounds, Keccak padding byte 0x01.
            if oneshot(data, len(data), out, _DIGEST_BYTES, 64, 24, 1):
                return _keccak256_portable(data)
            return bytes(as_bytes(out))

        for probe in (b"", b"abc", bytes(range(256)) * 3):
            if keccak256_fast(probe) != _keccak256_portable(probe):
                return None
        return keccak256_fast
    except Exception:  # any surprise means: use the public API
        return None


keccak256: Callable[[bytes], bytes] = _oneshot_keccak() or _keccak256_portable
"""Keccak-256 (Ethereum flavour) of ``data``, 32 bytes."""


def keccak256_hex(text: str) -> str:
    """``keccak256(text)`` of js-sha3: UTF-8 bytes in, 64 lowercase hex characters out."""
    return keccak256(_utf8(text)).hex()


# CPython's C string encoder: escapes '"', '\\' and C0 controls exactly as JSON.stringify does
# (\b \f \n \r \t, else \u00xx in lowercase) and leaves everything else, including U+2028/2029
# and DEL, unescaped.
_encode_json_string: Callable[[str], str] = json.encoder.encode_basestring
_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def js_json_string(value: str) -> str:
    """``JSON.stringify(value)`` for a string (lone surrogates are escaped later, in ``_utf8``)."""
    return _encode_json_string(value)


def _utf8(text: str) -> bytes:
    try:
        return text.encode()
    except UnicodeEncodeError:
        # Strings from JSON may hold lone surrogates. JavaScript would pair adjacent halves and
        # ES2019 JSON.stringify escapes the remaining ones as \udxxx, so do the same.
        paired = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", paired).encode()


_MAX_SAFE: Final = 2**53


def js_number(value: int | float) -> str:
    """JavaScript's ``String(n)`` (ECMA-262 Number::toString) for a JSON number.

    JavaScript has only IEEE doubles, so integers are first rounded to a double; Python's ``repr``
    already gives the shortest round-trip digits, and only the layout rules differ (JavaScript
    switches to exponent form from 1e21 up and below 1e-6, writes exponents as ``1e+21`` or
    ``1.5e-7``, and prints ``-0`` as ``0``).
    """
    if isinstance(value, int):
        if -_MAX_SAFE <= value <= _MAX_SAFE:
            return str(value)
        try:
            value = float(value)
        except OverflowError:
            return "Infinity" if value > 0 else "-Infinity"
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    point = len(whole) + (int(exponent) if exponent else 0)
    stripped = all_digits.lstrip("0")
    point -= len(all_digits) - len(stripped)
    digits = stripped.rstrip("0")
    k, n = len(digits), point
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = f"{digits[:n]}.{digits[n:]}"
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        head = digits if k == 1 else f"{digits[0]}.{digits[1:]}"
        text = f"{head}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + text


def js_number_json(value: int | float) -> str:
    """``JSON.stringify(n)``: like ``String(n)`` but NaN and the infinities become ``null``."""
    text = js_number(value)
    return "null" if text in _NON_FINITE else text


_NON_FINITE: Final = frozenset({"NaN", "Infinity", "-Infinity"})
