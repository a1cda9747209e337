"""PINT 3.0 envelopes: build, verify, tamper, fork, duplicate and signed responses."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from digitrade.systems.documents.dcsa.jws import (
    JwsSigner,
    b64url_decode,
    b64url_encode,
    sign_compact,
)
from digitrade.systems.documents.dcsa.pint import (
    HTTP_STATUS,
    EnvelopeCheck,
    ResponseCode,
    build_envelope,
    build_issuance_manifest,
    checksum_document,
    checksum_signed_content,
    classify_receipt,
    response_for,
    sha256_hex,
    verify_envelope,
    verify_response,
)
from digitrade.systems.documents.dcsa.schema import validate_envelope, validate_finished_response
from digitrade.systems.documents.dcsa.states import TransportDocumentStatus
from tests.support import official_fixture

from .helpers import (
    BANK,
    BUYER,
    CARRIER,
    CONSIGNEE,
    SHIPPER,
    Keys,
    straight_chain,
    transport_document,
    tx,
)

pytestmark = pytest.mark.fixtures


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys()


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return transport_document()


@pytest.fixture(scope="module")
def envelopes(keys: Keys, document: dict[str, Any]) -> list[dict[str, Any]]:
    return straight_chain(keys, document)


def subjects(check: EnvelopeCheck) -> set[str]:
    return {f.subject for f in check.findings if f.code is not None}


def replace_payload(token: str, change: Any) -> str:
    """The same JWS with its payload edited and the original signature kept."""
    header, payload, signature = token.split(".")
    body = json.loads(b64url_decode(payload))
    change(body)
    return f"{header}.{b64url_encode(json.dumps(body).encode())}.{signature}"


def flip_char(segment: str, index: int) -> str:
    replacement = "A" if segment[index] != "A" else "B"
    return segment[:index] + replacement + segment[index + 1 :]


# --- the happy path --------------------------------------------------------------------------


def test_checksums_are_sha256_of_jcs_and_of_the_jws_string(document: dict[str, Any]) -> None:
    reordered = dict(reversed(list(document.items())))
    assert checksum_document(reordered) == checksum_document(document)
    assert len(checksum_document(document)) == 64
    assert checksum_signed_content("a.b.c") == sha256_hex(b"a.b.c")


def test_chain_issue_transfer_transfer_verifies(
    keys: Keys, document: dict[str, Any], envelopes: list[dict[str, Any]]
) -> None:
    for number, envelope in enumerate(envelopes, start=1):
        assert validate_envelope(envelope) == []
        check = verify_envelope(envelope, keys.resolver())
        assert check.response_code is ResponseCode.RECE, check.findings
        assert check.accepted and check.reason is None
        assert len(check.entries) == number
    final = verify_envelope(envelopes[2], keys.resolver(), receiving_platform="WAVE")
    assert final.accepted
    assert final.transport_document_checksum == checksum_document(document)
    assert final.entry_checksums[-1] == final.last_entry_checksum
    assert final.title is not None
    assert final.title.status is TransportDocumentStatus.ISSUED
    assert final.title.holder is not None and final.title.holder.name == "Consignee SA"
    assert final.title.last_entry_checksum == final.last_entry_checksum
    assert final.issuance_manifest is not None
    assert final.issuance_manifest["issueToChecksum"] == checksum_document(SHIPPER)
    # no advisory either: the ISSUE recipient is the issueTo party
    assert [f for f in final.findings if f.code is None] == []


def test_links_point_at_the_previous_entry(envelopes: list[dict[str, Any]]) -> None:
    chain = envelopes[2]["envelopeTransferChain"]
    second = json.loads(b64url_decode(chain[1].split(".")[1]))
    assert second["previousEnvelopeTransferChainEntrySignedContentChecksum"] == (
        checksum_signed_content(chain[0])
    )
    first = json.loads(b64url_decode(chain[0].split(".")[1]))
    assert "previousEnvelopeTransferChainEntrySignedContentChecksum" not in first


def test_envelope_for_another_platform_is_rejected(
    keys: Keys, envelopes: list[dict[str, Any]]
) -> None:
    check = verify_envelope(envelopes[2], keys.resolver(), receiving_platform="BOLE")
    assert check.response_code is ResponseCode.BENV
    assert "platform BOLE" in (check.reason or "")


def test_build_envelope_refuses_inconsistent_checksums(
    keys: Keys, document: dict[str, Any], envelopes: list[dict[str, Any]]
) -> None:
    with pytest.raises(ValueError, match="transportDocumentChecksum"):
        build_envelope(
            document,
            envelopes[0]["envelopeTransferChain"],
            {
                "eblPlatform": "BOLE",
                "transportDocumentChecksum": "0" * 64,
                "transactions": [tx("TRANSFER", SHIPPER, BUYER)],
            },
            keys.signers["BOLE"],
        )
    with pytest.raises(ValueError, match="first chain entry"):
        build_envelope(
            document,
            [],
            {
                "eblPlatform": "WAVE",
                "previousEnvelopeTransferChainEntrySignedContentChecksum": "0" * 64,
                "transactions": [tx("ISSUE", CARRIER, SHIPPER)],
            },
            keys.signers["WAVE"],
        )


# --- tampering -------------------------------------------------------------------------------


def test_tampered_document_is_caught_by_its_checksum(
    keys: Keys, envelopes: list[dict[str, Any]]
) -> None:
    envelope = copy.deepcopy(envelopes[2])
    envelope["transportDocument"]["transportDocumentReference"] = "TDREF0002"  # one byte
    check = verify_envelope(envelope, keys.resolver())
    assert check.response_code is ResponseCode.BENV
    assert check.reason is not None and check.reason.startswith(
        "manifest.transportDocumentChecksum is "
    )
    assert {
        "manifest.transportDocumentChecksum",
        "entry 3.transportDocumentChecksum",
        "issuance manifest documentChecksum",
    } <= subjects(check)
    assert not any(f.code is ResponseCode.BSIG for f in check.findings)  # signatures still hold


def test_tampered_chain_entry_breaks_its_link_and_signature(
    keys: Keys, envelopes: list[dict[str, Any]]
) -> None:
    envelope = copy.deepcopy(envelopes[2])
    chain = envelope["envelopeTransferChain"]

    def reroute(body: dict[str, Any]) -> None:
        body["transactions"][0]["recipient"] = BANK

    chain[1] = replace_payload(chain[1], reroute)
    check = verify_envelope(envelope, keys.resolver())
    assert check.response_code is ResponseCode.BENV
    assert "link 3" in (check.reason or "")
    assert "link 3: entry 3.previousEnvelopeTransferChainEntrySignedContentChecksum" in subjects(
        check
    )
    assert "signature of entry 2" in subjects(check)


def test_tampered_signature_is_named(keys: Keys, envelopes: list[dict[str, Any]]) -> None:
    envelope = copy.deepcopy(envelopes[2])
    chain = envelope["envelopeTransferChain"]
    header, payload, signature = chain[0].split(".")
    chain[0] = f"{header}.{payload}.{flip_char(signature, 10)}"
    check = verify_envelope(envelope, keys.resolver())
    # the altered bytes also change entry 1's checksum, so entry 2's link no longer matches
    assert check.response_code is ResponseCode.BENV
    assert "link 2" in (check.reason or "")
    bsig = [f for f in check.findings if f.code is ResponseCode.BSIG]
    assert [f.subject for f in bsig] == ["signature of entry 1"]
    assert "signature does not verify" in bsig[0].message


def test_tampered_last_entry_signature_breaks_the_manifest(
    keys: Keys, envelopes: list[dict[str, Any]]
) -> None:
    envelope = copy.deepcopy(envelopes[2])
    header, payload, signature = envelope["envelopeTransferChain"][2].split(".")
    envelope["envelopeTransferChain"][2] = f"{header}.{payload}.{flip_char(signature, 5)}"
    check = verify_envelope(envelope, keys.resolver())
    assert check.response_code is ResponseCode.BENV
    assert {
        "manifest.lastEnvelopeTransferChainEntrySignedContentChecksum",
        "signature of entry 3",
    } <= subjects(check)


def test_consistent_chain_signed_with_the_wrong_key_is_bsig(
    keys: Keys, document: dict[str, Any], envelopes: list[dict[str, Any]]
) -> None:
    """Links and manifest all agree, but entry 3 claims CARX's kid with another key."""
    impostor = JwsSigner(Ed25519PrivateKey.generate(), keys.signers["CARX"].kid)
    forged = build_envelope(
        document,
        envelopes[1]["envelopeTransferChain"],
        {"eblPlatform": "CARX", "transactions": [tx("TRANSFER", BUYER, CONSIGNEE)]},
        impostor,
    )
    check = verify_envelope(forged, keys.resolver())
    assert check.response_code is ResponseCode.BSIG
    assert check.reason is not None
    assert "signature of manifest" in check.reason and "signature of entry 3" in check.reason
    assert "signature of entry 2" not in check.reason


