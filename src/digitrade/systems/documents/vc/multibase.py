"""Multibase text encodings and multicodec-prefixed Ed25519 keys (Multikey).

- base58btc with multibase prefix ``z`` (draft-multiformats-multibase, table of bases; the
  alphabet and leading-zero rule of Bitcoin's base58);
- base64url without padding with multibase prefix ``u`` (RFC 4648 section 5), used by the
  Bitstring Status List's ``encodedList``;
- multicodec prefixes, varint encoded: ``ed25519-pub`` 0xed -> ``ed 01``, ``ed25519-priv``
  0x1300 -> ``80 26`` (W3C Controlled Identifiers 1.0, section 2.2.2 "Multikey", and the
  Data Integrity EdDSA Cryptosuites v1.0 section 2.1.1).

No base58 library is a dependency of the project, so the ~20-line codec is written out here.
"""

from __future__ import annotations

import base64
import binascii
import re

BASE58BTC_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {char: index for index, char in enumerate(BASE58BTC_ALPHABET)}
_BASE58_POWERS = [58**n for n in range(11)]
# The standard decoder silently drops foreign characters, so the alphabet is checked first.
_BASE64URL_TEXT = re.compile(r"[A-Za-z0-9_-]*={0,2}")

MULTIBASE_BASE58BTC = "z"
MULTIBASE_BASE64URL = "u"

ED25519_PUB_PREFIX = b"\xed\x01"
ED25519_PRIV_PREFIX = b"\x80\x26"
ED25519_KEY_BYTES = 32


class MultibaseError(ValueError):
    """The text is not a valid multibase / multicodec value of the expected kind."""


def base58btc_encode(data: bytes) -> str:
    """Base58 (Bitcoin alphabet): each leading zero byte becomes a leading ``1``."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits: list[str] = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(BASE58BTC_ALPHABET[remainder])
    return "1" * zeros + "".join(reversed(digits))


def base58btc_decode(text: str) -> bytes:
    """Inverse of :func:`base58btc_encode`; raises :class:`MultibaseError` on a foreign char."""
    number = 0
    index = _BASE58_INDEX
    try:
        # Ten digits at a time in a small int: far fewer big-integer operations.
        for start in range(0, len(text), 10):
            chunk = text[start : start + 10]
            value = 0
            for char in chunk:
                value = value * 58 + index[char]
            number = number * _BASE58_POWERS[len(chunk)] + value
    except KeyError as exc:
        raise MultibaseError(f"{exc.args[0]!r} is not a base58btc character") from None
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def encode_base58btc(data: bytes) -> str:
    """Multibase base58btc: ``z`` + base58btc(data)."""
    return MULTIBASE_BASE58BTC + base58btc_encode(data)


def decode_base58btc(text: str) -> bytes:
    """Bytes of a multibase base58btc value; the ``z`` prefix is required."""
    if not isinstance(text, str) or not text.startswith(MULTIBASE_BASE58BTC):
        raise MultibaseError("expected a multibase base58btc value starting with 'z'")
    return base58btc_decode(text[1:])


def encode_base64url(data: bytes) -> str:
    """Multibase base64url without padding: ``u`` + base64url(data)."""
    return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_base64url(text: str) -> bytes:
    """Bytes of a multibase base64url value (``u`` prefix, padding optional)."""
    if not isinstance(text, str) or not text.startswith(MULTIBASE_BASE64URL):
        raise MultibaseError("expected a multibase base64url value starting with 'u'")
    body = text[1:]
    if not _BASE64URL_TEXT.fullmatch(body):
        raise MultibaseError("not a base64url value (only A-Z a-z 0-9 - _ are allowed)")
    body = body.rstrip("=")
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as exc:
        raise MultibaseError(f"not a base64url value: {exc}") from None


def _decode_prefixed_key(text: str, prefix: bytes, what: str) -> bytes:
    data = decode_base58btc(text)
    if not data.startswith(prefix):
        raise MultibaseError(
            f"not an {what}: multicodec prefix {data[:2].hex() or 'missing'}, "
            f"expected {prefix.hex()}"
        )
    key = data[len(prefix) :]
    if len(key) != ED25519_KEY_BYTES:
        raise MultibaseError(f"an {what} has {ED25519_KEY_BYTES} bytes, this one has {len(key)}")
    return key


def public_key_multibase(raw: bytes) -> str:
    """Multikey ``publicKeyMultibase`` of a raw 32-byte Ed25519 public key (``z6Mk...``)."""
    if len(raw) != ED25519_KEY_BYTES:
        raise MultibaseError(f"an Ed25519 public key has 32 bytes, got {len(raw)}")
    return encode_base58btc(ED25519_PUB_PREFIX + raw)


def decode_public_key_multibase(text: str) -> bytes:
    """Raw 32-byte Ed25519 public key of a ``publicKeyMultibase`` value."""
    return _decode_prefixed_key(text, ED25519_PUB_PREFIX, "Ed25519 public key")


def private_key_multibase(seed: bytes) -> str:
    """Multikey ``secretKeyMultibase`` of a raw 32-byte Ed25519 private key (``z3u2...``)."""
    if len(seed) != ED25519_KEY_BYTES:
        raise MultibaseError(f"an Ed25519 private key has 32 bytes, got {len(seed)}")
    return encode_base58btc(ED25519_PRIV_PREFIX + seed)


def decode_private_key_multibase(text: str) -> bytes:
    """Raw 32-byte Ed25519 private key (seed) of a ``secretKeyMultibase`` value."""
    return _decode_prefixed_key(text, ED25519_PRIV_PREFIX, "Ed25519 private key")
