"""RFC 8785 JSON Canonicalization Scheme and digests over canonical bytes (pure)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

import rfc8785


def to_json_compatible(value: Any) -> Any:
    """Turn datetimes, Decimals, sets and tuples into plain JSON values, recursively.

    Decimals become strings: money must never pass through a binary float.
    """
    if isinstance(value, dict):
        return {str(k): to_json_compatible(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_compatible(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(to_json_compatible(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


# RFC 8785 section 3.2.2.3: JSON numbers are IEEE 754 doubles; integers beyond this lose precision.
MAX_EXACT_INTEGER = 2**53 - 1


def is_plain_json(value: Any) -> bool:
    """True for JSON made only of strings, exact integers, booleans, nulls, arrays and objects
    with ASCII keys: for such values RFC 8785 and sorted, compact ``json.dumps`` agree byte for
    byte (same string escaping as ECMAScript; ASCII keys sort the same by UTF-16 code unit and
    by code point), so the much faster standard encoder can be used."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if -MAX_EXACT_INTEGER <= item <= MAX_EXACT_INTEGER:
                continue
            return False
        if kind is dict:
            for key, child in item.items():
                if type(key) is not str or not key.isascii():
                    return False
                stack.append(child)
            continue
        if kind is list:
            stack.extend(item)
            continue
        return False  # floats and anything else take the full RFC 8785 path
    return True


# One encoder for every call: json.dumps with options builds a new encoder each time.
_PLAIN_ENCODER = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
)


def canonicalize_plain(value: Any) -> bytes:
    """RFC 8785 bytes of a value the caller knows ``is_plain_json`` (no check made here)."""
    return _PLAIN_ENCODER.encode(value).encode("utf-8")


def canonicalize(value: Any) -> bytes:
    """Canonical UTF-8 bytes of ``value`` per RFC 8785."""
    if not is_plain_json(value):
        value = to_json_compatible(value)
        if not is_plain_json(value):
            return rfc8785.dumps(value)
    return canonicalize_plain(value)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_json(value: Any) -> str:
    """SHA-256 (hex) of the canonical form: equal documents give equal digests."""
    return sha256_hex(canonicalize(value))
