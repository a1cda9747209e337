"""Garbage in gives a clear error result, never an exception; JavaScript-identical encodings."""

from __future__ import annotations

import pytest

from digitrade.systems.documents.openattestation import FragmentStatus, verify_document
from digitrade.systems.documents.openattestation._hashing import js_number, keccak256_hex
from digitrade.systems.documents.openattestation.signature import (
    NotCheckableOffline,
    did_ethr_address,
)

HASH = "ab" * 32
V2 = "https://schema.openattestation.com/2.0/schema.json"


def _nested(depth: int) -> dict:
    node: dict = {}
    for _ in range(depth):
        node = {"a": node}
    return node


@pytest.mark.parametrize(
    "document",
    [
        None,
        "text",
        42,
        [],
        {},
        {"hello": "world"},
        {"version": V2},
        {"version": V2, "data": 5, "signature": {"targetHash": HASH, "merkleRoot": HASH}},
        {"version": V2, "data": {"a.b": "x"}, "signature": {"targetHash": HASH}},
        {"version": V2, "data": {}, "signature": {"targetHash": 1, "merkleRoot": None}},
        {"version": V2, "data": {}, "signature": {}, "privacy": {"obfuscatedData": "x"}},
        {"version": V2, "data": {}, "signature": {}, "proof": [{"signature": "0x00"}]},
        {"version": V2, "data": _nested(5000), "signature": {}},
        {"proof": {"type": "OpenAttestationMerkleProofSignature2018", "salts": "!!"}},
        {"proof": {"type": "OpenAttestationMerkleProofSignature2018", "salts": "W10="}, "a": 1},
        {"proof": {"type": "OpenAttestationHashProof2018", "salts": "bnVsbA=="}},
        {"proof": {"type": "OpenAttestationHashProof2018", "salts": 7, "key": 1, "signature": 2}},
    ],
)
def test_bad_input_gives_a_result_not_an_exception(document):
    result = verify_document(document)
    assert not result.verified_offline
    assert result.integrity.status in {FragmentStatus.ERROR, FragmentStatus.INVALID}
    assert result.integrity.reason
    for fragment in result.fragments:
        assert fragment.status is not FragmentStatus.VALID


def test_non_object_is_named():
    assert verify_document([1]).error == "expected a JSON object, got list"


def test_unwrapped_v2_is_named():
    result = verify_document({"version": V2, "data": {}})
    assert result.error is not None
    assert "not wrapped" in result.error


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (-0.0, "0"),
        (100, "100"),
        (1.5, "1.5"),
        (0.1, "0.1"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (123e-9, "1.23e-7"),
        (0.000001, "0.000001"),
        (2**60, "1152921504606847000"),
        (float("nan"), "NaN"),
        (float("inf"), "Infinity"),
    ],
)
def test_js_number_matches_javascript(value, text):
    assert js_number(value) == text


def test_keccak_is_not_nist_sha3():
    assert keccak256_hex("") == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"


def test_did_ethr_forms():
    address = "0x" + "Ab" * 20
    assert did_ethr_address(f"did:ethr:{address}#controller").address == address.lower()
    assert did_ethr_address(f"did:ethr:sepolia:{address}#controller").address == address.lower()
    with pytest.raises(NotCheckableOffline, match="web"):
        did_ethr_address("did:web:example.com#key-1")
    with pytest.raises(NotCheckableOffline, match="Ethereum network"):
        did_ethr_address(f"did:ethr:{address}#delegate-1")
    with pytest.raises(ValueError, match="not a DID"):
        did_ethr_address("0x1234")