def test_unknown_key_is_bsig(keys: Keys, envelopes: list[dict[str, Any]]) -> None:
    check = verify_envelope(envelopes[2], keys.resolver(without="CARX"))
    assert check.response_code is ResponseCode.BSIG
    assert "unknown signing key (kid 'carx-key-1')" in (check.reason or "")
    assert HTTP_STATUS[check.response_code] == 422


def test_issuance_manifest_must_be_signed_by_a_known_carrier_key(
    keys: Keys, envelopes: list[dict[str, Any]]
) -> None:
    check = verify_envelope(envelopes[2], keys.resolver(without="CARRIER"))
    assert check.response_code is ResponseCode.BSIG
    assert subjects(check) == {"signature of issuance manifest"}


def test_first_entry_needs_an_issuance_manifest_and_issue_first(
    keys: Keys, document: dict[str, Any]
) -> None:
    envelope = build_envelope(
        document,
        [],
        {"eblPlatform": "BOLE", "transactions": [tx("TRANSFER", SHIPPER, BUYER)]},
        keys.signers["BOLE"],
    )
    check = verify_envelope(envelope, keys.resolver())
    assert check.response_code is ResponseCode.BENV
    assert {"entry 1", "transactions"} <= subjects(check)
    assert "the first transaction must be ISSUE, not TRANSFER" in (check.reason or "")


