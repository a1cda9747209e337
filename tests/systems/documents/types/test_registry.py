"""Document type registry and credentialSubject validation against the JSON Schemas."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import jsonschema_rs
import pytest

from digitrade.systems.documents.types import examples
from digitrade.systems.documents.types.registry import (
    DOCUMENT_TYPES,
    UnknownDocumentType,
    document_type,
    validate_bill_of_lading_summary,
    validate_subject,
)

SCHEMAS = resources.files("digitrade.systems.documents").joinpath("data", "schemas")


def test_registry_lists_the_four_document_types():
    assert set(DOCUMENT_TYPES) == {
        "documentary-credit",
        "crew-certificate",
        "certificate-of-origin",
        "transport-document",
    }
    credit = document_type("documentary-credit")
    assert credit.vc_type == "DocumentaryCredit"
    assert credit.schema == "documentary-credit.json"
    assert (credit.title_en, credit.title_zh) == ("Documentary credit", "跟单信用证")
    for doc_type in DOCUMENT_TYPES.values():
        assert doc_type.title_en
        assert any("\u4e00" <= ch <= "\u9fff" for ch in doc_type.title_zh)


def test_transport_document_is_registered_without_a_schema():
    assert document_type("transport-document").schema is None
    with pytest.raises(ValueError, match="own standard"):
        validate_subject("transport-document", {})


def test_unknown_kind_is_refused():
    with pytest.raises(UnknownDocumentType):
        validate_subject("packing-slip", {})


@pytest.mark.parametrize(
    "name",
    [
        "documentary-credit.json",
        "crew-certificate.json",
        "certificate-of-origin.json",
        "bill-of-lading-summary.json",
    ],
)
def test_schemas_are_valid_draft_2020_12(name: str):
    schema = json.loads(SCHEMAS.joinpath(name).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema_rs.meta.validate(schema)


@pytest.mark.parametrize(
    ("kind", "factory"),
    [
        ("documentary-credit", examples.illustrative_documentary_credit),
        ("crew-certificate", examples.illustrative_crew_certificate),
        ("certificate-of-origin", examples.illustrative_certificate_of_origin),
    ],
)
def test_illustrative_examples_are_valid(kind: str, factory: Callable[[], dict[str, Any]]):
    assert validate_subject(kind, factory()) == []


def test_illustrative_bill_of_lading_summary_is_valid():
    assert validate_bill_of_lading_summary(examples.illustrative_bill_of_lading_summary()) == []


def _credit_amount_as_number(s: dict[str, Any]) -> None:
    s["amount"]["value"] = 108000.00


def _credit_without_number(s: dict[str, Any]) -> None:
    del s["creditNumber"]


def _credit_bad_issue_date(s: dict[str, Any]) -> None:
    s["dateOfIssue"] = "2025-02-30"


def _credit_unknown_field(s: dict[str, Any]) -> None:
    s["letterOfIndemnity"] = True


def _credit_bad_document_kind(s: dict[str, Any]) -> None:
    s["documentsRequired"][1]["kind"] = "mate_receipt"


def _credit_bad_rules(s: dict[str, Any]) -> None:
    s["applicableRules"] = "ISP LATEST VERSION"


def _credit_number_too_long(s: dict[str, Any]) -> None:
    s["creditNumber"] = "MEXB25LC004172-AMEND"


def _credit_bad_bic(s: dict[str, Any]) -> None:
    s["issuingBank"]["bic"] = "mexbsgsg"


def _credit_expires_before_issue(s: dict[str, Any]) -> None:
    s["expiry"]["date"] = "2025-03-01"


def _credit_eucp_without_place(s: dict[str, Any]) -> None:
    del s["electronicPresentation"]


def _crew_bad_regulation(s: dict[str, Any]) -> None:
    s["stcwRegulations"] = ["II-1"]


def _crew_bad_level(s: dict[str, Any]) -> None:
    s["capacities"][0]["level"] = "senior"


def _crew_missing_birth_date(s: dict[str, Any]) -> None:
    del s["holder"]["dateOfBirth"]


def _crew_valid_too_long(s: dict[str, Any]) -> None:
    s["expiryDate"] = "2029-06-02"


def _crew_expires_before_issue(s: dict[str, Any]) -> None:
    s["expiryDate"] = "2024-05-31"


def _origin_short_hs_code(s: dict[str, Any]) -> None:
    s["goods"][0]["hsCode"] = "6109"


def _origin_rcep_bad_criterion(s: dict[str, Any]) -> None:
    s["goods"][0]["originCriterion"] = "WP"


def _origin_rcep_without_producer(s: dict[str, Any]) -> None:
    del s["producer"]


def _origin_quantity_as_number(s: dict[str, Any]) -> None:
    s["goods"][0]["quantity"]["value"] = 24000


def _origin_invoice_after_certificate(s: dict[str, Any]) -> None:
    s["goods"][0]["invoiceDate"] = "2025-04-27"


@pytest.mark.parametrize(
    ("kind", "mutate", "path"),
    [
        ("documentary-credit", _credit_amount_as_number, "/amount/value"),
        ("documentary-credit", _credit_without_number, "/creditNumber"),
        ("documentary-credit", _credit_bad_issue_date, "/dateOfIssue"),
        ("documentary-credit", _credit_unknown_field, "/letterOfIndemnity"),
        ("documentary-credit", _credit_bad_document_kind, "/documentsRequired/1/kind"),
        ("documentary-credit", _credit_bad_rules, "/applicableRules"),
        ("documentary-credit", _credit_number_too_long, "/creditNumber"),
        ("documentary-credit", _credit_bad_bic, "/issuingBank/bic"),
        ("documentary-credit", _credit_expires_before_issue, "/expiry/date"),
        ("documentary-credit", _credit_eucp_without_place, "/electronicPresentation"),
        ("crew-certificate", _crew_bad_regulation, "/stcwRegulations/0"),
        ("crew-certificate", _crew_bad_level, "/capacities/0/level"),
        ("crew-certificate", _crew_missing_birth_date, "/holder/dateOfBirth"),
        ("crew-certificate", _crew_valid_too_long, "/expiryDate"),
        ("crew-certificate", _crew_expires_before_issue, "/expiryDate"),
        ("certificate-of-origin", _origin_short_hs_code, "/goods/0/hsCode"),
        ("certificate-of-origin", _origin_rcep_bad_criterion, "/goods/0/originCriterion"),
        ("certificate-of-origin", _origin_rcep_without_producer, "/producer"),
        ("certificate-of-origin", _origin_quantity_as_number, "/goods/0/quantity/value"),
        ("certificate-of-origin", _origin_invoice_after_certificate, "/goods/0/invoiceDate"),
    ],
)
def test_bad_subjects_are_rejected_naming_the_path(
    kind: str, mutate: Callable[[dict[str, Any]], None], path: str
):
    subject = {
        "documentary-credit": examples.illustrative_documentary_credit,
        "crew-certificate": examples.illustrative_crew_certificate,
        "certificate-of-origin": examples.illustrative_certificate_of_origin,
    }[kind]()
    mutate(subject)
    issues = validate_subject(kind, subject)
    assert issues, "the defect was not detected"
    assert path in {issue.path for issue in issues}, issues


def test_non_preferential_certificate_without_rcep_fields_is_valid():
    subject = examples.illustrative_certificate_of_origin()
    subject.update(scheme="NON_PREFERENTIAL", preferential=False)
    del subject["producer"]
    del subject["goods"][0]["originCriterion"]
    assert validate_subject("certificate-of-origin", subject) == []


def test_non_preferential_certificate_cannot_claim_preference():
    subject = examples.illustrative_certificate_of_origin()
    subject["scheme"] = "NON_PREFERENTIAL"
    assert "/preferential" in {i.path for i in validate_subject("certificate-of-origin", subject)}


def test_endorsement_attesting_recognition_is_valid():
    subject = examples.illustrative_crew_certificate()
    subject["endorsement"] = {
        "number": "SG-EAR-2024-0001",
        "issuingAdministration": {"state": "SG", "authority": "Example Maritime Authority"},
        "dateOfIssue": "2024-07-01",
        "expiryDate": "2029-05-31",
        "capacities": ["Officer in charge of a navigational watch"],
    }
    assert validate_subject("crew-certificate", subject) == []
    subject["endorsement"]["expiryDate"] = "2029-06-30"
    paths = {i.path for i in validate_subject("crew-certificate", subject)}
    assert paths == {"/endorsement/expiryDate"}


def test_bill_of_lading_summary_needs_a_date():
    summary = examples.illustrative_bill_of_lading_summary()
    del summary["shippedOnBoardDate"]
    assert validate_bill_of_lading_summary(summary) == []
    del summary["issueDate"]
    assert validate_bill_of_lading_summary(summary)
