"""Registry of the verifiable trade document types and validation of their credentialSubject.

Each document type has a key, the VC ``type`` name it is issued under, a JSON Schema (draft 2020-12,
under ``documents/data/schemas``) and English and Simplified Chinese titles. Validation is pure:
schema checks with ``jsonschema_rs`` plus the few cross-field rules a schema cannot express (dates
in order). Every problem is reported as an :class:`Issue` naming the JSON Pointer of the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs

SCHEMA_PACKAGE = "digitrade.systems.documents"
SCHEMA_DIR = ("data", "schemas")
BILL_OF_LADING_SUMMARY_SCHEMA = "bill-of-lading-summary.json"


@dataclass(frozen=True)
class Issue:
    """One validation problem: ``path`` is a JSON Pointer into the subject ("" is the root)."""

    path: str
    message: str


@dataclass(frozen=True)
class DocumentType:
    key: str
    vc_type: str  # the VC ``type`` entry besides "VerifiableCredential"
    schema: str | None  # file under data/schemas; None when validated elsewhere
    title_en: str
    title_zh: str


DOCUMENT_TYPES: Mapping[str, DocumentType] = {
    t.key: t
    for t in (
        DocumentType(
            "documentary-credit",
            "DocumentaryCredit",
            "documentary-credit.json",
            "Documentary credit",
            "跟单信用证",
        ),
        DocumentType(
            "crew-certificate",
            "CrewCertificate",
            "crew-certificate.json",
            "Seafarer certificate (STCW)",
            "船员适任证书（STCW）",
        ),
        DocumentType(
            "certificate-of-origin",
            "CertificateOfOrigin",
            "certificate-of-origin.json",
            "Certificate of origin",
            "原产地证书",
        ),
        # The transport document itself follows the DCSA eBL 3.0 schema, checked elsewhere.
        DocumentType(
            "transport-document",
            "TransportDocument",
            None,
            "Transport document (bill of lading)",
            "运输单据（提单）",
        ),
    )
}


class UnknownDocumentType(KeyError):
    """The key names no registered document type."""


def document_type(kind: str) -> DocumentType:
    try:
        return DOCUMENT_TYPES[kind]
    except KeyError:
        raise UnknownDocumentType(kind) from None


def load_schema(name: str) -> dict[str, Any]:
    """The JSON Schema file ``name`` from the package data (a fresh copy each call)."""
    return dict(_load_schema_cached(name))


@cache
def _load_schema_cached(name: str) -> Mapping[str, Any]:
    path = resources.files(SCHEMA_PACKAGE).joinpath(*SCHEMA_DIR, name)
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@cache
def _validator(name: str) -> jsonschema_rs.Validator:
    return jsonschema_rs.Draft202012Validator(
        dict(_load_schema_cached(name)), validate_formats=True
    )


def _pointer(parts: list[str | int]) -> str:
    # RFC 6901 escaping, so a key containing "/" or "~" still names one field.
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def validate_against(schema_name: str, instance: Any) -> list[Issue]:
    """Schema issues of ``instance`` against the named schema file, sorted by path."""
    issues: list[Issue] = []
    for error in _validator(schema_name).iter_errors(instance):
        parts: list[str | int] = list(error.instance_path)
        kind = error.kind
        # Name the missing or unexpected field itself rather than its parent object.
        if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
            parts.append(kind.property)
        elif isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
            parts.append(kind.unexpected[0] if kind.unexpected else "")
        issues.append(Issue(_pointer(parts), error.message))
    return sorted(issues, key=lambda i: (i.path, i.message))


def _date(subject: Mapping[str, Any], *path: str) -> date | None:
    value: Any = subject
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None  # a malformed date is already reported by the schema


def _not_before(
    subject: Mapping[str, Any], later: tuple[str, ...], earlier: tuple[str, ...]
) -> list[Issue]:
    late, early = _date(subject, *later), _date(subject, *earlier)
    if late is not None and early is not None and late < early:
        return [Issue(_pointer(list(later)), f"must not be before /{'/'.join(earlier)}")]
    return []


def _credit_rules(subject: Mapping[str, Any]) -> list[Issue]:
    issues = _not_before(subject, ("expiry", "date"), ("dateOfIssue",))
    issues += _not_before(subject, ("expiry", "date"), ("latestShipmentDate",))
    rules = subject.get("applicableRules")
    if rules == "OTHR" and not subject.get("applicableRulesNarrative"):
        issues.append(Issue("/applicableRulesNarrative", "required when 40E is OTHR"))
    # An electronic place of presentation is what makes an eUCP credit workable (eUCP Art. e6(a)).
    if (
        isinstance(rules, str)
        and rules.startswith("EUCP")
        and "electronicPresentation" not in subject
    ):
        issues.append(
            Issue(
                "/electronicPresentation", "an eUCP credit must indicate the place for presentation"
            )
        )
    return issues


def _crew_rules(subject: Mapping[str, Any]) -> list[Issue]:
    issues = _not_before(subject, ("expiryDate",), ("dateOfIssue",))
    issues += _not_before(subject, ("dateOfIssue",), ("holder", "dateOfBirth"))
    issues += _not_before(subject, ("endorsement", "expiryDate"), ("endorsement", "dateOfIssue"))
    issued, expires = _date(subject, "dateOfIssue"), _date(subject, "expiryDate")
    # STCW Reg. I/11: revalidation at intervals not exceeding five years.
    if issued is not None and expires is not None:
        try:
            limit = issued.replace(year=issued.year + 5)
        except ValueError:  # 29 February
            limit = issued.replace(year=issued.year + 5, day=28)
        if expires > limit:
            issues.append(Issue("/expiryDate", "more than five years after issue (STCW Reg. I/11)"))
    endorsement = subject.get("endorsement")
    if isinstance(endorsement, Mapping):
        endorsed_until, own_expiry = _date(endorsement, "expiryDate"), expires
        # An endorsement lapses with the certificate it attests (STCW Reg. I/2).
        if endorsed_until and own_expiry and endorsed_until > own_expiry:
            issues.append(
                Issue("/endorsement/expiryDate", "must not be after the certificate's expiry date")
            )
    return issues


def _origin_rules(subject: Mapping[str, Any]) -> list[Issue]:
    issues: list[Issue] = []
    goods = subject.get("goods")
    if isinstance(goods, list):
        for index, line in enumerate(goods):
            if isinstance(line, Mapping):
                invoice = _date(line, "invoiceDate")
                issued = _date(subject, "dateOfIssue")
                # The certificate refers to an invoice that must already exist.
                if invoice and issued and invoice > issued:
                    issues.append(
                        Issue(f"/goods/{index}/invoiceDate", "must not be after /dateOfIssue")
                    )
    return issues


_SEMANTIC_RULES: Mapping[str, Callable[[Mapping[str, Any]], list[Issue]]] = {
    "documentary-credit": _credit_rules,
    "crew-certificate": _crew_rules,
    "certificate-of-origin": _origin_rules,
}


def validate_subject(kind: str, subject: Any) -> list[Issue]:
    """Issues in a credentialSubject of document type ``kind``; an empty list means valid.

    Raises :class:`UnknownDocumentType` for an unregistered key and ``ValueError`` for a type
    whose subject is validated elsewhere (the DCSA transport document).
    """
    doc_type = document_type(kind)
    if doc_type.schema is None:
        raise ValueError(f"{kind} subjects are validated against their own standard's schema")
    issues = validate_against(doc_type.schema, subject)
    if not issues and isinstance(subject, Mapping):
        # Cross-field rules only make sense on a structurally valid subject.
        issues = _SEMANTIC_RULES[kind](subject)
    return issues


def validate_bill_of_lading_summary(summary: Any) -> list[Issue]:
    """Schema issues of a bill of lading summary (see ``transport.summary_from_dcsa``)."""
    return validate_against(BILL_OF_LADING_SUMMARY_SCHEMA, summary)