def test_title_rules_are_enforced_over_the_chain(
    keys: Keys, document: dict[str, Any], envelopes: list[dict[str, Any]]
) -> None:
    # the shipper transferred to the buyer in entry 2, so it cannot transfer again
    double = build_envelope(
        document,
        envelopes[1]["envelopeTransferChain"],
        {"eblPlatform": "BOLE", "transactions": [tx("TRANSFER", SHIPPER, BANK)]},
        keys.signers["BOLE"],
    )
    check = verify_envelope(double, keys.resolver())
    assert check.response_code is ResponseCode.BENV
    assert "only the holder (Buyer GmbH" in (check.reason or "")


def test_nothing_may_follow_an_accepted_surrender(
    keys: Keys, document: dict[str, Any], envelopes: list[dict[str, Any]]
) -> None:
    surrender = build_envelope(
        document,
        envelopes[2]["envelopeTransferChain"],
        {
            "eblPlatform": "WAVE",
            "transactions": [
                tx("SURRENDER_FOR_DELIVERY", CONSIGNEE, CARRIER),
                tx("SACC", CARRIER, CONSIGNEE),
            ],
        },
        keys.signers["WAVE"],
    )
    ok = verify_envelope(surrender, keys.resolver())
    assert ok.accepted and ok.title is not None
    assert ok.title.status is TransportDocumentStatus.SURRENDERED_FOR_DELIVERY
    after = build_envelope(
        document,
        surrender["envelopeTransferChain"],
        {"eblPlatform": "WAVE", "transactions": [tx("TRANSFER", CARRIER, BUYER)]},
        keys.signers["WAVE"],
    )
    check = verify_envelope(after, keys.resolver())
    assert check.response_code is ResponseCode.BENV
    assert "SURRENDERED_FOR_DELIVERY: no transaction may follow" in (check.reason or "")


def test_schema_errors_are_benv_with_the_path(keys: Keys, envelopes: list[dict[str, Any]]) -> None:
    envelope = copy.deepcopy(envelopes[2])
    del envelope["transportDocument"]["transportDocumentStatus"]
    check = verify_envelope(envelope, keys.resolver())
    assert check.response_code is ResponseCode.BENV
    assert "envelope/transportDocument" in subjects(check)
    assert verify_envelope({"envelopeTransferChain": []}, keys.resolver()).response_code is (
        ResponseCode.BENV
    )
    broken = copy.deepcopy(envelopes[2])
    broken["envelopeTransferChain"][1] = "x.y.z"
    bad = verify_envelope(broken, keys.resolver())
    assert bad.response_code is ResponseCode.BENV
    assert "entry 2" in subjects(bad)


# --- receiver knowledge: duplicates and forks ----------------------------------------------------


