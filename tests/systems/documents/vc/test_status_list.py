from __future__ import annotations

import base64
import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digitrade.systems.documents.vc.multibase import encode_base64url
from digitrade.systems.documents.vc.status_list import (
    MIN_BITS,
    MIN_BYTES,
    StatusListError,
    credential_status_entry,
    decode_bitstring,
    encode_bitstring,
    encode_status_list,
    entry_status,
    get_bit,
    new_bitstring,
    set_bit,
    set_status,
    status_list_credential,
    status_of,
)

LIST_URL = "https://issuer.example/status/3"


def test_an_empty_list_is_16kb_of_zeros() -> None:
    encoded = encode_status_list()
    assert encoded.startswith("u")
    assert "=" not in encoded
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert raw == bytes(MIN_BYTES)
    assert MIN_BITS == 131_072
    assert encode_status_list() == encoded  # deterministic (GZIP mtime 0)


@pytest.mark.parametrize(
    ("index", "byte", "value"),
    [(0, 0, 0x80), (1, 0, 0x40), (7, 0, 0x01), (8, 1, 0x80), (13, 1, 0x04), (MIN_BITS - 1, -1, 1)],
)
def test_index_zero_is_the_left_most_bit(index: int, byte: int, value: int) -> None:
    raw = decode_bitstring(encode_status_list([index]))
    assert raw[byte] == value
    assert sum(raw) == value
    assert status_of(encode_status_list([index]), index)


def test_known_list_read_bit_by_bit() -> None:
    bitstring = bytearray(MIN_BYTES)
    bitstring[0] = 0b1010_0000
    bitstring[2] = 0b0000_0001
    encoded = encode_base64url(gzip.compress(bytes(bitstring)))  # a foreign encoder's output
    assert [status_of(encoded, i) for i in range(4)] == [True, False, True, False]
    assert status_of(encoded, 23)
    assert not status_of(encoded, 22)
    assert not status_of(encoded, 24)


def test_set_status_returns_a_new_list() -> None:
    empty = encode_status_list()
    revoked = set_status(empty, 42, True)
    assert status_of(revoked, 42)
    assert not status_of(empty, 42)
    assert set_status(revoked, 42, False) == empty


@settings(max_examples=50, deadline=None)
@given(st.sets(st.integers(0, MIN_BITS - 1), max_size=40), st.integers(0, MIN_BITS - 1))
def test_round_trip(indices: set[int], probe: int) -> None:
    encoded = encode_status_list(indices)
    assert {i for i in indices if status_of(encoded, i)} == indices
    assert status_of(encoded, probe) is (probe in indices)
    bitstring = new_bitstring()
    for index in indices:
        set_bit(bitstring, index, True)
    assert decode_bitstring(encode_bitstring(bitstring)) == bytes(bitstring)
    assert all(get_bit(bitstring, i) for i in indices)


def test_lists_can_be_larger_than_the_minimum() -> None:
    encoded = encode_status_list([MIN_BITS + 5], size_bits=2 * MIN_BITS)
    assert status_of(encoded, MIN_BITS + 5)


@pytest.mark.parametrize(
    ("encoded", "code"),
    [
        (encode_base64url(gzip.compress(bytes(MIN_BYTES - 1))), "STATUS_LIST_LENGTH_ERROR"),
        ("u" + "not gzip", "MALFORMED_VALUE_ERROR"),
        ("z123", "MALFORMED_VALUE_ERROR"),
        (encode_base64url(gzip.compress(bytes(MIN_BYTES))[:-4]), "MALFORMED_VALUE_ERROR"),
    ],
)
def test_bad_lists(encoded: str, code: str) -> None:
    with pytest.raises(StatusListError) as raised:
        decode_bitstring(encoded)
    assert raised.value.code == code


def test_range_errors() -> None:
    encoded = encode_status_list()
    for index in (-1, MIN_BITS):
        with pytest.raises(StatusListError) as raised:
            status_of(encoded, index)
        assert raised.value.code == "RANGE_ERROR"
    with pytest.raises(StatusListError):
        new_bitstring(MIN_BITS - 8)


def test_credential_and_entry_shapes() -> None:
    encoded = encode_status_list([7])
    credential = status_list_credential(
        credential_id=LIST_URL,
        issuer="did:web:issuer.example",
        status_purpose="revocation",
        encoded_list=encoded,
        valid_from="2026-01-01T00:00:00Z",
    )
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["credentialSubject"] == {
        "id": f"{LIST_URL}#list",
        "type": "BitstringStatusList",
        "statusPurpose": "revocation",
        "encodedList": encoded,
    }
    entry = credential_status_entry(
        status_list_credential=LIST_URL, index=7, status_purpose="revocation"
    )
    assert entry == {
        "id": f"{LIST_URL}#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": LIST_URL,
    }
    assert entry_status(entry, credential) is True
    other = credential_status_entry(
        status_list_credential=LIST_URL, index=8, status_purpose="revocation"
    )
    assert entry_status(other, credential) is False
    suspension = credential_status_entry(
        status_list_credential=LIST_URL, index=7, status_purpose="suspension"
    )
    with pytest.raises(StatusListError, match="differs"):
        entry_status(suspension, credential)
    with pytest.raises(StatusListError, match="not the one"):
        entry_status({**entry, "statusListCredential": "https://x.example/1"}, credential)
    with pytest.raises(StatusListError, match="digit string"):
        entry_status({**entry, "statusListIndex": 7}, credential)
    with pytest.raises(StatusListError):
        credential_status_entry(status_list_credential=LIST_URL, index=1, status_purpose="message")  # type: ignore[arg-type]
