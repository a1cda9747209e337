"""One changed character anywhere that matters must be caught, and the reason must say where."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from digitrade.systems.documents.openattestation import FragmentStatus, verify_document
from digitrade.systems.documents.openattestation._hashing import js_json_string, keccak256_hex
from digitrade.systems.documents.openattestation.v3 import decode_salts
from tests.support import official_fixture

pytestmark = pytest.mark.fixtures

V2_BATCHED_DID = "oa-verify/v2-from-ts/documentDidSigned.json"  # proof has 2 siblings
V3_BATCHED_DID = "oa-verify/v3/did-signed.json"  # proofs has 3 siblings
V4_SIGNED = "oa-lib/v4/signed-vc-did.json"
V4_BATCHED = ("oa-lib/v4/signed-batched-vc-did.json", 0)


def load(name: str, index: int | None = None) -> Any:
    document = json.loads(official_fixture(f"openattestation/{name}").read_text(encoding="utf-8"))
    return document if index is None else document[index]


def flip(text: str, position: int = -1) -> str:
    """Change one hex character (or any character) of ``text``."""
    old = text[position]
    new = "0" if old != "0" else "1"
    position %= len(text)
    return text[:position] + new + text[position + 1 :]


def proof_block(document: dict[str, Any]) -> dict[str, Any]:
    return document["signature"] if "signature" in document else document["proof"]


def signature_holder(document: dict[str, Any]) -> dict[str, Any]:
    return document["proof"][0] if isinstance(document["proof"], list) else document["proof"]


DOCUMENTS = {
    "v2": (V2_BATCHED_DID, None),
    "v3": (V3_BATCHED_DID, None),
    "v4": (V4_SIGNED, None),
    "v4-batch": V4_BATCHED,
}


@pytest.fixture(params=sorted(DOCUMENTS))
def document(request) -> dict[str, Any]:
    name, index = DOCUMENTS[request.param]
    loaded = load(name, index)
    assert verify_document(loaded).verified_offline, "the untouched document must verify"
    return loaded


def assert_integrity_fails(document: dict[str, Any], mentions: str) -> None:
    result = verify_document(document)
    assert result.integrity.status is FragmentStatus.INVALID
    assert mentions in result.integrity.reason
    assert not result.verified_offline


def test_changed_data_character(document):
    tampered = copy.deepcopy(document)
    if "data" in tampered:
        name = tampered["data"]["recipient"]["name"]
        tampered["data"]["recipient"]["name"] = name[:-1] + ("X" if name[-1] != "X" else "Y")
    else:
        tampered["name"] = tampered["name"][:-1] + "!"
    result = verify_document(tampered)
    assert result.target_hash_matches is False
    assert_integrity_fails(tampered, "targetHash mismatch")


def test_changed_target_hash_character(document):
    tampered = copy.deepcopy(document)
    block = proof_block(tampered)
    block["targetHash"] = flip(block["targetHash"])
    assert_integrity_fails(tampered, "targetHash")


def test_changed_merkle_root_character(document):
    tampered = copy.deepcopy(document)
    block = proof_block(tampered)
    block["merkleRoot"] = flip(block["merkleRoot"], 10)
    assert_integrity_fails(tampered, "merkle proof does not lead from targetHash to merkleRoot")


@pytest.mark.parametrize("which", ["v2", "v3", "v4-batch"])  # the ones with Merkle siblings
def test_changed_proof_element_character(which):
    name, index = DOCUMENTS[which]
    tampered = copy.deepcopy(load(name, index))
    block = proof_block(tampered)
    key = "proof" if "signature" in tampered else "proofs"
    assert block[key], "a batched document has proof elements"
    block[key][0] = flip(block[key][0], 5)
    result = verify_document(tampered)
    assert result.target_hash_matches is True
    assert_integrity_fails(tampered, "merkle proof")


def test_malformed_proof_element_is_named(document):
    tampered = copy.deepcopy(document)
    block = proof_block(tampered)
    key = "proof" if "signature" in tampered else "proofs"
    block[key] = [*block[key], "zz"]
    assert_integrity_fails(tampered, f"merkle proof element {len(block[key]) - 1}")


@pytest.mark.parametrize("position", [2, 70, -1])  # in r, in s, in v
def test_changed_signature_character(document, position):
    tampered = copy.deepcopy(document)
    holder = signature_holder(tampered)
    holder["signature"] = flip(holder["signature"], position)
    result = verify_document(tampered)
    assert result.integrity.status is FragmentStatus.VALID  # the signature is outside the digest
    did = result.did_signature
    assert did.status is FragmentStatus.INVALID
    assert "signature" in did.reason
    assert not result.verified_offline


def test_signature_by_another_did_is_refused(document):
    tampered = copy.deepcopy(document)
    holder = signature_holder(tampered)
    method = "verificationMethod" if "verificationMethod" in holder else "key"
    holder[method] = "did:ethr:0x" + "11" * 20 + "#controller"
    result = verify_document(tampered)
    assert result.did_signature.status is FragmentStatus.INVALID
    assert not result.verified_offline


def test_removed_signature_is_refused(document):
    tampered = copy.deepcopy(document)
    if isinstance(tampered["proof"], list):
        del tampered["proof"]
    else:
        del tampered["proof"]["signature"], tampered["proof"]["key"]
    result = verify_document(tampered)
    assert result.did_signature.status is FragmentStatus.INVALID
    assert "no signature" in result.did_signature.reason
    assert not result.verified_offline


def test_delegate_key_is_not_checkable_offline(document):
    tampered = copy.deepcopy(document)
    holder = signature_holder(tampered)
    method = "verificationMethod" if "verificationMethod" in holder else "key"
    holder[method] = holder[method].replace("#controller", "#delegate-1")
    result = verify_document(tampered)
    assert result.did_signature.status is FragmentStatus.SKIPPED
    assert "needs Ethereum network access" in result.did_signature.reason
    assert not result.verified_offline


def test_v3_added_field_is_caught():
    document = load(V3_BATCHED_DID)
    document["credentialSubject"]["extra"] = "added later"
    assert_integrity_fails(document, "visible fields but")


def test_v3_unsalted_field_swapped_for_an_obfuscated_one_is_caught():
    """Keeps the salt count of a real field while hiding it, then adds an unhashed field.

    ``verify()`` of the reference counts salts against visible fields and would accept this; we
    require every visible field to have its own salt.
    """
    document = load(V3_BATCHED_DID)
    salts = dict(decode_salts(document["proof"]["salts"]))
    value = document.pop("name")
    leaf = js_json_string(f"{salts['name']}:{value}")
    document["proof"]["privacy"]["obfuscated"].append(keccak256_hex(f'{{"name":{leaf}}}'))
    document["forged"] = "not covered by any salt"
    assert_integrity_fails(document, "does not name exactly one visible field")


def test_v4_unsalted_field_is_caught():
    document = load(V4_SIGNED)
    document["credentialSubject"]["extra"] = {}
    assert_integrity_fails(document, "has no salt")


def test_v4_type_change_is_caught():
    document = load(V4_SIGNED)
    document["credentialSubject"]["licenses"][0]["class"] = 3  # was the string "3"
    assert_integrity_fails(document, "targetHash mismatch")
