"""RFC 8785 JSON Canonicalization Scheme and digests over canonical bytes (pure)."""

from __future__ import annotations

import datetime as dt
import hashlib
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


def canonicalize(value: Any) -> bytes:
    """Canonical UTF-8 bytes of ``value`` per RFC 8785."""
    return rfc8785.dumps(to_json_compatible(value))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_json(value: Any) -> str:
    """SHA-256 (hex) of the canonical form: equal documents give equal digests."""
    return sha256_hex(canonicalize(value))
