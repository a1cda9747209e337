"""eddsa-jcs-2022 against every intermediate value of the W3C test vectors, then tampering."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from digitrade.systems.documents.vc import eddsa_jcs_2022 as suite
from digitrade.systems.documents.vc.did import (
    VerificationKey,
    did_key_verification_method,
    did_web_document,
    key_resolver,
)
from digitrade.systems.documents.vc.eddsa_jcs_2022 import FailureCode, ProofError
from digitrade.systems.documents.vc.multibase import (
    base58btc_decode,
    base58btc_encode,
    decode_public_key_multibase,
)

from .conftest import vector_json, vector_text

CREATED = "2023-02-24T23:36:38Z"


def steps(unsigned: dict[str, Any], private_key: Ed25519PrivateKey) -> dict[str, Any]:
    """Every intermediate value of section 3.3.1, computed from the vector inputs."""
    config = suite.proof_configuration(vector_json("eddsa-jcs-2022/proofConfigJCS.json"), unsigned)
    canonical_config = suite.canonical_proof_config(config)
    canonical_doc = suite.canonical_document(unsigned)
    combined = suite.hash_data(canonical_config, canonical_doc)
    signature = suite.sign(combined, private_key)
    return {
        "config": config,
        "canonical_config": canonical_config,
        "canonical_doc": canonical_doc,
        "combined": combined,
        "signature": signature,
    }


# (vector file, what our step gives, turned into the file's text form)
STEP_VECTORS: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("canonDocJCS.txt", lambda s: s["canonical_doc"].decode()),
    ("proofCanonJCS.txt", lambda s: s["canonical_config"].decode()),
    ("docHashJCS.txt", lambda s: s["combined"][32:].hex()),
    ("proofHashJCS.txt", lambda s: s["combined"][:32].hex()),
    ("combinedHashJCS.txt", lambda s: s["combined"].hex()),
    ("sigHexJCS.txt", lambda s: s["signature"].hex()),
    ("sigBTC58JCS.txt", lambda s: suite.encode_proof_value(s["signature"])),
]


@pytest.mark.parametrize(("vector", "ours"), STEP_VECTORS, ids=[v for v, _ in STEP_VECTORS])
def test_each_intermediate_value_matches_the_vector(
    vector: str, ours: Callable[[dict[str, Any]], str], unsigned, private_key
) -> None:
    assert ours(steps(unsigned, private_key)) == vector_text(f"eddsa-jcs-2022/{vector}")


def test_proof_configuration_matches_the_vector(unsigned: dict[str, Any], key_pair) -> None:
    public = decode_public_key_multibase(key_pair["publicKeyMultibase"])
    options = suite.proof_options(
        verification_method=did_key_verification_method(public), created=CREATED
    )
    config = suite.proof_configuration(options, unsigned)
    expected = vector_json("eddsa-jcs-2022/proofConfigJCS.json")
    assert config == expected
    assert list(config) == list(expected)  # same key order as the vector


def test_hash_data_puts_the_proof_hash_first(unsigned, private_key) -> None:
    s = steps(unsigned, private_key)
    combined = vector_text("eddsa-jcs-2022/combinedHashJCS.txt")
    assert combined.startswith(vector_text("eddsa-jcs-2022/proofHashJCS.txt"))
    assert combined.endswith(vector_text("eddsa-jcs-2022/docHashJCS.txt"))
    assert len(s["combined"]) == 64


def test_create_proof_gives_the_signed_vector_byte_for_byte(
    unsigned, private_key, signed, key_pair
) -> None:
    before = copy.deepcopy(unsigned)
    secured = suite.create_proof(
        unsigned,
        private_key,
        verification_method=did_key_verification_method(
            decode_public_key_multibase(key_pair["publicKeyMultibase"])
        ),
        created=CREATED,
    )
    assert secured == signed
    assert json.dumps(secured) == json.dumps(signed)  # same key order too
    assert unsigned == before  # the input is not changed


def test_create_proof_accepts_a_datetime(unsigned, private_key, signed) -> None:
    secured = suite.create_proof(
        unsigned,
        private_key,
        verification_method=signed["proof"]["verificationMethod"],
        created=dt.datetime(2023, 2, 24, 23, 36, 38, tzinfo=dt.UTC),
    )
    assert secured == signed


def test_the_signed_vector_verifies(signed) -> None:
    result = suite.verify_proof(signed, key_resolver())
    assert result.verified, result.failures
    assert result.failures == ()
    assert result.verification_method == signed["proof"]["verificationMethod"]
    assert result.created == CREATED


def test_a_resolver_may_return_raw_bytes(signed, key_pair) -> None:
    public = decode_public_key_multibase(key_pair["publicKeyMultibase"])
    assert suite.verify_proof(signed, lambda _vm: public).verified


def test_a_single_proof_in_a_list_verifies(signed) -> None:
    as_list = {**signed, "proof": [signed["proof"]]}
    assert suite.verify_proof(as_list, key_resolver()).verified


# --- tampering -------------------------------------------------------------------------------


def only(result: suite.VerificationResult, code: FailureCode) -> str:
    assert not result.verified
    assert [f.code for f in result.failures] == [code], result.failures
    return result.failures[0].message


@pytest.mark.parametrize(
    "path",
    [("name",), ("credentialSubject", "alumniOf"), ("issuer",), ("validFrom",), ("id",)],
)
def test_one_changed_byte_in_the_document_breaks_the_signature(signed, path) -> None:
    tampered = copy.deepcopy(signed)
    holder = tampered
    for key in path[:-1]:
        holder = holder[key]
    value = holder[path[-1]]
    holder[path[-1]] = value[:-1] + chr(ord(value[-1]) ^ 1)
    message = only(suite.verify_proof(tampered, key_resolver()), FailureCode.SIGNATURE_MISMATCH)
    assert "signature does not match" in message


def test_an_added_field_breaks_the_signature(signed) -> None:
    tampered = {**signed, "extra": True}
    only(suite.verify_proof(tampered, key_resolver()), FailureCode.SIGNATURE_MISMATCH)


def test_a_changed_signature_byte_is_a_signature_mismatch(signed) -> None:
    signature = bytearray(base58btc_decode(signed["proof"]["proofValue"][1:]))
    signature[10] ^= 0x01
    tampered = copy.deepcopy(signed)
    tampered["proof"]["proofValue"] = "z" + base58btc_encode(bytes(signature))
    only(suite.verify_proof(tampered, key_resolver()), FailureCode.SIGNATURE_MISMATCH)


@pytest.mark.parametrize(
    ("proof_value", "reason"),
    [
        ("u" + "A" * 86, "starting with 'z'"),
        ("z2HnFSSPPBzR36zdDgK8Pb0HeXbR5", "not a base58btc character"),  # '0' is not base58
        ("z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jw", "signature has 64 bytes, proofValue has"),
        (None, "starting with 'z'"),
    ],
)
def test_a_badly_encoded_proof_value_names_the_encoding(signed, proof_value, reason) -> None:
    tampered = copy.deepcopy(signed)
    tampered["proof"]["proofValue"] = proof_value
    message = only(suite.verify_proof(tampered, key_resolver()), FailureCode.BAD_PROOF_VALUE)
    assert message.startswith("proofValue")
    assert reason in message


def test_a_changed_character_of_proof_value(signed) -> None:
    tampered = copy.deepcopy(signed)
    value = tampered["proof"]["proofValue"]
    tampered["proof"]["proofValue"] = value[:20] + ("A" if value[20] != "A" else "B") + value[21:]
    result = suite.verify_proof(tampered, key_resolver())
    assert not result.verified
    assert result.codes <= {FailureCode.SIGNATURE_MISMATCH, FailureCode.BAD_PROOF_VALUE}


def test_another_did_key_as_verification_method(signed) -> None:
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    tampered = copy.deepcopy(signed)
    tampered["proof"]["verificationMethod"] = did_key_verification_method(other)
    # The key resolves, so the changed proof configuration and key fail the signature.
    message = only(suite.verify_proof(tampered, key_resolver()), FailureCode.SIGNATURE_MISMATCH)
    assert did_key_verification_method(other) in message


def test_an_unknown_verification_method(signed) -> None:
    tampered = copy.deepcopy(signed)
    vm = tampered["proof"]["verificationMethod"]
    tampered["proof"]["verificationMethod"] = vm[:-1] + ("3" if vm[-1] != "3" else "4")
    message = only(
        suite.verify_proof(tampered, key_resolver()), FailureCode.UNKNOWN_VERIFICATION_METHOD
    )
    assert "verification method" in message
    tampered["proof"]["verificationMethod"] = "did:web:issuer.example#key-1"
    only(suite.verify_proof(tampered, key_resolver()), FailureCode.UNKNOWN_VERIFICATION_METHOD)


def test_wrong_cryptosuite_and_type(signed) -> None:
    tampered = copy.deepcopy(signed)
    tampered["proof"]["cryptosuite"] = "eddsa-rdfc-2022"
    message = only(suite.verify_proof(tampered, key_resolver()), FailureCode.WRONG_CRYPTOSUITE)
    assert "eddsa-rdfc-2022" in message
    tampered = copy.deepcopy(signed)
    tampered["proof"]["type"] = "Ed25519Signature2020"
    only(suite.verify_proof(tampered, key_resolver()), FailureCode.WRONG_PROOF_TYPE)


def test_context_mismatch(signed) -> None:
    tampered = copy.deepcopy(signed)
    tampered["@context"] = list(reversed(tampered["@context"]))
    result = suite.verify_proof(tampered, key_resolver())
    assert not result.verified
    assert FailureCode.CONTEXT_MISMATCH in result.codes


def test_an_added_trailing_context_is_allowed_by_the_spec(signed) -> None:
    # Section 3.3.2 step 4: the document's @context must *start with* the proof's, which then
    # replaces it for hashing; a context appended after signing does not break the proof.
    extended = {**signed, "@context": [*signed["@context"], "https://example.org/extra/v1"]}
    assert suite.verify_proof(extended, key_resolver()).verified


def test_proof_purpose_is_checked(signed) -> None:
    result = suite.verify_proof(signed, key_resolver(), expected_proof_purpose="authentication")
    only(result, FailureCode.WRONG_PROOF_PURPOSE)


def test_missing_proof_and_proof_sets_and_chains(signed) -> None:
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    only(suite.verify_proof(unsigned, key_resolver()), FailureCode.PROOF_MISSING)
    two = {**signed, "proof": [signed["proof"], signed["proof"]]}
    message = only(suite.verify_proof(two, key_resolver()), FailureCode.PROOF_SET_UNSUPPORTED)
    assert "2 proofs" in message
    chained = {**signed, "proof": {**signed["proof"], "previousProof": "urn:uuid:x"}}
    only(suite.verify_proof(chained, key_resolver()), FailureCode.PROOF_CHAIN_UNSUPPORTED)
    only(suite.verify_proof({**signed, "proof": "x"}, key_resolver()), FailureCode.MALFORMED_PROOF)


def test_all_failures_are_reported_together(signed) -> None:
    tampered = copy.deepcopy(signed)
    tampered["proof"]["proofPurpose"] = "authentication"
    tampered["proof"]["proofValue"] = "zzz"
    result = suite.verify_proof(tampered, key_resolver())
    assert result.codes == {FailureCode.WRONG_PROOF_PURPOSE, FailureCode.BAD_PROOF_VALUE}


# --- creation options, expiry, key validity -------------------------------------------------


def test_round_trip_with_options_and_floats(private_key, key_pair) -> None:
    vm = did_key_verification_method(decode_public_key_multibase(key_pair["publicKeyMultibase"]))
    document = {"@context": "https://www.w3.org/ns/credentials/v2", "weight": 12.5, "é": "ü"}
    secured = suite.create_proof(
        document,
        private_key,
        verification_method=vm,
        created="2026-01-01T00:00:00Z",
        expires="2027-01-01T00:00:00Z",
        domain="trade.example",
        challenge="c-1",
        nonce="n-1",
        proof_id="urn:uuid:1",
    )
    assert secured["proof"]["@context"] == document["@context"]
    resolve = key_resolver()
    assert suite.verify_proof(secured, resolve, domain="trade.example", challenge="c-1").verified
    only(suite.verify_proof(secured, resolve, domain="other.example"), FailureCode.DOMAIN_MISMATCH)
    only(suite.verify_proof(secured, resolve, challenge="c-2"), FailureCode.CHALLENGE_MISMATCH)
    later = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)
    only(suite.verify_proof(secured, resolve, now=later), FailureCode.PROOF_EXPIRED)


def test_create_refuses_bad_input(private_key) -> None:
    with pytest.raises(ProofError, match="already has a proof"):
        suite.create_proof({"proof": {}}, private_key, verification_method="x", created=CREATED)
    with pytest.raises(ProofError, match="created"):
        suite.create_proof({}, private_key, verification_method="x", created="yesterday")
    with pytest.raises(ProofError, match="RFC 8785"):
        suite.create_proof(
            {"n": float("nan")}, private_key, verification_method="x", created=CREATED
        )
    with pytest.raises(ProofError, match="not DataIntegrityProof"):
        suite.proof_configuration({"type": "X", "cryptosuite": "eddsa-jcs-2022"}, {})


def test_a_document_without_context_has_no_proof_context(private_key) -> None:
    public = private_key.public_key().public_bytes_raw()
    secured = suite.create_proof(
        {"a": 1},
        private_key,
        verification_method=did_key_verification_method(public),
        created=CREATED,
    )
    assert "@context" not in secured["proof"]
    assert suite.verify_proof(secured, key_resolver()).verified


def test_created_outside_the_key_validity_window() -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    t = [dt.datetime(2024 + i, 1, 1, tzinfo=dt.UTC) for i in range(3)]
    keys = [
        ("key-1", old.public_key().public_bytes_raw(), t[0], t[1]),
        ("key-2", new.public_key().public_bytes_raw(), t[1], None),
    ]
    document = did_web_document("issuer.example", (), keys)
    resolve = key_resolver([document])
    vm_old, vm_new = (f"did:web:issuer.example#key-{n}" for n in (1, 2))
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:x"}

    def issued(key: Ed25519PrivateKey, vm: str, created: str) -> dict[str, Any]:
        return suite.create_proof(credential, key, verification_method=vm, created=created)

    # Signed with the old key while it was valid: still verifies after the rotation.
    assert suite.verify_proof(issued(old, vm_old, "2024-06-01T00:00:00Z"), resolve).verified
    assert suite.verify_proof(issued(new, vm_new, "2025-06-01T00:00:00Z"), resolve).verified
    # Old key after its revocation, new key before its start.
    message = only(
        suite.verify_proof(issued(old, vm_old, "2025-06-01T00:00:00Z"), resolve),
        FailureCode.KEY_NOT_VALID_AT_CREATED,
    )
    assert "outside the validity" in message
    only(
        suite.verify_proof(issued(new, vm_new, "2024-06-01T00:00:00Z"), resolve),
        FailureCode.KEY_NOT_VALID_AT_CREATED,
    )
    # A key used under the other key's id.
    only(
        suite.verify_proof(issued(old, vm_new, "2025-06-01T00:00:00Z"), resolve),
        FailureCode.SIGNATURE_MISMATCH,
    )


def test_key_without_created_time_cannot_be_checked_against_its_window(private_key) -> None:
    public = private_key.public_key().public_bytes_raw()
    secured = suite.create_proof(
        {"a": 1}, private_key, verification_method="did:web:x#k", created=CREATED
    )
    del secured["proof"]["created"]  # also breaks the signature: both are reported
    window = VerificationKey(public, valid_from=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    result = suite.verify_proof(secured, lambda _vm: window)
    assert result.codes == {FailureCode.KEY_NOT_VALID_AT_CREATED, FailureCode.SIGNATURE_MISMATCH}


def test_a_key_not_listed_for_the_purpose(private_key) -> None:
    public = private_key.public_key().public_bytes_raw()
    secured = suite.create_proof(
        {"a": 1}, private_key, verification_method="did:web:x#k", created=CREATED
    )
    key = VerificationKey(public, purposes=frozenset({"authentication"}))
    message = only(suite.verify_proof(secured, lambda _vm: key), FailureCode.WRONG_PROOF_PURPOSE)
    assert "not listed for 'assertionMethod'" in message


def test_a_bad_public_key(signed) -> None:
    only(suite.verify_proof(signed, lambda _vm: b"\1" * 31), FailureCode.BAD_PUBLIC_KEY)
