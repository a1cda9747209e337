"""Verifiable documents on a real database: issuing anchored W3C credentials, verifying them
(and tampered copies), key rotation and revocation, status lists, the eBL title with exclusive
control and double-spend refusal, presentations, and permissions that leave nothing behind."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import func, select, update

from digitrade.core.audit import AppendOnlyViolation, AuditEvent
from digitrade.core.errors import Conflict, PermissionDenied, ValidationFailed
from digitrade.core.ledger import service as ledger
from digitrade.core.ledger.models import LedgerEntry
from digitrade.systems.documents import service
from digitrade.systems.documents.demo import TRANSPORT_DOCUMENT
from digitrade.systems.documents.models import Document, TitleEvent
from digitrade.systems.documents.schemas import IssueRequest
from digitrade.systems.documents.types import examples
from digitrade.systems.documents.vc import did as did_module
from digitrade.systems.documents.vc import eddsa_jcs_2022 as suite
from digitrade.systems.documents.vc import status_list
from tests.support import official_fixture


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def issue_ebl(db, trade, *, to_order: bool = True):
    subject = copy.deepcopy(TRANSPORT_DOCUMENT)
    subject["isToOrder"] = to_order
    detail = service.issue(
        db,
        actor=trade.carrier_user,
        organisation_id=trade.carrier,
        request=IssueRequest(
            kind="transport-document", subject=subject, holder_organisation_id=trade.shipper
        ),
    )
    db.commit()
    return detail


def verify(db, credential) -> dict[str, object]:
    ledger.integrate(db)
    db.commit()
    report = service.verify_file(db, json.dumps(credential).encode())
    return {check.name: check for check in report.checks} | {"verified": report.verified}


def act(db, actor, document_id, action, acting, recipient=None, expected=None):
    detail = service.title_action(
        db,
        actor=actor,
        document_id=document_id,
        action=action,
        acting_organisation_id=acting,
        recipient_organisation_id=recipient,
        expected_sequence=expected,
    )
    db.commit()
    return detail


# Issuing and verifying ------------------------------------------------------------------------


def test_issued_ebl_verifies_with_every_check_and_inclusion_proof(db, trade):
    detail = issue_ebl(db, trade)
    assert detail.title_status == "ISSUED" and detail.holder_organisation_id == trade.shipper
    assert [e.action for e in detail.title_events] == ["ISSUE"]
    checks = verify(db, detail.credential)
    assert checks["verified"] is True
    assert [name for name in checks if name != "verified"] == [
        "format",
        "schema",
        "signature",
        "issuer",
        "status",
        "ledger",
        "title",
    ]
    ledger_check = checks["ledger"].detail
    assert ledger_check["index"] == detail.ledger_index and ledger_check["inclusion_proof"]
    # The proof is a standard eddsa-jcs-2022 proof under the issuer's did:web document.
    document = service.did_document(db, slug="ocean-carrier")
    result = suite.verify_proof(detail.credential, did_module.key_resolver([document]))
    assert result.verified
    assert detail.credential["issuer"]["id"] == document["id"]


@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("subject", lambda c: c["credentialSubject"].update(shippedOnBoardDate="2026-11-19")),
        ("issuer", lambda c: c["issuer"].update(name="Someone Else")),
        ("proof", lambda c: c["proof"].update(proofValue=c["proof"]["proofValue"][:-2] + "zz")),
        ("created", lambda c: c["proof"].update(created="2026-01-01T00:00:00Z")),
    ],
)
def test_one_changed_value_is_caught_and_named(db, trade, where, change):
    credential = copy.deepcopy(issue_ebl(db, trade).credential)
    change(credential)
    checks = verify(db, credential)
    assert checks["verified"] is False
    assert checks["signature"].passed is False
    assert "signature" in checks["signature"].reason
    # A changed copy is not the credential that was issued: no status, no ledger entry.
    assert checks["ledger"].passed is False


def test_every_document_type_issues_and_verifies(db, trade):
    for kind, subject in (
        ("documentary-credit", examples.illustrative_documentary_credit()),
        ("crew-certificate", examples.illustrative_crew_certificate()),
        ("certificate-of-origin", examples.illustrative_certificate_of_origin()),
    ):
        detail = service.issue(
            db,
            actor=trade.bank_user if kind == "documentary-credit" else trade.carrier_user,
            organisation_id=trade.bank if kind == "documentary-credit" else trade.carrier,
            request=IssueRequest.model_validate(
                {"kind": kind, "subject": subject, "holder_organisation_id": trade.shipper}
            ),
        )
        db.commit()
        checks = verify(db, detail.credential)
        assert checks["verified"] is True, kind
        assert "title" not in checks
    held = service.list_documents(db, actor=trade.shipper_user, organisation_id=trade.shipper)
    assert {d.kind for d in held} == {
        "documentary-credit",
        "crew-certificate",
        "certificate-of-origin",
    }


def test_invalid_subject_is_refused_and_nothing_written(db, trade):
    subject = copy.deepcopy(TRANSPORT_DOCUMENT)
    del subject["transportDocumentReference"]
    before = (count(db, Document), count(db, LedgerEntry), count(db, AuditEvent))
    with pytest.raises(ValidationFailed) as refused:
        service.issue(
            db,
            actor=trade.carrier_user,
            organisation_id=trade.carrier,
            request=IssueRequest(
                kind="transport-document", subject=subject, holder_organisation_id=trade.shipper
            ),
        )
    db.rollback()
    assert "transportDocumentReference" in refused.value.detail
    assert (count(db, Document), count(db, LedgerEntry), count(db, AuditEvent)) == before


def test_issuing_needs_the_issuers_permission(db, trade):
    for actor in (trade.shipper_user, trade.shipper_viewer):
        with pytest.raises(PermissionDenied):
            service.issue(
                db,
                actor=actor,
                organisation_id=trade.carrier,
                request=IssueRequest(
                    kind="transport-document",
                    subject=copy.deepcopy(TRANSPORT_DOCUMENT),
                    holder_organisation_id=trade.shipper,
                ),
            )
        db.rollback()
    assert count(db, Document) == 0


# Keys -----------------------------------------------------------------------------------------


def test_rotation_keeps_old_documents_verifiable_and_revoked_keys_cannot_issue(db, trade, world):
    old = issue_ebl(db, trade)
    keys = service.rotate_key(db, actor=world.admin, organisation_id=trade.carrier)
    db.commit()
    assert [(k.fragment, k.revoked_at is not None) for k in keys] == [
        ("key-1", True),
        ("key-2", False),
    ]
    checks = verify(db, old.credential)
    assert checks["verified"] is True, {
        k: v for k, v in checks.items() if k != "verified" and not v.passed
    }
    subject = copy.deepcopy(TRANSPORT_DOCUMENT) | {"transportDocumentReference": "HPSH2"}
    new = service.issue(
        db,
        actor=trade.carrier_user,
        organisation_id=trade.carrier,
        request=IssueRequest(
            kind="transport-document", subject=subject, holder_organisation_id=trade.shipper
        ),
    )
    db.commit()
    assert new.credential["proof"]["verificationMethod"].endswith("#key-2")
    service.revoke_keys(db, actor=world.admin, organisation_id=trade.carrier)
    db.commit()
    before = (count(db, Document), count(db, LedgerEntry))
    with pytest.raises(Conflict, match="no active document key"):
        service.issue(
            db,
            actor=trade.carrier_user,
            organisation_id=trade.carrier,
            request=IssueRequest(
                kind="transport-document",
                subject=subject | {"transportDocumentReference": "HPSH3"},
                holder_organisation_id=trade.shipper,
            ),
        )
    db.rollback()
    assert (count(db, Document), count(db, LedgerEntry)) == before
    # A key made to look older than it is (backdated proof) is refused by its validity window.
    forged = copy.deepcopy(new.credential)
    forged["proof"]["created"] = "2020-01-01T00:00:00Z"
    assert verify(db, forged)["signature"].passed is False


def test_rotating_keys_needs_an_owner(db, trade):
    with pytest.raises(PermissionDenied):
        service.rotate_key(db, actor=trade.carrier_user, organisation_id=trade.carrier)


# Status ---------------------------------------------------------------------------------------


def test_revocation_and_suspension_show_in_verification_and_status_lists(db, trade):
    detail = issue_ebl(db, trade)
    service.set_status(
        db, actor=trade.carrier_user, document_id=detail.id, purpose="suspension", value=True
    )
    db.commit()
    checks = verify(db, detail.credential)
    assert checks["verified"] is False and checks["status"].reason.endswith("suspended")
    listed = service.status_list_credential(db, slug="ocean-carrier", purpose="suspension")
    resolver = did_module.key_resolver([service.did_document(db, slug="ocean-carrier")])
    assert suite.verify_proof(listed, resolver).verified
    index = int(detail.credential["credentialStatus"][1]["statusListIndex"])
    encoded = listed["credentialSubject"]["encodedList"]
    assert status_list.status_of(encoded, index) is True
    service.set_status(
        db, actor=trade.carrier_user, document_id=detail.id, purpose="suspension", value=False
    )
    service.set_status(
        db, actor=trade.carrier_user, document_id=detail.id, purpose="revocation", value=True
    )
    db.commit()
    assert verify(db, detail.credential)["status"].reason.endswith("revoked")
    with pytest.raises(PermissionDenied):
        service.set_status(
            db, actor=trade.shipper_user, document_id=detail.id, purpose="revocation", value=True
        )


# Title ----------------------------------------------------------------------------------------


def test_endorse_transfer_surrender_and_accept(db, trade):
    ebl = issue_ebl(db, trade)
    act(db, trade.shipper_user, ebl.id, "ENDORSE_TO_ORDER", trade.shipper, trade.bank)
    moved = act(db, trade.shipper_user, ebl.id, "TRANSFER", trade.shipper, trade.bank)
    assert moved.holder_organisation_id == trade.bank and moved.title_sequence == 3
    # The transferor lost control.
    with pytest.raises(Conflict, match="only the holder"):
        act(db, trade.shipper_user, ebl.id, "TRANSFER", trade.shipper, trade.outsider)
    db.rollback()
    pending = act(db, trade.bank_user, ebl.id, "SURRENDER_FOR_DELIVERY", trade.bank, trade.carrier)
    assert pending.title_status == "PENDING_SURRENDER_FOR_DELIVERY"
    done = act(db, trade.carrier_user, ebl.id, "SACC", trade.carrier)
    assert done.title_status == "SURRENDERED_FOR_DELIVERY"
    assert [e.action for e in done.title_events] == [
        "ISSUE",
        "ENDORSE_TO_ORDER",
        "TRANSFER",
        "SURRENDER_FOR_DELIVERY",
        "SACC",
    ]
    # Each event is signed by its actor and links to the one before.
    for previous, event in zip(done.title_events, done.title_events[1:], strict=False):
        assert event.previous_checksum == previous.checksum
    with pytest.raises(Conflict):
        act(db, trade.carrier_user, ebl.id, "TRANSFER", trade.carrier, trade.shipper)
    db.rollback()
    assert verify(db, ebl.credential)["title"].reason.startswith("title: SURRENDERED_FOR_DELIVERY")


def test_rejected_surrender_returns_possession(db, trade):
    ebl = issue_ebl(db, trade, to_order=False)
    act(db, trade.shipper_user, ebl.id, "SURRENDER_FOR_DELIVERY", trade.shipper, trade.carrier)
    back = act(db, trade.carrier_user, ebl.id, "SREJ", trade.carrier, trade.shipper)
    assert back.title_status == "ISSUED" and back.holder_organisation_id == trade.shipper
    with pytest.raises(Conflict, match="straight"):
        act(db, trade.shipper_user, ebl.id, "ENDORSE", trade.shipper, trade.bank)


def test_non_holder_cannot_act_and_nothing_is_written(db, trade):
    ebl = issue_ebl(db, trade)
    before = (count(db, TitleEvent), count(db, LedgerEntry), count(db, AuditEvent))
    # A member of another organisation cannot act in the shipper's name...
    with pytest.raises(PermissionDenied):
        act(db, trade.bank_user, ebl.id, "TRANSFER", trade.shipper, trade.bank)
    db.rollback()
    # ...a viewer of the holder cannot either...
    with pytest.raises(PermissionDenied):
        act(db, trade.shipper_viewer, ebl.id, "TRANSFER", trade.shipper, trade.bank)
    db.rollback()
    # ...and an organisation that does not hold the eBL cannot move or surrender it.
    for action, recipient in (
        ("TRANSFER", trade.outsider),
        ("SURRENDER_FOR_DELIVERY", trade.carrier),
    ):
        with pytest.raises(Conflict, match="only the holder"):
            act(db, trade.bank_user, ebl.id, action, trade.bank, recipient)
        db.rollback()
    assert (count(db, TitleEvent), count(db, LedgerEntry), count(db, AuditEvent)) == before


def test_replayed_or_forked_transfer_is_refused(db, trade):
    ebl = issue_ebl(db, trade, to_order=False)
    act(db, trade.shipper_user, ebl.id, "TRANSFER", trade.shipper, trade.bank, expected=1)
    before = count(db, TitleEvent)
    # The same transfer sent again (a replay) prepared against sequence 1 is refused, and so is
    # a fork: the shipper trying to give the same eBL to someone else.
    for recipient in (trade.bank, trade.outsider):
        with pytest.raises(Conflict, match="stale or replayed"):
            act(db, trade.shipper_user, ebl.id, "TRANSFER", trade.shipper, recipient, expected=1)
        db.rollback()
    assert count(db, TitleEvent) == before
    assert db.get(Document, ebl.id).holder_organisation_id == trade.bank


def test_void_is_final_and_carrier_only(db, trade):
    ebl = issue_ebl(db, trade)
    with pytest.raises(PermissionDenied):
        service.void(db, actor=trade.shipper_user, document_id=ebl.id)
    db.rollback()
    voided = service.void(db, actor=trade.carrier_user, document_id=ebl.id)
    db.commit()
    assert voided.title_status == "VOIDED" and voided.holder_organisation_id is None
    checks = verify(db, ebl.credential)
    assert checks["title"].passed is False and checks["verified"] is False


# Other formats ---------------------------------------------------------------------------------


def test_openattestation_document_integrity_but_never_a_network_pass(db, trade):
    path = official_fixture("openattestation/oa-lib/v2/not-obfuscated-wrapped.json")
    report = service.verify_file(db, path.read_bytes())
    assert report.format == "openattestation"
    by_name = {c.name: c for c in report.checks}
    assert by_name["signature"].passed is True  # targetHash and Merkle proof
    skipped = [c for c in report.checks if "not checkable offline" in c.reason]
    assert skipped and all(not c.passed for c in skipped)
    assert report.verified is False


def test_garbage_and_unknown_files(db):
    with pytest.raises(ValidationFailed):
        service.verify_file(db, b"\xff\xfe not json")
    report = service.verify_file(db, b'{"hello": "world"}')
    assert report.verified is False and report.checks[0].name == "format"


# Presentations ---------------------------------------------------------------------------------


def test_examination_with_stored_credit_and_ebl(db, trade):
    credit = service.issue(
        db,
        actor=trade.bank_user,
        organisation_id=trade.bank,
        request=IssueRequest.model_validate(
            {
                "kind": "documentary-credit",
                "subject": examples.illustrative_documentary_credit(),
                "holder_organisation_id": trade.shipper,
            }
        ),
    )
    ebl = issue_ebl(db, trade)
    invoice = examples.illustrative_commercial_invoice()
    result = service.examine(
        db,
        actor=trade.shipper_user,
        body={
            "credit_document_id": credit.id,
            "presentation_date": "2026-11-25",
            "documents": {
                "commercial_invoice": {"data": invoice},
                "bill_of_lading": {"document_id": ebl.id},
            },
        },
    )
    # The credit asks for five documents; an invoice and the eBL alone cannot comply.
    codes = {d["code"] for d in result["discrepancies"]}
    assert result["complying"] is False
    assert "DOCUMENT_MISSING" in codes
    for discrepancy in result["discrepancies"]:
        assert discrepancy["article"] and discrepancy["message_zh"]
    with pytest.raises(PermissionDenied):
        service.examine(
            db,
            actor=trade.outsider_user,
            body={
                "credit_document_id": credit.id,
                "presentation_date": "2026-11-25",
                "documents": {},
            },
        )


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        (
            lambda e: {"transaction": {**e.transaction, "actionCode": "BLANK_ENDORSE"}},
            "transaction 2",
        ),
        (lambda e: {"signed_content": e.signed_content[:-3] + "AAA"}, "transaction 2"),
        (lambda e: {"previous_checksum": "0" * 64}, "transaction 2"),
    ],
)
def test_a_changed_title_record_is_caught_and_named(db, trade, tamper, named):
    """Title transactions are append-only for the application; an edit made directly in the
    database (bypassing it) is still caught by verification, which names the transaction."""
    ebl = issue_ebl(db, trade)
    act(db, trade.shipper_user, ebl.id, "ENDORSE_TO_ORDER", trade.shipper, trade.bank)
    act(db, trade.shipper_user, ebl.id, "TRANSFER", trade.shipper, trade.bank)
    assert verify(db, ebl.credential)["title"].passed is True
    event = db.scalar(
        select(TitleEvent).where(TitleEvent.document_id == ebl.id, TitleEvent.sequence == 2)
    )
    event.action = "SIGN"
    with pytest.raises(AppendOnlyViolation):
        db.flush()
    db.rollback()
    event = db.scalar(
        select(TitleEvent).where(TitleEvent.document_id == ebl.id, TitleEvent.sequence == 2)
    )
    db.execute(
        update(TitleEvent.__table__)
        .where(TitleEvent.__table__.c.id == event.id)
        .values(**tamper(event))
    )
    db.commit()
    db.expire_all()  # read the rows as a new request would
    title = verify(db, ebl.credential)["title"]
    assert title.passed is False and named in title.reason
