"""W3C Bitstring Status List v1.0 (Recommendation, May 2025): revocation and suspension.

- Section 2.1 ``BitstringStatusListEntry``: a credential's ``credentialStatus``
  (:func:`credential_status_entry`); ``statusListIndex`` is a *string* holding an integer.
- Section 2.2 ``BitstringStatusListCredential`` with a ``BitstringStatusList`` subject
  (:func:`status_list_credential`, :func:`status_list_subject`).
- Section 3.1 Bitstring Generation: a bitstring of at least 16 KB (131,072 bits), GZIP
  compressed (RFC 1952), multibase base64url without padding (prefix ``u``).
- Section 3.2 Bitstring Expansion and 3.3 Validate: index 0 is the left-most bit, i.e. the
  most significant bit of the first byte; a list shorter than the minimum is an error.

Only ``statusSize`` 1 (one bit per credential) is supported: revocation and suspension need
no more.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, Literal

from digitrade.systems.documents.vc.multibase import (
    MultibaseError,
    decode_base64url,
    encode_base64url,
)

MIN_BITS = 131_072  # section 3.1: "a minimum size of 16KB"
MIN_BYTES = MIN_BITS // 8
# No maximum in the spec; a bound keeps a hostile list from inflating without limit.
MAX_BYTES = 16 * 1024 * 1024
CREDENTIALS_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_TYPE = "BitstringStatusList"
LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"

StatusPurpose = Literal["revocation", "suspension"]
STATUS_PURPOSES: frozenset[str] = frozenset({"revocation", "suspension"})


class StatusListError(ValueError):
    """A status list or entry that cannot be used; ``code`` is the spec's error name where
    section 3.3 names one (STATUS_LIST_LENGTH_ERROR, RANGE_ERROR, ...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# --- the bitstring ---------------------------------------------------------------------------


def new_bitstring(size_bits: int = MIN_BITS) -> bytearray:
    """All-zero bitstring of ``size_bits`` bits (a whole number of bytes, at least the minimum)."""
    if size_bits < MIN_BITS or size_bits % 8:
        raise StatusListError(
            "STATUS_LIST_LENGTH_ERROR",
            f"a status list has a multiple of 8 and at least {MIN_BITS} bits, not {size_bits}",
        )
    return bytearray(size_bits // 8)


def _check_index(bitstring: bytes | bytearray, index: int) -> None:
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise StatusListError("RANGE_ERROR", f"status list index {index!r} is not an integer >= 0")
    if index >= len(bitstring) * 8:
        raise StatusListError(
            "RANGE_ERROR", f"index {index} is beyond the list's {len(bitstring) * 8} bits"
        )


def get_bit(bitstring: bytes | bytearray, index: int) -> bool:
    """Bit ``index``, counted from the left-most (most significant) bit of byte 0."""
    _check_index(bitstring, index)
    return bool(bitstring[index >> 3] & (0x80 >> (index & 7)))


def set_bit(bitstring: bytearray, index: int, value: bool) -> None:
    """Set or clear bit ``index`` in place (same bit order as :func:`get_bit`)."""
    _check_index(bitstring, index)
    mask = 0x80 >> (index & 7)
    if value:
        bitstring[index >> 3] |= mask
    else:
        bitstring[index >> 3] &= ~mask & 0xFF


def encode_bitstring(bitstring: bytes | bytearray) -> str:
    """Section 3.1: ``encodedList`` = multibase base64url(GZIP(bitstring)), no padding.

    ``mtime=0`` makes the GZIP header, and so the encoded list, depend on the bits only.
    """
    if len(bitstring) < MIN_BYTES:
        raise StatusListError(
            "STATUS_LIST_LENGTH_ERROR", f"a status list has at least {MIN_BYTES} bytes"
        )
    return encode_base64url(gzip.compress(bytes(bitstring), mtime=0))


@lru_cache(maxsize=64)
def decode_bitstring(encoded_list: str) -> bytes:
    """Section 3.2 Expansion: the raw bitstring of an ``encodedList``, at least 16 KB.

    Cached: verifiers check many credentials against the same few lists.
    """
    try:
        compressed = decode_base64url(encoded_list)
    except MultibaseError as exc:
        raise StatusListError("MALFORMED_VALUE_ERROR", f"encodedList: {exc}") from None
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP framing only
    try:
        bitstring = inflater.decompress(compressed, MAX_BYTES + 1)
    except zlib.error as exc:
        raise StatusListError("MALFORMED_VALUE_ERROR", f"encodedList is not GZIP: {exc}") from None
    if len(bitstring) > MAX_BYTES:
        raise StatusListError("MALFORMED_VALUE_ERROR", f"status list exceeds {MAX_BYTES} bytes")
    if not inflater.eof or inflater.unused_data:
        raise StatusListError(
            "MALFORMED_VALUE_ERROR", "encodedList is truncated or has trailing data"
        )
    if len(bitstring) < MIN_BYTES:
        raise StatusListError(
            "STATUS_LIST_LENGTH_ERROR",
            f"status list has {len(bitstring) * 8} bits, fewer than the minimum {MIN_BITS}",
        )
    return bitstring


def encode_status_list(set_indices: Iterable[int] = (), size_bits: int = MIN_BITS) -> str:
    """``encodedList`` of a list whose bits at ``set_indices`` are 1 (revoked/suspended)."""
    bitstring = new_bitstring(size_bits)
    for index in set_indices:
        set_bit(bitstring, index, True)
    return encode_bitstring(bitstring)


def status_of(encoded_list: str, index: int) -> bool:
    """Status bit ``index`` of an ``encodedList``: true means revoked (or suspended)."""
    return get_bit(decode_bitstring(encoded_list), index)


def set_status(encoded_list: str, index: int, value: bool) -> str:
    """A new ``encodedList`` with bit ``index`` set to ``value`` (the input is unchanged)."""
    bitstring = bytearray(decode_bitstring(encoded_list))
    set_bit(bitstring, index, value)
    return encode_bitstring(bitstring)


# --- the JSON objects ------------------------------------------------------------------------


def _check_purpose(purpose: str) -> None:
    if purpose not in STATUS_PURPOSES:
        raise StatusListError(
            "MALFORMED_VALUE_ERROR",
            f"statusPurpose {purpose!r} is not one of {sorted(STATUS_PURPOSES)}",
        )


def status_list_subject(
    *, list_id: str, status_purpose: StatusPurpose, encoded_list: str, ttl: int | None = None
) -> dict[str, Any]:
    """Section 2.2: the ``BitstringStatusList`` credential subject (``ttl`` in milliseconds)."""
    _check_purpose(status_purpose)
    decode_bitstring(encoded_list)  # refuse to publish a list verifiers would reject
    subject: dict[str, Any] = {
        "id": list_id,
        "type": LIST_TYPE,
        "statusPurpose": status_purpose,
        "encodedList": encoded_list,
    }
    if ttl is not None:
        subject["ttl"] = ttl
    return subject


def status_list_credential(
    *,
    credential_id: str,
    issuer: str,
    status_purpose: StatusPurpose,
    encoded_list: str,
    valid_from: str,
    valid_until: str | None = None,
    ttl: int | None = None,
) -> dict[str, Any]:
    """Section 2.2: the unsigned ``BitstringStatusListCredential`` (sign it with
    ``eddsa_jcs_2022.create_proof``). The subject id is ``<credential_id>#list``."""
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer,
        "validFrom": valid_from,
    }
    if valid_until is not None:
        credential["validUntil"] = valid_until
    credential["credentialSubject"] = status_list_subject(
        list_id=f"{credential_id}#list",
        status_purpose=status_purpose,
        encoded_list=encoded_list,
        ttl=ttl,
    )
    return credential


def credential_status_entry(
    *,
    status_list_credential: str,
    index: int,
    status_purpose: StatusPurpose,
    entry_id: str | None = None,
) -> dict[str, Any]:
    """Section 2.1: a ``credentialStatus`` entry; ``statusListIndex`` is written as a string.

    The id defaults to ``<status list credential URL>#<index>`` as in the spec's examples.
    """
    _check_purpose(status_purpose)
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise StatusListError("RANGE_ERROR", f"status list index {index!r} is not an integer >= 0")
    return {
        "id": entry_id if entry_id is not None else f"{status_list_credential}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": status_purpose,
        "statusListIndex": str(index),
        "statusListCredential": status_list_credential,
    }


def entry_status(entry: Mapping[str, Any], list_credential: Mapping[str, Any]) -> bool:
    """Section 3.3 Validate (steps on the entry and list): the status bit of ``entry`` in the
    already verified ``list_credential``. Checking the list's proof is the caller's job."""
    if entry.get("type") != ENTRY_TYPE:
        raise StatusListError("MALFORMED_VALUE_ERROR", f"entry type is {entry.get('type')!r}")
    if entry.get("statusSize", 1) != 1:
        raise StatusListError("MALFORMED_VALUE_ERROR", "only statusSize 1 is supported")
    if list_credential.get("id") != entry.get("statusListCredential"):
        raise StatusListError(
            "STATUS_VERIFICATION_ERROR", "the list credential is not the one the entry names"
        )
    types = list_credential.get("type") or ()
    subject = list_credential.get("credentialSubject")
    if LIST_CREDENTIAL_TYPE not in types or not isinstance(subject, Mapping):
        raise StatusListError("MALFORMED_VALUE_ERROR", "not a BitstringStatusListCredential")
    if subject.get("statusPurpose") != entry.get("statusPurpose"):
        raise StatusListError(
            "STATUS_VERIFICATION_ERROR",
            f"entry purpose {entry.get('statusPurpose')!r} differs from the list's "
            f"{subject.get('statusPurpose')!r}",
        )
    raw_index = entry.get("statusListIndex")
    if not isinstance(raw_index, str) or not raw_index.isdigit() or not raw_index.isascii():
        raise StatusListError("RANGE_ERROR", f"statusListIndex {raw_index!r} is not a digit string")
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str):
        raise StatusListError("MALFORMED_VALUE_ERROR", "encodedList is missing")
    return status_of(encoded, int(raw_index))
