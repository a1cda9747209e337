from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from digitrade.systems.documents.vc.did import (
    DidError,
    UnknownVerificationMethod,
    VerificationKey,
    WebKey,
    did_key,
    did_key_document,
    did_key_public_key,
    did_key_verification_method,
    did_web,
    did_web_document,
    did_web_url,
    key_resolver,
    resolve_verification_method,
    verification_key,
)
from digitrade.systems.documents.vc.multibase import decode_public_key_multibase

from .conftest import vector_json

UTC = dt.UTC
T2024, T2025, T2026 = (dt.datetime(year, 1, 1, tzinfo=UTC) for year in (2024, 2025, 2026))


def raw_key() -> bytes:
    return Ed25519PrivateKey.generate().public_key().public_bytes_raw()


def test_did_key_of_the_vector_key(key_pair) -> None:
    multibase = key_pair["publicKeyMultibase"]
    public = decode_public_key_multibase(multibase)
    assert did_key(public) == f"did:key:{multibase}"
    vm = did_key_verification_method(public)
    assert vm == vector_json("eddsa-jcs-2022/signedJCS.json")["proof"]["verificationMethod"]
    assert did_key_public_key(vm) == public
    assert did_key_public_key(did_key(public)) == public
    private = vector_json("keyPair.json")["privateKeyMultibase"]
    with pytest.raises(DidError, match="not an Ed25519 did:key"):
        did_key_public_key(f"did:key:{private}")


def test_did_key_document(key_pair) -> None:
    public = decode_public_key_multibase(key_pair["publicKeyMultibase"])
    document = did_key_document(did_key(public))
    vm = did_key_verification_method(public)
    assert document["id"] == did_key(public)
    assert document["verificationMethod"] == [
        {
            "id": vm,
            "type": "Multikey",
            "controller": did_key(public),
            "publicKeyMultibase": key_pair["publicKeyMultibase"],
        }
    ]
    assert document["assertionMethod"] == [vm]
    key = verification_key(document, vm)
    assert key.public_key == public
    assert "assertionMethod" in (key.purposes or ())


def test_did_key_with_a_foreign_fragment_is_unknown(key_pair) -> None:
    did = f"did:key:{key_pair['publicKeyMultibase']}"
    with pytest.raises(UnknownVerificationMethod):
        did_key_public_key(f"{did}#other")
    with pytest.raises(DidError, match="not a did:key"):
        did_key_public_key("did:web:example.com")


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
        ("did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json"),
        ("did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"),
    ],
)
def test_did_web_url(did: str, url: str) -> None:
    assert did_web_url(did) == url


@pytest.mark.parametrize(
    "bad", ["did:key:z6Mk", "did:web:", "did:web:example.com#key-1", "did:web:a::b", "did:web:a/b"]
)
def test_did_web_url_rejects(bad: str) -> None:
    with pytest.raises(DidError):
        did_web_url(bad)


def test_did_web_from_domain_and_path() -> None:
    assert did_web("Example.com:3000", ["user", "alice"]) == "did:web:example.com%3A3000:user:alice"
    assert did_web_url(did_web("example.com:3000", ["a"])) == "https://example.com:3000/a/did.json"
    with pytest.raises(DidError):
        did_web("example.com", ["a:b"])
    with pytest.raises(DidError):
        did_web("", [])


def rotated() -> tuple[dict, bytes, bytes]:
    old, new = raw_key(), raw_key()
    document = did_web_document(
        "issuer.example",
        ["trade"],
        [WebKey("key-2", new, T2025), ("key-1", old, T2024, T2025)],  # any order, tuples too
    )
    return document, old, new


def test_did_web_document_lists_old_and_new_keys() -> None:
    document, _, _ = rotated()
    did = "did:web:issuer.example:trade"
    assert document["id"] == did
    ids = [vm["id"] for vm in document["verificationMethod"]]
    assert ids == [f"{did}#key-1", f"{did}#key-2"]  # ordered by valid_from
    first, second = document["verificationMethod"]
    assert first["validFrom"] == "2024-01-01T00:00:00Z"
    assert first["revoked"] == "2025-01-01T00:00:00Z"
    assert "revoked" not in second
    assert document["assertionMethod"] == ids
    assert document["authentication"] == [f"{did}#key-2"]


@pytest.mark.parametrize(
    ("key", "at", "valid", "reason"),
    [
        ("key-1", dt.datetime(2024, 6, 1, tzinfo=UTC), True, None),
        ("key-1", T2025, False, "revoked or expired at 2025-01-01T00:00:00Z"),
        ("key-1", dt.datetime(2023, 6, 1, tzinfo=UTC), False, "valid only from"),
        ("key-2", T2025, True, None),
        ("key-2", dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=UTC), False, "valid only from"),
        ("key-2", dt.datetime(2030, 1, 1, tzinfo=UTC), True, None),
        ("key-3", T2025, False, "lists no verification method"),
    ],
)
def test_resolve_verification_method_over_time(key, at, valid, reason) -> None:
    document, old, new = rotated()
    resolution = resolve_verification_method(document, f"{document['id']}#{key}", at)
    assert resolution.valid is valid
    if reason is None:
        assert resolution.reason is None
        assert resolution.key is not None
        assert resolution.key.public_key == (old if key == "key-1" else new)
    else:
        assert reason in (resolution.reason or "")


def test_resolution_checks_the_relationship() -> None:
    document, _, _ = rotated()
    vm = f"{document['id']}#key-1"
    at = dt.datetime(2024, 6, 1, tzinfo=UTC)
    resolution = resolve_verification_method(document, vm, at, purpose="authentication")
    assert not resolution.valid
    assert "not listed for authentication" in (resolution.reason or "")
    with pytest.raises(DidError, match="timezone-aware"):
        resolve_verification_method(document, vm, dt.datetime(2024, 6, 1))


def test_relative_ids_and_embedded_methods() -> None:
    public = raw_key()
    key = did_web_document("a.example", [], [("k", public, T2024)])["verificationMethod"][0]
    document = {
        "id": "did:web:a.example",
        "verificationMethod": [],
        "assertionMethod": [{**key, "id": "#k"}],
    }
    found = verification_key(document, "did:web:a.example#k")
    assert found.public_key == public
    assert found.purposes == frozenset({"assertionMethod"})


def test_did_web_document_rejects_bad_keys() -> None:
    with pytest.raises(DidError, match="appears twice"):
        did_web_document("a.example", [], [("k", raw_key(), T2024), ("k", raw_key(), T2025)])
    with pytest.raises(DidError, match="revoked before"):
        did_web_document("a.example", [], [("k", raw_key(), T2025, T2024)])
    with pytest.raises(DidError, match="key id"):
        did_web_document("a.example", [], [("k#1", raw_key(), T2024)])
    with pytest.raises(DidError, match="timezone-aware"):
        did_web_document("a.example", [], [("k", raw_key(), dt.datetime(2024, 1, 1))])


def test_key_resolver() -> None:
    document, old, _ = rotated()
    resolve = key_resolver([document])
    key = resolve(f"{document['id']}#key-1")
    assert key == VerificationKey(old, T2024, T2025, frozenset({"assertionMethod"}))
    with pytest.raises(UnknownVerificationMethod):
        resolve("did:web:other.example#key-1")
    with pytest.raises(UnknownVerificationMethod):
        resolve(f"{document['id']}#nope")
    with pytest.raises(UnknownVerificationMethod):
        resolve("did:key:zNotAKey")
    assert resolve(did_key_verification_method(old)).public_key == old