def test_replayed_envelope_is_dupe(keys: Keys, envelopes: list[dict[str, Any]]) -> None:
    envelope = envelopes[2]
    first = verify_envelope(envelope, keys.resolver(), known_entry_checksums=set())
    assert first.accepted
    known = set(first.entry_checksums)
    again = verify_envelope(envelope, keys.resolver(), known_entry_checksums=known)
    assert again.response_code is ResponseCode.DUPE
    assert again.duplicate_of == envelope["envelopeTransferChain"][-1]
    assert HTTP_STATUS[ResponseCode.DUPE] == 200


def test_extension_of_a_known_chain_is_received(
    keys: Keys, envelopes: list[dict[str, Any]]
) -> None:
    # the receiver held the eBL after entry 2, passed it on, and now gets it back extended
    known = {checksum_signed_content(e) for e in envelopes[1]["envelopeTransferChain"]}
    assert classify_receipt(known, envelopes[2]).code is ResponseCode.RECE
    assert verify_envelope(envelopes[2], keys.resolver(), known_entry_checksums=known).accepted


def test_fork_from_a_known_chain_is_dise(
    keys: Keys, document: dict[str, Any], envelopes: list[dict[str, Any]]
) -> None:
    """The buyer (entry 2's recipient) transfers the same eBL twice: a double spend."""
    other = build_envelope(
        document,
        envelopes[1]["envelopeTransferChain"],
        {"eblPlatform": "CARX", "transactions": [tx("TRANSFER", BUYER, BANK)]},
        keys.signers["CARX"],
    )
    assert verify_envelope(other, keys.resolver()).accepted  # valid on its own
    known = {checksum_signed_content(e) for e in envelopes[2]["envelopeTransferChain"]}
    check = verify_envelope(other, keys.resolver(), known_entry_checksums=known)
    assert check.response_code is ResponseCode.DISE
    assert "diverges after entry 2" in (check.reason or "")
    # replaying an older state of a chain the receiver has moved on from is also a fork
    old = classify_receipt(known, envelopes[1])
    assert old.code is ResponseCode.DISE


# --- additional documents ------------------------------------------------------------------------


def test_missing_and_inconclusive_additional_documents(
    keys: Keys, document: dict[str, Any], envelopes: list[dict[str, Any]]
) -> None:
    pdf = b"%PDF-1.7 visualisation"
    invoice = b"commercial invoice"
    metadata = {
        "name": "invoice.pdf",
        "size": len(invoice),
        "mediaType": "application/pdf",
        "documentChecksum": sha256_hex(invoice),
    }
    visual = {
        "name": "bl.pdf",
        "size": len(pdf),
        "mediaType": "application/pdf",
        "documentChecksum": sha256_hex(pdf),
    }
    issuance = build_issuance_manifest(
        document, SHIPPER, keys.signers["CARRIER"], ebl_visualisation_by_carrier=pdf
    )
    envelope = build_envelope(
        document,
        [],
        {
            "eblPlatform": "WAVE",
            "issuanceManifestSignedContent": issuance,
            "transactions": [tx("ISSUE", CARRIER, SHIPPER)],
        },
        keys.signers["WAVE"],
        ebl_visualisation_by_carrier=visual,
        supporting_documents=[metadata],
    )
    resolve = keys.resolver()
    assert verify_envelope(envelope, resolve).accepted  # documents not checked at start
    missing = verify_envelope(envelope, resolve, received_documents={sha256_hex(pdf): pdf})
    assert missing.response_code is ResponseCode.MDOC
    assert missing.missing_document_checksums == (sha256_hex(invoice),)
    wrong_size = verify_envelope(
        envelope,
        resolve,
        received_documents={sha256_hex(pdf): pdf, sha256_hex(invoice): invoice + b"!"},
    )
    # received under its declared checksum, but the content hashes differently
    assert wrong_size.response_code is ResponseCode.INCD
    assert f"document {sha256_hex(invoice)} hashes to" in (wrong_size.reason or "")
    complete = verify_envelope(
        envelope, resolve, received_documents={sha256_hex(pdf): pdf, sha256_hex(invoice): invoice}
    )
    assert complete.accepted
    lying = copy.deepcopy(visual)
    lying["size"] = 1
    envelope2 = build_envelope(
        document,
        [],
        {
            "eblPlatform": "WAVE",
            "issuanceManifestSignedContent": issuance,
            "transactions": [tx("ISSUE", CARRIER, SHIPPER)],
        },
        keys.signers["WAVE"],
        ebl_visualisation_by_carrier=lying,
    )
    incd = verify_envelope(envelope2, resolve, received_documents={sha256_hex(pdf): pdf})
    assert incd.response_code is ResponseCode.INCD
    assert "manifest says 1" in (incd.reason or "")


