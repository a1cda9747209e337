"""Every entry of shared/fixtures/openattestation/expected.json: integrity and DID signature.

The expected v2/v3 integrity results agree with ``verifySignature()`` of npm
``@govtechsg/open-attestation@6.9.7``; v4 results come from a port of ``src/4.0/hash.ts``
(see the fixture's SOURCE.txt).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from digitrade.systems.documents.openattestation import (
    FRAGMENT_NAMES,
    FragmentStatus,
    verify_document,
)
from tests.support import SHARED_FIXTURES, official_fixture

pytestmark = pytest.mark.fixtures

KIT = "openattestation"
MISSING = "fixture-missing"
# From SOURCE.txt: 67 wrapped/signed documents (62 integrity-valid), 31 DID-signed (27 match).
DOCUMENTED = {"wrapped": 67, "valid": 62, "did_signed": 31, "did_matching": 27}


def _entries() -> list[dict[str, Any]]:
    path = SHARED_FIXTURES / KIT / "expected.json"
    if not path.exists():
        return [{"file": MISSING}]
    return list(json.loads(path.read_text(encoding="utf-8"))["entries"])


ENTRIES = _entries()


def _id(entry: dict[str, Any]) -> str:
    index = entry.get("array_index")
    return entry["file"] if index is None else f"{entry['file']}[{index}]"


def load(entry: dict[str, Any]) -> Any:
    # The placeholder entry points at expected.json itself, so a missing kit skips (or fails in CI).
    name = "expected.json" if entry["file"] == MISSING else entry["file"]
    path = official_fixture(f"{KIT}/{name}")
    document = json.loads(path.read_text(encoding="utf-8"))
    index = entry.get("array_index")
    return document if index is None else document[index]


@pytest.mark.parametrize("entry", ENTRIES, ids=_id)
def test_matches_expected(entry):
    result = verify_document(load(entry))
    if entry["form"] == "raw-or-other":
        assert result.error, "a raw document must be reported as not verifiable"
        assert result.integrity.status is FragmentStatus.ERROR
        assert not result.verified_offline
        return
    assert result.error is None
    assert result.version == {"v2": "2.0", "v3": "3.0", "v4": "4.0"}[entry["oa_version"]]
    assert result.target_hash_matches is entry["target_hash_matches"]
    assert result.merkle_proof_matches_root is entry["merkle_proof_matches_root"]
    integrity = result.integrity
    assert (integrity.status is FragmentStatus.VALID) is entry["integrity_valid"], integrity.reason
    if not entry["integrity_valid"]:
        assert integrity.status is FragmentStatus.INVALID
        assert not result.verified_offline

    did = result.did_signature
    expected_signatures = entry.get("did_signature_offline")
    if expected_signatures:
        got = [
            {
                "verification_method": check.verification_method,
                "recovered_address": check.recovered_address,
                "matches_did_ethr_address": check.matches,
            }
            for check in did.signatures
        ]
        assert got == expected_signatures
        all_match = all(item["matches_did_ethr_address"] for item in expected_signatures)
        assert (did.status is FragmentStatus.VALID) is all_match, did.reason
        assert result.verified_offline is (entry["integrity_valid"] and all_match)
    else:
        assert did.status is not FragmentStatus.VALID
        assert not did.signatures


@pytest.mark.parametrize("entry", ENTRIES, ids=_id)
def test_online_checks_are_skipped_not_passed(entry):
    result = verify_document(load(entry))
    assert [fragment.name for fragment in result.fragments] == list(FRAGMENT_NAMES)
    for fragment in result.fragments:
        if fragment.name in {"OpenAttestationHash", "OpenAttestationDidSignedDocumentStatus"}:
            continue
        assert fragment.status is FragmentStatus.SKIPPED
        assert fragment.reason


def test_fixture_counts_match_source():
    load(ENTRIES[0])  # skips (or fails in CI) when the kit is missing
    wrapped = [e for e in ENTRIES if e["form"] != "raw-or-other"]
    signed = [e for e in wrapped if e.get("did_signature_offline")]
    assert {
        "wrapped": len(wrapped),
        "valid": sum(e["integrity_valid"] for e in wrapped),
        "did_signed": len(signed),
        "did_matching": sum(
            all(s["matches_did_ethr_address"] for s in e["did_signature_offline"]) for e in signed
        ),
    } == DOCUMENTED


def test_network_checks_name_what_they_need():
    load(ENTRIES[0])
    entry = next(e for e in ENTRIES if e["file"].endswith("documentMixedIssuance.json"))
    result = verify_document(load(entry))
    needs = {fragment.name: fragment.reason for fragment in result.fragments}
    assert needs["OpenAttestationEthereumTokenRegistryStatus"].startswith(
        "not checkable offline: needs Ethereum network access"
    )
    assert needs["OpenAttestationEthereumDocumentStoreStatus"].startswith(
        "not checkable offline: needs Ethereum network access"
    )
    assert needs["OpenAttestationDnsTxtIdentityProof"].startswith(
        "not checkable offline: needs DNS access"
    )
    assert needs["OpenAttestationDnsDidIdentityProof"].startswith(
        "not checkable offline: needs DNS access"
    )
    assert result.verified_offline
