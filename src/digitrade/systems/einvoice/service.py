"""E-invoicing use cases shared by the API, the pages and the CLI.

Validation, conversion and verification store nothing and are open to anyone (a foreign buyer
checking a file needs no account). Issuing is done for a seller organisation by its editors or
owners: the platform numbers the invoice, computes its totals, validates it against the installed
rule packs, and only a clean invoice is stored and anchored in the ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from contextlib import suppress
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from digitrade.core import audit
from digitrade.core.auth.models import Organisation
from digitrade.core.auth.principal import Principal
from digitrade.core.db import fetch_page
from digitrade.core.errors import (
    DomainError,
    FieldIssue,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from digitrade.core.ledger import service as ledger
from digitrade.systems.einvoice import bindings, fapiao, rulepacks
from digitrade.systems.einvoice.en16931.calculation import CalculationError, complete
from digitrade.systems.einvoice.en16931.model import (
    EN16931_SPECIFICATION,
    PEPPOL_BIS3_PROCESS,
    PEPPOL_BIS3_SPECIFICATION,
    Invoice,
)
from digitrade.systems.einvoice.models import InvoiceCounter, IssuedInvoice
from digitrade.systems.einvoice.permissions import ISSUE, READ
from digitrade.systems.einvoice.schemas import (
    IssuedRead,
    IssueRequest,
    LedgerReference,
    RulePackRead,
    TargetFormat,
    VerificationResult,
)
from digitrade.systems.einvoice.validation import ProfileChoice, ValidationReport, Validator
from digitrade.systems.einvoice.xmlsafe import parse_xml

ISSUED_KIND = "einvoice.issued"


class InvoiceRejected(ValidationFailed):
    """The invoice does not pass the rule packs; ``extra`` carries the full report."""

    code = "einvoice.invoice-invalid"
    title = "The invoice does not pass validation"


class NotConvertible(DomainError):
    code = "einvoice.not-convertible"
    status = 422
    title = "The document cannot be converted"


def rule_pack_root(data_dir: Path) -> Path:
    return data_dir / "einvoice" / "rulepacks"


@lru_cache(maxsize=4)
def validator(root: Path) -> Validator:
    """One validator per rule-pack folder and process: compiled stylesheets are reused."""
    return Validator(root)


def warm_up(root: Path) -> None:
    """Compile the installed packs now (cheap once done); without packs there is nothing to do,
    and the validation itself then says which pack is missing."""
    # A missing or damaged pack is reported by the validation that needs it. Once warm this is
    # a few dictionary lookups: no manifest is read again on the request path.
    with suppress(DomainError):
        validator(root).warm_up()


# --- validation and conversion (no storage) ----------------------------------------------


def validate(
    data: bytes,
    *,
    root: Path,
    profile: ProfileChoice = "auto",
    versions: dict[str, str] | None = None,
) -> ValidationReport:
    return validator(root).validate(data, profile=profile, versions=versions)


def read_model(data: bytes, *, root: Path) -> tuple[Invoice, ValidationReport]:
    """The EN 16931 model of a file that passes validation (conversion starts from valid input)."""
    report = validate(data, root=root, profile="en16931")
    if not report.valid:
        raise InvoiceRejected(
            "the file does not pass EN 16931 validation; fix it before converting",
            extra={"report": report.to_json()},
        )
    try:
        return bindings.read_invoice(parse_xml(data).getroot()), report
    except bindings.BindingError as exc:
        raise NotConvertible(str(exc)) from exc


def readable_model(data: bytes) -> Invoice | None:
    """The model of a file already validated, to show beside its report (None if it uses terms
    the model cannot read)."""
    try:
        return bindings.read_invoice(parse_xml(data).getroot())
    except (bindings.BindingError, ValidationError, DomainError):
        return None


def convert(data: bytes, target: TargetFormat, *, root: Path) -> tuple[bytes, list[dict[str, Any]]]:
    """Convert a UBL or CII invoice to ``target`` through the EN 16931 model.

    Returns the new document and the mapping notes (what the target cannot carry)."""
    invoice, _ = read_model(data, root=root)
    if target in ("ubl", "cii"):
        try:
            return bindings.write_invoice(invoice, target), []
        except bindings.BindingError as exc:  # valid EN 16931, but lacks a term the target needs
            raise NotConvertible(str(exc)) from exc
    representation, notes = fapiao.from_en16931(invoice)
    body = (
        fapiao.write_xml(representation)
        if target == "fapiao-xml"
        else fapiao.write_json(representation)
    )
    return body, [note.as_dict() for note in notes]


def import_fapiao(
    data: bytes, *, target: str, root: Path
) -> tuple[bytes, list[dict[str, Any]], ValidationReport]:
    """A fully digitalised e-invoice (XML or JSON) as an EN 16931 UBL or CII file, validated."""
    representation, findings = fapiao.read_fapiao(data)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise ValidationFailed(
            "the fapiao does not add up: " + "; ".join(f.message_en for f in errors),
            fields=[FieldIssue(f.field, f.message_en) for f in errors],
        )
    invoice, notes = fapiao.to_en16931(representation)
    try:
        body = bindings.write_invoice(invoice, "cii" if target == "cii" else "ubl")
    except bindings.BindingError as exc:
        raise NotConvertible(str(exc)) from exc
    return body, [note.as_dict() for note in notes], validate(body, root=root, profile="en16931")


# --- rule packs --------------------------------------------------------------------------


def _pack_read(pack: rulepacks.InstalledPack) -> RulePackRead:
    return RulePackRead(
        name=pack.name,
        version=pack.version,
        layer=pack.layer,
        syntaxes=list(pack.syntaxes),
        source=pack.source,
        effective=pack.effective.isoformat() if pack.effective else None,
        installed_at=pack.installed_at,
        files=len(pack.spec.files),
    )


def list_rule_packs(root: Path) -> list[RulePackRead]:
    return [_pack_read(pack) for pack in rulepacks.list_installed(root)]


def install_rule_packs(
    session: Session, *, actor: Principal, source: Path, root: Path
) -> list[RulePackRead]:
    """Install official or manifest-described packs (platform administrators)."""
    if not actor.is_platform_admin:
        raise PermissionDenied("only platform administrators install rule packs")
    installed = [_pack_read(p) for p in rulepacks.install_from_path(source, root)]
    validator.cache_clear()
    audit.record(
        session,
        actor=actor,
        action="einvoice.rulepacks.install",
        entity_type="einvoice_rulepack",
        entity_id=",".join(f"{p.name}@{p.version}" for p in installed)[:200] or "none",
        organisation_id=None,
        after={"packs": [f"{p.name} {p.version}" for p in installed]},
    )
    return installed


# --- issuing -----------------------------------------------------------------------------


def _next_number(session: Session, organisation_id: int, year: int) -> str:
    """Gapless per seller and year; the row lock (or SQLite's write lock) orders issuers."""
    counter = session.scalars(
        select(InvoiceCounter)
        .where(InvoiceCounter.organisation_id == organisation_id, InvoiceCounter.year == year)
        .with_for_update()
    ).one_or_none()
    if counter is None:
        counter = InvoiceCounter(organisation_id=organisation_id, year=year, last_value=0)
        session.add(counter)
    counter.last_value += 1
    session.flush()
    return f"INV-{year}-{counter.last_value:06d}"


def _field_issues(error: ValidationError, prefix: str) -> list[FieldIssue]:
    return [
        FieldIssue(".".join([prefix, *(str(p) for p in e["loc"])]), e["msg"])
        for e in error.errors()
    ]


def _seller_defaults(organisation: Organisation, draft: dict[str, Any]) -> dict[str, Any]:
    given = draft.get("seller") or {}
    if not isinstance(given, dict):
        raise ValidationFailed(
            "invoice.seller: must be an object",
            fields=[FieldIssue("invoice.seller", "must be an object")],
        )
    seller = dict(given)
    seller.setdefault("name", organisation.name)
    seller.setdefault("address", {"country": organisation.country})
    uscc = organisation.unified_social_credit_code
    if uscc and "legal_registration" not in seller:
        seller["legal_registration"] = {"value": uscc}
    if uscc and not ({"vat_id", "tax_registration_id"} & seller.keys()):
        if _has_category(draft, "O"):
            # Outside the scope of VAT: no VAT identifier may be given (BR-O-02).
            seller["tax_registration_id"] = uscc
        else:
            # China's VAT registration number is the USCC; BR-CO-09 wants the country prefix.
            seller["vat_id"] = "CN" + uscc
    return {**draft, "seller": seller}


def _lines_of(draft: dict[str, Any]) -> list[Any]:
    lines = draft.get("lines")
    return lines if isinstance(lines, list) else []


def _has_category(draft: dict[str, Any], category: str) -> bool:
    lines = _lines_of(draft)
    items = [line.get("item") for line in lines if isinstance(line, dict)]
    others = [*(draft.get("allowances") or []), *(draft.get("charges") or [])]
    return any(
        isinstance(part, dict) and part.get("vat_category") == category for part in items + others
    )


def build_invoice(request: IssueRequest, number: str, organisation: Organisation) -> Invoice:
    """The complete EN 16931 invoice for a request: checked, numbered and computed."""
    draft = _seller_defaults(organisation, dict(request.invoice))
    computed = [name for name in ("number", "totals", "vat_breakdown") if name in draft]
    lines = _lines_of(draft)
    computed += [
        f"lines.{index}.net_amount"
        for index, line in enumerate(lines)
        if isinstance(line, dict) and "net_amount" in line
    ]
    if computed:
        raise ValidationFailed(
            f"invoice.{computed[0]}: computed by the platform; leave it out",
            fields=[FieldIssue(f"invoice.{name}", "computed by the platform") for name in computed],
        )
    if request.profile == "peppol":
        draft.setdefault("specification_id", PEPPOL_BIS3_SPECIFICATION)
        draft.setdefault("process_id", PEPPOL_BIS3_PROCESS)
    else:
        draft.setdefault("specification_id", EN16931_SPECIFICATION)
    try:
        invoice = Invoice.model_validate({**draft, "number": number})
        return complete(
            invoice,
            exemptions=dict(request.exemptions),
            tax_currency_rate=request.tax_currency_rate,
            prepaid=request.prepaid,
        )
    except ValidationError as exc:
        issues = _field_issues(exc, "invoice")
        raise ValidationFailed(
            f"{issues[0].field}: {issues[0].message}" if issues else "invalid invoice",
            fields=issues,
        ) from exc
    except CalculationError as exc:
        raise ValidationFailed(str(exc), fields=[FieldIssue("invoice", str(exc))]) from exc


def _issued_read(row: IssuedInvoice) -> IssuedRead:
    result = IssuedRead.model_validate(row)
    result.ledger = LedgerReference(
        log=ledger.DEFAULT_LOG, index=row.ledger_index, leaf_hash=row.leaf_hash.hex()
    )
    return result


def issue(session: Session, *, actor: Principal, request: IssueRequest, root: Path) -> IssuedRead:
    actor.require(ISSUE, request.organisation_id)
    organisation = session.get(Organisation, request.organisation_id)
    if organisation is None:
        raise NotFound(f"organisation {request.organisation_id} does not exist")
    issue_date = _issue_date(request.invoice)
    number = _next_number(session, organisation.id, issue_date.year)
    invoice = build_invoice(request, number, organisation)
    try:
        document = bindings.write_invoice(invoice, "ubl")
    except ValueError as exc:  # BindingError: a term the profile requires is missing
        raise InvoiceRejected(str(exc), fields=[FieldIssue("invoice", str(exc))]) from exc
    report = validate(document, root=root, profile=request.profile)
    if not report.valid:
        # Nothing is stored: the transaction (and the number taken) is rolled back.
        raise InvoiceRejected(
            "the invoice does not pass "
            + ", ".join(f"{p['name']} {p['version']}" for p in report.to_json()["rule_packs"])
            + ": "
            + "; ".join(f"{f.rule} {f.message}" for f in report.findings if f.severity == "fatal")[
                :600
            ],
            extra={"report": report.to_json()},
        )
    sha256 = hashlib.sha256(document).hexdigest()
    assert invoice.totals is not None
    anchored = ledger.append(
        session,
        kind=ISSUED_KIND,
        payload={
            "organisation": organisation.id,
            "number": invoice.number,
            "issueDate": invoice.issue_date.isoformat(),
            "currency": invoice.currency,
            "payable": str(invoice.totals.payable),
            "specification": invoice.specification_id,
            "rulePacks": [f"{p['name']} {p['version']}" for p in report.to_json()["rule_packs"]],
            "documentDigest": "sha256:" + sha256,
        },
        submitter=actor.subject,
        organisation_id=organisation.id,
    )
    row = IssuedInvoice(
        organisation_id=organisation.id,
        number=invoice.number,
        type_code=invoice.type_code,
        issue_date=invoice.issue_date,
        currency=invoice.currency,
        payable_amount=invoice.totals.payable,
        buyer_name=invoice.buyer.name[:300],
        specification_id=invoice.specification_id,
        model=invoice.model_dump(mode="json", exclude_none=True),
        document=document,
        sha256=sha256,
        validation=_report_summary(report),
        created_by=actor.subject,
        ledger_index=anchored.index,
        leaf_hash=anchored.leaf_hash,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="einvoice.invoice.issue",
        entity_type="einvoice_issued",
        entity_id=row.id,
        organisation_id=organisation.id,
        after={"number": row.number, "sha256": sha256, "ledger_index": anchored.index},
    )
    return _issued_read(row)


def _issue_date(draft: dict[str, Any]) -> dt.date:
    value = draft.get("issue_date")
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationFailed(
            "invoice.issue_date: not a date (YYYY-MM-DD)",
            fields=[FieldIssue("invoice.issue_date", "not a date (YYYY-MM-DD)")],
        ) from exc


def _report_summary(report: ValidationReport) -> dict[str, Any]:
    data = report.to_json()
    return {
        "valid": data["valid"],
        "syntax": data["syntax"],
        "rule_packs": data["rule_packs"],
        "summary": data["summary"],
        "warnings": [f for f in data["findings"] if f["severity"] != "fatal"][:50],
    }


def list_issued(
    session: Session, *, actor: Principal, organisation_id: int, limit: int = 50, offset: int = 0
) -> tuple[list[IssuedRead], int]:
    actor.require(READ, organisation_id)
    query = (
        select(IssuedInvoice)
        .where(IssuedInvoice.organisation_id == organisation_id)
        .order_by(IssuedInvoice.id.desc())
    )
    rows, total = fetch_page(session, query, limit=limit, offset=offset)
    return [_issued_read(r) for r in rows], total


def get_issued_row(session: Session, *, actor: Principal, invoice_id: int) -> IssuedInvoice:
    row = session.get(IssuedInvoice, invoice_id)
    # Another seller's invoice answers as if it did not exist: ids do not reveal volumes.
    if row is None or not actor.can(READ, row.organisation_id):
        raise NotFound(f"invoice {invoice_id} does not exist")
    return row


def get_issued(session: Session, *, actor: Principal, invoice_id: int) -> IssuedRead:
    return _issued_read(get_issued_row(session, actor=actor, invoice_id=invoice_id))


def issued_document(
    session: Session, *, actor: Principal, invoice_id: int, syntax: str = "ubl"
) -> tuple[str, bytes]:
    """(file name, bytes): the UBL exactly as issued, or its CII rendering."""
    row = get_issued_row(session, actor=actor, invoice_id=invoice_id)
    if syntax == "ubl":
        return f"{row.number}.xml", row.document
    invoice = Invoice.model_validate(row.model)
    return f"{row.number}-cii.xml", bindings.write_invoice(invoice, "cii")


def issued_model(row: IssuedInvoice) -> Invoice:
    return Invoice.model_validate(row.model)


# --- verification (anyone with the file) -------------------------------------------------


def verify_file(session: Session, data: bytes) -> VerificationResult:
    """Was this exact file issued here, and where is it anchored? Byte-exact: any change to the
    file gives another digest and the answer "not issued here"."""
    sha256 = hashlib.sha256(data).hexdigest()
    row = session.scalars(select(IssuedInvoice).where(IssuedInvoice.sha256 == sha256)).one_or_none()
    if row is None:
        return VerificationResult(
            issued_here=False,
            sha256=sha256,
            message="No invoice with this exact content was issued on this platform.",
        )
    organisation = session.get(Organisation, row.organisation_id)
    entry, integrated = ledger.get_entry(session, log=ledger.DEFAULT_LOG, index=row.ledger_index)
    proof = None
    if integrated:
        inclusion = ledger.inclusion_proof(session, log=ledger.DEFAULT_LOG, index=row.ledger_index)
        proof = {
            "tree_size": inclusion.tree_size,
            "leaf_hash": inclusion.leaf_hash.hex(),
            "hashes": [h.hex() for h in inclusion.hashes],
            "root_hash": inclusion.root_hash.hex(),
        }
    return VerificationResult(
        issued_here=True,
        sha256=sha256,
        number=row.number,
        seller=organisation.name if organisation else None,
        issue_date=row.issue_date,
        payable_amount=row.payable_amount,
        currency=row.currency,
        ledger=LedgerReference(
            log=ledger.DEFAULT_LOG, index=row.ledger_index, leaf_hash=entry.leaf_hash.hex()
        ),
        integrated=integrated,
        inclusion_proof=proof,
        message=(
            "Issued on this platform and included in the ledger."
            if integrated
            else "Issued on this platform; the ledger has not integrated the entry yet."
        ),
    )


def money_text(value: Decimal) -> str:
    return f"{value:,.2f}"
