"""The e-invoicing system over HTTP on a real database: validation, issuing with numbering,
anchoring and verification, conversion, permissions, and bad input."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest
from sqlalchemy import func, select

from digitrade.core.audit import AuditEvent
from digitrade.core.auth.permissions import Role
from digitrade.core.ledger import merkle
from digitrade.core.ledger import service as ledger
from digitrade.systems.einvoice.models import InvoiceCounter, IssuedInvoice
from tests.conftest import bearer
from tests.systems.einvoice.conftest import kit

PEPPOL_EXAMPLE = "peppol/examples/base-example.xml"
EN_ONLY_EXAMPLE = "en16931/examples-ubl/ubl-tc434-example1.xml"

DRAFT = {
    "issue_date": "2026-11-20",
    "due_date": "2026-12-20",
    "currency": "EUR",
    "buyer_reference": "REF-1",
    "seller": {
        "name": "Organisation A",
        "vat_id": "CN91310000MA1FL0000X",
        "electronic_address": {"value": "6971000000014", "scheme": "0088"},
        "address": {"city": "Shanghai", "postal_code": "200000", "country": "CN"},
    },
    "buyer": {
        "name": "Maas Import B.V.",
        "vat_id": "NL123456789B01",
        "electronic_address": {"value": "NL123456789B01", "scheme": "9944"},
        "address": {"city": "Rotterdam", "postal_code": "3072 AP", "country": "NL"},
    },
    "payment_instructions": {
        "means_code": "58",
        "credit_transfers": [{"account_id": "NL91ABNA0417164300"}],
    },
    "lines": [
        {
            "id": "1",
            "quantity": "4",
            "unit": "C62",
            "price": {"net_price": "312.50"},
            "item": {"name": "Spindle bearing", "vat_category": "S", "vat_rate": "21"},
        },
        {
            "id": "2",
            "quantity": "1.5",
            "unit": "HUR",
            "price": {"net_price": "80"},
            "item": {"name": "Installation", "vat_category": "S", "vat_rate": "9"},
        },
    ],
}


def issue_body(org_id: int, **changes) -> dict:
    draft = copy.deepcopy(DRAFT)
    draft.update(changes)
    return {"organisation_id": org_id, "invoice": draft, "profile": "peppol"}


def test_validate_a_raw_body_and_a_multipart_upload(client):
    data = kit(PEPPOL_EXAMPLE).read_bytes()
    raw = client.post(
        "/api/einvoice/validate", content=data, headers={"content-type": "application/xml"}
    )
    assert raw.status_code == 200, raw.text
    report = raw.json()
    assert report.keys() >= {"valid", "syntax", "rule_packs", "findings"}
    assert report["valid"] is True
    assert report["syntax"] == "ubl-invoice"
    assert {p["layer"] for p in report["rule_packs"]} == {"xsd", "en16931", "peppol"}
    upload = client.post("/api/einvoice/validate", files={"file": ("x.xml", data)})
    assert upload.json()["valid"] is True


def test_peppol_rules_find_what_en16931_alone_accepts(client):
    data = kit(EN_ONLY_EXAMPLE).read_bytes()
    core = client.post("/api/einvoice/validate?profile=en16931", content=data).json()
    assert core["valid"] is True
    assert {p["layer"] for p in core["rule_packs"]} == {"xsd", "en16931"}
    peppol = client.post(
        "/api/einvoice/validate?profile=peppol&peppol_version=3.0.19", content=data
    ).json()
    assert peppol["valid"] is False
    fatal = [f for f in peppol["findings"] if f["severity"] == "fatal"]
    assert fatal and all(f["layer"] == "peppol" for f in fatal)
    assert all(f["rule"] and f["location"] and f["message"] for f in fatal)
    assert {"name": "peppol-bis3-ubl", "version": "3.0.19"}.items() <= next(
        p for p in peppol["rule_packs"] if p["layer"] == "peppol"
    ).items()


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not xml at all",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        b"<Order xmlns='urn:example'/>",
    ],
    ids=["empty", "not-xml", "external-entity", "wrong-root"],
)
def test_unreadable_input_is_a_problem_not_a_report(client, body):
    response = client.post("/api/einvoice/validate", content=body)
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"]


def test_issue_numbers_computes_validates_stores_and_anchors(
    client, db, world, api_key, platform_log
):
    token = api_key(Role.EDITOR)
    first = client.post(
        "/api/einvoice/invoices", headers=bearer(token), json=issue_body(world.org_a)
    )
    assert first.status_code == 201, first.text
    issued = first.json()
    assert issued["number"] == "INV-2026-000001"
    # 4 x 312.50 = 1250.00 at 21 % (262.50) + 1.5 x 80 = 120.00 at 9 % (10.80)
    assert issued["payable_amount"] == "1643.30"
    assert issued["validation"]["valid"] is True
    second = client.post(
        "/api/einvoice/invoices", headers=bearer(token), json=issue_body(world.org_a)
    ).json()
    assert second["number"] == "INV-2026-000002"

    document = client.get(f"/api/einvoice/invoices/{issued['id']}/document", headers=bearer(token))
    assert hashlib.sha256(document.content).hexdigest() == issued["sha256"]
    entry, _ = ledger.get_entry(db, log="platform", index=issued["ledger"]["index"])
    assert entry.kind == "einvoice.issued"
    payload = json.loads(entry.leaf_data)["payload"]
    assert payload["documentDigest"] == "sha256:" + issued["sha256"]
    assert payload["payable"] == "1643.30"
    assert (
        db.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "einvoice.invoice.issue")
        )
        == 2
    )
    cii = client.get(
        f"/api/einvoice/invoices/{issued['id']}/document?syntax=cii", headers=bearer(token)
    )
    # A Peppol invoice in CII: the kit has no Peppol CII rules, so check it against EN 16931.
    report = client.post("/api/einvoice/validate?profile=en16931", content=cii.content).json()
    assert report["syntax"] == "cii" and report["valid"], report["findings"]
    listed = client.get(
        "/api/einvoice/invoices", params={"organisation_id": world.org_a}, headers=bearer(token)
    ).json()
    assert [i["number"] for i in listed["items"]] == ["INV-2026-000002", "INV-2026-000001"]


def test_a_refused_invoice_stores_nothing_and_takes_no_number(
    client, db, world, api_key, platform_log
):
    token = api_key(Role.EDITOR)
    body = issue_body(world.org_a)
    del body["invoice"]["seller"]["vat_id"]  # standard-rated lines need the seller's VAT id
    refused = client.post("/api/einvoice/invoices", headers=bearer(token), json=body)
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "einvoice.invoice-invalid"
    assert "BR-S-02" in {f["rule"] for f in problem["report"]["findings"]}
    assert "BR-S-02" in problem["detail"]
    no_endpoint = issue_body(world.org_a)
    del no_endpoint["invoice"]["buyer"]["electronic_address"]  # Peppol needs BT-49
    refused = client.post("/api/einvoice/invoices", headers=bearer(token), json=no_endpoint)
    assert refused.status_code == 422
    assert "BT-49" in refused.json()["detail"]
    assert db.scalar(select(func.count()).select_from(IssuedInvoice)) == 0
    assert db.scalar(select(func.count()).select_from(InvoiceCounter)) == 0
    accepted = client.post(
        "/api/einvoice/invoices", headers=bearer(token), json=issue_body(world.org_a)
    )
    assert accepted.json()["number"] == "INV-2026-000001"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"currency": "XXY"}, "invoice.currency"),
        ({"number": "MY-OWN-1"}, "invoice.number"),
        ({"lines": []}, "invoice.lines"),
    ],
)
def test_bad_drafts_name_the_field(client, world, api_key, platform_log, change, field):
    token = api_key(Role.EDITOR)
    response = client.post(
        "/api/einvoice/invoices", headers=bearer(token), json=issue_body(world.org_a, **change)
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"].startswith(field)


@pytest.mark.parametrize("role", [Role.VIEWER])
def test_only_editors_and_owners_issue(client, world, api_key, platform_log, role):
    token = api_key(role)
    assert (
        client.post(
            "/api/einvoice/invoices", headers=bearer(token), json=issue_body(world.org_a)
        ).status_code
        == 403
    )
    assert client.post("/api/einvoice/invoices", json=issue_body(world.org_a)).status_code == 401
    owner = api_key(Role.OWNER)
    assert (
        client.post(
            "/api/einvoice/invoices", headers=bearer(owner), json=issue_body(world.org_b)
        ).status_code
        == 403
    )


def test_anyone_with_the_file_can_verify_it(client, db, world, api_key, platform_log):
    token = api_key(Role.EDITOR)
    issued = client.post(
        "/api/einvoice/invoices", headers=bearer(token), json=issue_body(world.org_a)
    ).json()
    document = client.get(
        f"/api/einvoice/invoices/{issued['id']}/document", headers=bearer(token)
    ).content
    pending = client.post("/api/einvoice/verify", content=document).json()
    assert pending["issued_here"] is True and pending["integrated"] is False
    ledger.integrate(db, log="platform")
    db.commit()
    verified = client.post("/api/einvoice/verify", content=document).json()
    assert verified["issued_here"] and verified["integrated"]
    assert verified["number"] == issued["number"]
    proof = verified["inclusion_proof"]
    merkle.verify_inclusion(  # raises if the proof does not hold
        bytes.fromhex(proof["leaf_hash"]),
        verified["ledger"]["index"],
        proof["tree_size"],
        [bytes.fromhex(h) for h in proof["hashes"]],
        bytes.fromhex(proof["root_hash"]),
    )
    tampered = document.replace(b"1643.30", b"1643.31")
    assert client.post("/api/einvoice/verify", content=tampered).json()["issued_here"] is False


def test_convert_ubl_to_cii_and_back(client):
    data = kit(PEPPOL_EXAMPLE).read_bytes()
    cii = client.post("/api/einvoice/convert?to=cii", content=data)
    assert cii.status_code == 200, cii.text
    assert b"CrossIndustryInvoice" in cii.content
    assert client.post("/api/einvoice/validate?profile=en16931", content=cii.content).json()[
        "valid"
    ]
    # Peppol rules for CII are not in the installed packs: validation refuses, never passes.
    missing = client.post("/api/einvoice/validate?profile=peppol", content=cii.content)
    assert missing.status_code == 503
    assert missing.json()["code"] == "einvoice.rule-pack-missing"
    ubl = client.post("/api/einvoice/convert?to=ubl", content=cii.content)
    assert client.post("/api/einvoice/validate?profile=en16931", content=ubl.content).json()[
        "valid"
    ]
    fapiao = client.post("/api/einvoice/convert?to=fapiao-json&envelope=json", content=data)
    assert fapiao.status_code == 200, fapiao.text
    assert fapiao.json()["notes"]  # a EUR Peppol invoice loses terms in a fapiao


def test_an_invalid_file_is_not_converted(client):
    response = client.post(
        "/api/einvoice/convert?to=cii",
        content=b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "einvoice.invoice-invalid"


def test_rule_packs_are_listed_and_installed_by_administrators_only(client, world, api_key):
    packs = client.get("/api/einvoice/rule-packs").json()
    assert {(p["name"], p["version"]) for p in packs} >= {
        ("en16931-ubl", "1.3.16"),
        ("peppol-bis3-ubl", "3.0.19"),
        ("peppol-bis3-ubl", "3.0.21"),
    }
    token = api_key(Role.OWNER)
    refused = client.post("/api/einvoice/rule-packs", headers=bearer(token), content=b"PK")
    assert refused.status_code == 403


def test_seller_terms_left_out_come_from_the_organisation(client, db, world, api_key, platform_log):
    from digitrade.core.auth.models import Organisation

    organisation = db.get(Organisation, world.org_a)
    organisation.unified_social_credit_code = "91310115MA1LG0DEMO"
    db.commit()
    token = api_key(Role.EDITOR)
    body = issue_body(world.org_a)
    body["invoice"]["seller"] = {
        "electronic_address": {"value": "6971000000014", "scheme": "0088"},
        "address": {"city": "Shanghai", "country": "CN"},
    }
    issued = client.post("/api/einvoice/invoices", headers=bearer(token), json=body)
    assert issued.status_code == 201, issued.text
    document = client.get(
        f"/api/einvoice/invoices/{issued.json()['id']}/document", headers=bearer(token)
    ).text
    assert "<cbc:RegistrationName>Organisation A</cbc:RegistrationName>" in document
    assert "<cbc:CompanyID>CN91310115MA1LG0DEMO</cbc:CompanyID>" in document


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"buyer_reference": "a\u0000b"}, "invoice.buyer_reference"),
        ({"seller": "not an object"}, "invoice.seller"),
    ],
)
def test_input_that_cannot_be_written_names_the_field(client, world, api_key, change, field):
    token = api_key(Role.EDITOR)
    response = client.post(
        "/api/einvoice/invoices", headers=bearer(token), json=issue_body(world.org_a, **change)
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"].startswith(field)


@pytest.mark.parametrize(
    ("where", "value"), [("quantity", "1e30"), ("quantity", "1e-30"), ("quantity", "NaN")]
)
def test_numbers_beyond_what_stays_exact_are_refused(client, world, api_key, where, value):
    token = api_key(Role.EDITOR)
    body = issue_body(world.org_a)
    body["invoice"]["lines"][0][where] = value
    response = client.post("/api/einvoice/invoices", headers=bearer(token), json=body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == f"invoice.lines.0.{where}"


def test_a_given_line_net_amount_is_refused(client, world, api_key):
    token = api_key(Role.EDITOR)
    body = issue_body(world.org_a)
    body["invoice"]["lines"][1]["net_amount"] = "999"
    response = client.post("/api/einvoice/invoices", headers=bearer(token), json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "invoice.lines.1.net_amount"


def test_another_sellers_invoice_looks_absent(client, world, api_key, platform_log):
    issued = client.post(
        "/api/einvoice/invoices", headers=bearer(api_key(Role.EDITOR)), json=issue_body(world.org_a)
    ).json()
    outsider = api_key(Role.OWNER, organisation_id=world.org_b)
    for url in (
        f"/api/einvoice/invoices/{issued['id']}",
        f"/api/einvoice/invoices/{issued['id']}/document",
        "/api/einvoice/invoices/999999",
    ):
        assert client.get(url, headers=bearer(outsider)).status_code == 404
    assert client.get("/api/einvoice/invoices/99999999999999999999").status_code == 422


def test_a_valid_invoice_missing_a_term_the_target_needs_is_not_converted(client):
    data = kit(PEPPOL_EXAMPLE).read_bytes()
    cii = client.post("/api/einvoice/convert?to=cii", content=data).content
    without_reference = cii.replace(b"<ram:BuyerReference>0150abc</ram:BuyerReference>", b"")
    assert without_reference != cii
    response = client.post("/api/einvoice/convert?to=ubl", content=without_reference)
    assert response.status_code == 422
    assert response.json()["code"] == "einvoice.not-convertible"
    assert "BT-10" in response.json()["detail"]


def test_a_fapiao_is_imported_and_one_that_does_not_add_up_is_refused(client):
    from digitrade.systems.einvoice import fapiao
    from tests.systems.einvoice.fapiao.samples import software_services

    good = fapiao.write_json(software_services())
    imported = client.post("/api/einvoice/fapiao/import?to=ubl", content=good)
    assert imported.status_code == 200, imported.text
    assert imported.json()["validation"]["valid"] is True
    document = json.loads(good)
    document["total_amount"] = "5.00"
    refused = client.post(
        "/api/einvoice/fapiao/import", content=json.dumps(document, ensure_ascii=False).encode()
    )
    assert refused.status_code == 422, refused.text
    assert "total_amount" in {issue["field"] for issue in refused.json()["errors"]}
