"""Verifiable documents pages over HTTP: the public verification portal (a good, a tampered and
an unreadable file, the QR link), the wallet, the issue form and its refusals, the printable
document with its QR code, title actions through the forms (a stale double submit refused), who
sees which action, and the examination of a presentation; each page in English and Chinese."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import func, select

from digitrade.core.ledger import service as ledger
from digitrade.systems.documents import pages, service
from digitrade.systems.documents.demo import TRANSPORT_DOCUMENT
from digitrade.systems.documents.models import Document, TitleEvent
from digitrade.systems.documents.schemas import IssueRequest
from digitrade.systems.documents.types import examples
from tests.pages_support import CSRF, csrf_of, sign_in

pytestmark = pytest.mark.usefixtures("platform_log")


def count(db, model) -> int:
    """Rows of ``model`` now; the test session's read ends, so the app's next request starts
    clean on the shared connection."""
    db.expire_all()
    value = db.scalar(select(func.count()).select_from(model)) or 0
    db.rollback()
    return value


def issue_ebl(db, trade, *, to_order: bool = False):
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
    ledger.integrate(db)
    db.commit()
    return detail


def issue_other(db, trade, kind: str, subject: dict[str, object]):
    detail = service.issue(
        db,
        actor=trade.bank_user,
        organisation_id=trade.bank,
        request=IssueRequest.model_validate(
            {"kind": kind, "subject": subject, "holder_organisation_id": trade.shipper}
        ),
    )
    ledger.integrate(db)
    db.commit()
    return detail


# Verification portal ---------------------------------------------------------------------------


def test_verify_page_is_public_in_both_languages(client):
    page = client.get("/documents/verify")
    assert page.status_code == 200
    assert "Verify a trade document" in page.text
    assert 'name="file"' in page.text
    chinese = client.get("/documents/verify?lang=zh-Hans")
    assert chinese.status_code == 200
    assert "核验贸易单证" in chinese.text


def test_a_good_credential_verifies_with_every_check_and_its_ledger_entry(client, db, trade):
    ebl = issue_ebl(db, trade)
    response = client.post(
        "/documents/verify",
        data={"csrf_token": csrf_of(client, "/documents/verify")},
        files={"file": ("ebl.json", json.dumps(ebl.credential).encode(), "application/json")},
    )
    assert response.status_code == 200, response.text
    text = response.text
    assert 'data-testid="verdict"' in text and "<strong>Verified</strong>" in text
    for name, label in pages.CHECK_NAME_LABELS.items():
        assert f'data-check="{name}"' in text, name
        assert label in text, label
    assert 'data-testid="ledger-inclusion"' in text
    assert "Tree size" in text and "Root hash" in text
    assert "the eddsa-jcs-2022 signature is valid" in text
    assert "HPSH2026000117" in text

    zh = client.post(
        "/documents/verify?lang=zh-Hans",
        data={"csrf_token": csrf_of(client, "/documents/verify"), "document_json": ""},
        files={"file": ("ebl.json", json.dumps(ebl.credential).encode(), "application/json")},
    )
    assert "已核验" in zh.text
    assert "eddsa-jcs-2022 签名与内容一致" in zh.text
    assert "账本收录" in zh.text


def test_a_tampered_credential_is_not_verified_and_says_why(client, db, trade):
    ebl = issue_ebl(db, trade)
    tampered = copy.deepcopy(ebl.credential)
    tampered["credentialSubject"]["shippedOnBoardDate"] = "2026-11-19"
    response = client.post(
        "/documents/verify",
        data={
            "csrf_token": csrf_of(client, "/documents/verify"),
            "document_json": json.dumps(tampered),
        },
    )
    assert response.status_code == 200
    assert "<strong>Not verified</strong>" in response.text
    assert "the signature does not verify" in response.text
    assert 'class="fail" data-check="signature"' in response.text


def test_a_bad_upload_gives_the_form_again_with_a_message(client):
    token = csrf_of(client, "/documents/verify")
    empty = client.post("/documents/verify", data={"csrf_token": token})
    assert empty.status_code == 422
    assert "Choose the document file or paste its JSON." in empty.text
    garbage = client.post(
        "/documents/verify",
        data={"csrf_token": token},
        files={"file": ("x.json", b"{not json", "application/json")},
    )
    assert garbage.status_code == 422
    assert 'id="form-error"' in garbage.text and "not JSON" in garbage.text
    assert 'name="file"' in garbage.text
    forged = client.post("/documents/verify", data={"csrf_token": "forged", "document_json": "{}"})
    assert forged.status_code == 403


def test_the_qr_link_verifies_the_stored_copy(client, db, trade):
    ebl = issue_ebl(db, trade)
    response = client.get(f"/documents/verify?document={ebl.uuid}")
    assert response.status_code == 200
    assert "<strong>Verified</strong>" in response.text
    assert "QR code" in response.text
    unknown = client.get(
        "/documents/verify?document=00000000-0000-4000-8000-000000000000&lang=zh-Hans"
    )
    assert unknown.status_code == 404
    assert "本平台未签发" in unknown.text


# Wallet ----------------------------------------------------------------------------------------


def test_wallet_needs_sign_in_and_lists_held_and_issued(client, db, trade):
    assert client.get("/documents/", follow_redirects=False).status_code == 303
    ebl = issue_ebl(db, trade)
    sign_in(client, "docs@shipper.example")
    page = client.get("/documents/")
    assert page.status_code == 200
    held = page.text.split('data-testid="held-documents"')[1].split("</table>")[0]
    assert f'href="/documents/{ebl.id}"' in held
    assert "Transport document (bill of lading)" in held and "Issued" in held
    chinese = client.get("/documents/?lang=zh-Hans")
    assert "单证钱包" in chinese.text and "运输单据（提单）" in chinese.text

    client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
    sign_in(client, "ops@carrier.example")
    carrier = client.get("/documents/").text
    issued = carrier.split('data-testid="issued-documents"')[1].split("</table>")[0]
    assert "HPSH2026000117" in issued


# Issue form ------------------------------------------------------------------------------------


def test_issue_form_is_prefilled_with_the_example_of_the_kind(client, trade):
    sign_in(client, "ops@carrier.example")
    page = client.get("/documents/issue")
    assert page.status_code == 200
    assert "HPSH2026000117" in page.text  # the illustrative DCSA transport document
    assert "Ocean-Carrier" in page.text
    credit = client.get("/documents/issue?kind=documentary-credit")
    assert examples.illustrative_documentary_credit()["creditNumber"] in credit.text
    chinese = client.get("/documents/issue?lang=zh-Hans")
    assert "签发单证" in chinese.text and "跟单信用证" in chinese.text


def test_an_invalid_subject_keeps_the_form_with_the_message_and_stores_nothing(client, db, trade):
    sign_in(client, "ops@carrier.example")
    token = csrf_of(client, "/documents/issue")
    subject = copy.deepcopy(TRANSPORT_DOCUMENT)
    del subject["transportDocumentReference"]
    base = {
        "csrf_token": token,
        "organisation_id": str(trade.carrier),
        "kind": "transport-document",
        "holder_organisation_id": str(trade.shipper),
    }
    refused = client.post("/documents/issue", data={**base, "subject": json.dumps(subject)})
    assert refused.status_code == 422
    assert 'id="form-error"' in refused.text and "transportDocumentReference" in refused.text
    assert "HPSU2611451" in refused.text  # the content the user typed comes back
    not_json = client.post("/documents/issue", data={**base, "subject": "{oops"})
    assert not_json.status_code == 422 and "not valid JSON" in not_json.text
    no_holder = client.post(
        "/documents/issue",
        data={**base, "holder_organisation_id": "", "subject": json.dumps(TRANSPORT_DOCUMENT)},
    )
    assert no_holder.status_code == 422 and "issued to an organisation" in no_holder.text
    assert count(db, Document) == 0
    # Someone without documents.issue in the carrier is refused too.
    client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
    sign_in(client, "docs@shipper.example")
    outsider = client.post(
        "/documents/issue",
        data={
            **base,
            "csrf_token": csrf_of(client, "/documents/issue"),
            "subject": json.dumps(TRANSPORT_DOCUMENT),
        },
    )
    assert outsider.status_code == 403
    assert count(db, Document) == 0


def test_issue_through_the_form_then_read_the_printable_document(client, db, trade):
    sign_in(client, "ops@carrier.example")
    response = client.post(
        "/documents/issue",
        data={
            "csrf_token": csrf_of(client, "/documents/issue"),
            "organisation_id": str(trade.carrier),
            "kind": "transport-document",
            "holder_organisation_id": str(trade.shipper),
            "subject": json.dumps(TRANSPORT_DOCUMENT),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    row = db.scalar(select(Document))
    assert row is not None and location == f"/documents/{row.id}"
    db.rollback()
    page = client.get(location)
    assert page.status_code == 200
    text = page.text
    for value in (
        "HPSH2026000117",
        "Lin-gang Precision Export Ltd.",
        "To order",
        "Huangpu River Shipping Co.",
        "HUANGPU PIONEER / 2611S",
        "CNSHA",
        "SGSIN",
        "CNC spindle assemblies",
        "2026-11-18",
        "Number of originals",
        service.issuer_did("ocean-carrier"),
        f"/api/documents/{row.id}/credential",
        "@media print",
    ):
        assert value in text, value
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in text and 'class="qr"' in text
    assert f"/documents/verify?document={row.uuid}" in text
    history = text.split('data-testid="title-history"')[1].split("</table>")[0]
    assert "Issued" in history and "Shanghai-Shipper" in history
    # The carrier does not hold the eBL: it may void or revoke, not transfer.
    assert 'data-testid="transfer-form"' not in text
    assert 'data-testid="void-form"' in text and 'data-testid="status-form"' in text
    chinese = client.get(f"{location}?lang=zh-Hans")
    assert "提单号" in chinese.text and "权利流转记录" in chinese.text


@pytest.mark.parametrize(
    ("kind", "subject", "expected"),
    [
        ("documentary-credit", examples.illustrative_documentary_credit, "32B"),
        ("crew-certificate", examples.illustrative_crew_certificate, "EX-CN-2024-000417"),
        ("certificate-of-origin", examples.illustrative_certificate_of_origin, "R25310000000417"),
    ],
)
def test_each_kind_renders_its_fields(client, db, trade, kind, subject, expected):
    detail = issue_other(db, trade, kind, subject())
    sign_in(client, "trade@bank.example")
    page = client.get(f"/documents/{detail.id}")
    assert page.status_code == 200, page.text
    assert expected in page.text
    assert 'data-testid="title-history"' not in page.text
    zh = client.get(f"/documents/{detail.id}?lang=zh-Hans")
    assert pages.kind_title(kind, "zh-Hans") in zh.text


# Title actions ---------------------------------------------------------------------------------


def test_transfer_through_the_form_and_a_stale_double_submit_is_refused(client, db, trade):
    ebl = issue_ebl(db, trade)
    sign_in(client, "docs@shipper.example")
    page = client.get(f"/documents/{ebl.id}")
    assert 'data-testid="transfer-form"' in page.text
    assert 'name="expected_sequence" value="1"' in page.text
    assert 'data-testid="endorse-form"' not in page.text  # a straight eBL is not endorsed
    form = {
        "csrf_token": CSRF.search(page.text).group(1),  # type: ignore[union-attr]
        "action": "TRANSFER",
        "acting_organisation_id": str(trade.shipper),
        "recipient_organisation_id": str(trade.bank),
        "expected_sequence": "1",
    }
    moved = client.post(f"/documents/{ebl.id}/title", data=form, follow_redirects=False)
    assert moved.status_code == 303
    # The shipper no longer holds the eBL, so it lands in its wallet with a notice.
    assert moved.headers["location"].startswith(f"/documents/?moved={ebl.id}")
    assert "The title moved" in client.get(moved.headers["location"]).text
    events = count(db, TitleEvent)
    assert events == 2

    again = client.post(f"/documents/{ebl.id}/title", data=form)
    assert again.status_code == 409
    assert "stale or replayed transfer" in again.text
    assert count(db, TitleEvent) == events

    client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
    sign_in(client, "trade@bank.example")
    bank_page = client.get(f"/documents/{ebl.id}")
    assert 'data-testid="holder">Harbour-Bank' in bank_page.text
    assert 'name="expected_sequence" value="2"' in bank_page.text
    history = bank_page.text.split('data-testid="title-history"')[1].split("</table>")[0]
    assert "Transferred" in history and "Harbour-Bank" in history


def test_surrender_and_the_carriers_acceptance_through_the_forms(client, db, trade):
    ebl = issue_ebl(db, trade)
    sign_in(client, "docs@shipper.example")
    token = csrf_of(client, f"/documents/{ebl.id}")
    surrendered = client.post(
        f"/documents/{ebl.id}/title",
        data={
            "csrf_token": token,
            "action": "SURRENDER_FOR_DELIVERY",
            "acting_organisation_id": str(trade.shipper),
            "expected_sequence": "1",
        },
        follow_redirects=False,
    )
    assert surrendered.status_code == 303
    client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
    sign_in(client, "ops@carrier.example")
    page = client.get(f"/documents/{ebl.id}")
    assert "Surrender for delivery pending" in page.text
    assert 'data-testid="surrender-decision-form"' in page.text
    accepted = client.post(
        f"/documents/{ebl.id}/title",
        data={
            "csrf_token": CSRF.search(page.text).group(1),  # type: ignore[union-attr]
            "action": "SACC",
            "acting_organisation_id": str(trade.carrier),
            "expected_sequence": "2",
        },
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    final = client.get(f"/documents/{ebl.id}?lang=zh-Hans")
    assert "已交回提货" in final.text
    assert 'data-testid="void-form"' not in final.text


def test_a_non_holder_sees_no_action_forms_and_a_post_is_refused(client, db, trade):
    ebl = issue_ebl(db, trade)
    sign_in(client, "viewer@shipper.example")  # a viewer in the holder: reads, cannot act
    page = client.get(f"/documents/{ebl.id}")
    assert page.status_code == 200
    assert 'data-testid="title-actions"' not in page.text
    client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
    sign_in(client, "x@else.example")
    assert client.get(f"/documents/{ebl.id}").status_code == 403
    refused = client.post(
        f"/documents/{ebl.id}/title",
        data={
            "csrf_token": csrf_of(client, "/documents/"),
            "action": "TRANSFER",
            "acting_organisation_id": str(trade.shipper),
            "recipient_organisation_id": str(trade.outsider),
            "expected_sequence": "1",
        },
    )
    assert refused.status_code == 403
    assert count(db, TitleEvent) == 1
    revoke = client.post(
        f"/documents/{ebl.id}/status",
        data={"csrf_token": csrf_of(client, "/documents/"), "change": "revoke"},
    )
    assert revoke.status_code == 403
    db.expire_all()
    assert db.get(Document, ebl.id).revoked_at is None  # type: ignore[union-attr]


def test_the_issuer_suspends_and_the_verification_shows_it(client, db, trade):
    ebl = issue_ebl(db, trade)
    sign_in(client, "ops@carrier.example")
    response = client.post(
        f"/documents/{ebl.id}/status",
        data={"csrf_token": csrf_of(client, f"/documents/{ebl.id}"), "change": "suspend"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(f"/documents/{ebl.id}")
    assert 'data-testid="credential-status">Suspended' in page.text
    assert 'value="reinstate"' in page.text
    report = client.get(f"/documents/verify?document={ebl.uuid}")
    assert "<strong>Not verified</strong>" in report.text
    assert "suspended" in report.text


# Examination -----------------------------------------------------------------------------------


def test_examine_a_presentation_with_stored_documents(client, db, trade):
    credit = issue_other(
        db, trade, "documentary-credit", examples.illustrative_documentary_credit()
    )
    ebl = issue_ebl(db, trade)
    sign_in(client, "docs@shipper.example")
    page = client.get("/documents/examine")
    assert page.status_code == 200
    assert "MEXB25LC004172" in page.text and "HPSH2026000117" in page.text
    form = {
        **pages._default_examination(),
        "csrf_token": CSRF.search(page.text).group(1),  # type: ignore[union-attr]
        "credit_document_id": str(credit.id),
        "bill_document_id": str(ebl.id),
        "presentation_date": "2025-05-06",
    }
    result = client.post("/documents/examine", data=form)
    assert result.status_code == 200, result.text
    assert 'data-testid="examination"' in result.text
    # The demo eBL sailed in 2026 from another shipper: the bank would refuse it.
    assert "Discrepant presentation" in result.text and "UCP 600" in result.text
    zh = client.post("/documents/examine?lang=zh-Hans", data=form)
    assert "不符交单" in zh.text and "提单" in zh.text

    pasted = client.post(
        "/documents/examine?lang=en",
        data={
            **form,
            "bill_document_id": "",
            "bill_json": json.dumps(examples.illustrative_bill_of_lading_summary()),
        },
    )
    assert pasted.status_code == 200
    # The illustrative bill of lading and invoice comply; the credit's other documents are
    # missing from this presentation.
    rows = pasted.text.split('data-testid="discrepancies"')[1].split("</table>")[0]
    assert rows.count("<tr>") - 1 == 3 and rows.count("which was not presented") == 3
    bad = client.post("/documents/examine?lang=en", data={**form, "credit_document_id": ""})
    assert bad.status_code == 422 and "paste the credit" in bad.text


def test_examine_page_in_chinese(client, trade):
    sign_in(client, "docs@shipper.example")
    page = client.get("/documents/examine?lang=zh-Hans")
    assert page.status_code == 200
    assert "审核交单" in page.text