# --- signed responses ------------------------------------------------------------------------


def test_signed_responses_round_trip(keys: Keys, envelopes: list[dict[str, Any]]) -> None:
    receiver = keys.signers["WAVE"]
    resolve = keys.resolver()
    check = verify_envelope(envelopes[2], resolve)
    token = response_for(check, receiver, envelope_reference="env-1")
    answer = verify_response(token, resolve)
    assert answer.response_code is ResponseCode.RECE
    assert answer.payload == {
        "envelopeReference": "env-1",
        "transportDocumentChecksum": check.transport_document_checksum,
        "lastEnvelopeTransferChainEntrySignedContentChecksum": check.last_entry_checksum,
        "responseCode": "RECE",
    }
    dupe = verify_envelope(envelopes[2], resolve, known_entry_checksums=set(check.entry_checksums))
    payload = verify_response(response_for(dupe, receiver), resolve).payload
    assert payload["responseCode"] == "DUPE"
    assert (
        payload["duplicateOfAcceptedEnvelopeTransferChainEntrySignedContent"]
        == (envelopes[2]["envelopeTransferChain"][-1])
    )
    assert validate_finished_response(payload) == []
    bad = verify_envelope(envelopes[2], keys.resolver(without="CARX"))
    payload = verify_response(response_for(bad, receiver), resolve).payload
    assert payload["responseCode"] == "BSIG" and len(payload["reason"]) <= 255


def test_response_signed_by_an_unknown_key_is_refused(
    keys: Keys, envelopes: list[dict[str, Any]]
) -> None:
    check = verify_envelope(envelopes[2], keys.resolver())
    token = response_for(check, JwsSigner(Ed25519PrivateKey.generate(), "stranger"))
    with pytest.raises(Exception, match="unknown signing key"):
        verify_response(token, keys.resolver())


def test_unsigned_or_critical_manifests_are_bsig(
    keys: Keys, envelopes: list[dict[str, Any]]
) -> None:
    envelope = copy.deepcopy(envelopes[2])
    payload = envelope["envelopeManifestSignedContent"].split(".")[1]
    none_header = b64url_encode(b'{"alg":"none","kid":"wave-key-1"}')
    envelope["envelopeManifestSignedContent"] = f"{none_header}.{payload}.AAAA"
    check = verify_envelope(envelope, keys.resolver())
    assert check.response_code is ResponseCode.BSIG
    assert "alg none" in (check.reason or "")


# --- the DCSA example envelope ----------------------------------------------------------------


def test_illustrative_dcsa_example_is_reported_not_accepted() -> None:
    """The PINT example's JWS are illustrative: its checksums match nothing (SOURCE.txt)."""
    path = official_fixture(
        "dcsa-ebl/examples/EBL_PINT_v3.0.0__POST__v3-envelopes__request__regularSTDExample.json"
    )
    envelope = json.loads(path.read_text(encoding="utf-8"))
    assert validate_envelope(envelope) == []  # the envelope itself is schema valid
    check = verify_envelope(envelope, lambda kid: None)
    assert check.response_code is ResponseCode.BENV
    actual = checksum_document(envelope["transportDocument"])
    stated = "583c29ab3e47f2d80899993200d3fbadb9f8a367f3a39f715935c46d7a283006"
    assert check.reason is not None
    assert check.reason.startswith(
        f"manifest.transportDocumentChecksum is {stated} but the transportDocument hashes to "
        f"{actual}"
    )
    assert "manifest.lastEnvelopeTransferChainEntrySignedContentChecksum" in subjects(check)
    # the payload uses the older transaction shape ("action", "timestamp")
    assert "entry 1/transactions/0" in subjects(check)


def test_sign_compact_header_and_payload_are_canonical(keys: Keys) -> None:
    token = sign_compact({"b": 1, "a": 2}, keys.signers["WAVE"])
    header, payload, _ = token.split(".")
    assert b64url_decode(header) == b'{"alg":"EdDSA","kid":"wave-key-1"}'
    assert b64url_decode(payload) == b'{"a":2,"b":1}'
