"""E-invoicing pages: validate a file and read it, create an invoice, list and view issued ones,
verify a received file."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from digitrade.core.auth.dependencies import DbSession, ReadSession, check_csrf, platform
from digitrade.core.errors import DomainError, validation_error
from digitrade.systems.einvoice import service
from digitrade.systems.einvoice.permissions import ISSUE, READ
from digitrade.systems.einvoice.schemas import IssueRequest, profile_of
from digitrade.web.pages import ReadingViewer, Viewer, login_redirect, organisations_where
from digitrade.web.templating import render
from digitrade.web.uploads import read_form_upload

router = APIRouter(include_in_schema=False)
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FORM_LINES = 5  # empty line rows the create form offers

# Labels people read for codes (msgids of the catalogue).
VAT_CATEGORY_LABELS = {
    "S": "Standard rate",
    "Z": "Zero rated goods",
    "E": "Exempt from VAT",
    "AE": "Reverse charge",
    "K": "Intra-community supply",
    "G": "Free export item, VAT not charged",
    "O": "Services outside scope of tax",
    "L": "Canary Islands general indirect tax",
    "M": "Ceuta and Melilla tax",
    "B": "Transferred (VAT), Italy",
}
# E and K need terms the form does not ask for (exemption reason; delivery date and country).
FORM_VAT_CATEGORIES = ("S", "Z", "G", "O", "AE")
FORM_UNITS = {
    "C62": "piece (C62)",
    "HUR": "hour (HUR)",
    "DAY": "day (DAY)",
    "MON": "month (MON)",
    "KGM": "kilogram (KGM)",
    "TNE": "tonne (TNE)",
    "MTR": "metre (MTR)",
    "LTR": "litre (LTR)",
    "SET": "set (SET)",
    "E48": "service unit (E48)",
}
FORM_CURRENCIES = ("USD", "CNY", "EUR", "SGD", "HKD", "JPY", "GBP")
TYPE_LABELS = {"380": "Commercial invoice", "381": "Credit note", "384": "Corrected invoice"}


def _root(request: Request) -> Path:
    return service.rule_pack_root(platform(request).settings.data_dir)


def amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _context(extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "amount": amount,
        "vat_labels": VAT_CATEGORY_LABELS,
        "type_labels": TYPE_LABELS,
        **extra,
    }


async def _upload(request: Request) -> tuple[dict[str, str], bytes | None]:
    return await read_form_upload(request, text_field="xml", limit=MAX_UPLOAD_BYTES)


@router.get("/", response_class=HTMLResponse)
def validate_page(request: Request, viewer: Viewer) -> Response:
    return render(
        request,
        "einvoice/validate.html",
        _context({"packs": service.list_rule_packs(_root(request)), "form": {}}),
    )


@router.post("/validate", response_class=HTMLResponse)
async def validate_submit(request: Request, viewer: ReadingViewer) -> Response:
    context = _context({"packs": service.list_rule_packs(_root(request))})
    fields: dict[str, str] = {}
    try:
        fields, data = await _upload(request)
        check_csrf(request, fields.get("csrf_token"))
        if data is None:
            raise validation_error("file", "choose an invoice file or paste its XML")
        report = service.validate(
            data, root=_root(request), profile=profile_of(fields.get("profile"))
        )
    except DomainError as exc:
        return render(
            request,
            "einvoice/validate.html",
            {**context, "form": fields, "error": exc.detail},
            status_code=exc.status,
        )
    invoice = service.readable_model(data) if report.valid else None
    return render(
        request,
        "einvoice/validate.html",
        {**context, "form": fields, "report": report.to_json(), "invoice": invoice},
    )


@router.get("/invoices", response_class=HTMLResponse)
def invoices_page(
    request: Request, session: DbSession, viewer: Viewer, organisation_id: int | None = None
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    organisations = organisations_where(session, viewer, READ)
    if organisation_id is None and organisations:
        organisation_id = organisations[0].id
    items: list[Any] = []
    total = 0
    if organisation_id is not None:
        items, total = service.list_issued(
            session, actor=viewer, organisation_id=organisation_id, limit=100
        )
    return render(
        request,
        "einvoice/invoices.html",
        _context(
            {
                "organisations": organisations,
                "organisation_id": organisation_id,
                "items": items,
                "total": total,
                "can_issue": organisation_id is not None and viewer.can(ISSUE, organisation_id),
            }
        ),
    )


def _create_form(
    request: Request,
    session: DbSession,
    viewer: Any,
    form: dict[str, str],
    error: str | None = None,
    report: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "einvoice/create.html",
        _context(
            {
                "form": form,
                "error": error,
                "report": report,
                "organisations": organisations_where(session, viewer, ISSUE),
                "line_numbers": range(1, FORM_LINES + 1),
                "units": FORM_UNITS,
                "currencies": FORM_CURRENCIES,
                "categories": FORM_VAT_CATEGORIES,
                "today": dt.date.today().isoformat(),
            }
        ),
        status_code=status_code,
    )


@router.get("/invoices/new", response_class=HTMLResponse)
def create_page(request: Request, session: DbSession, viewer: Viewer) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    return _create_form(request, session, viewer, {"currency": "USD", "profile": "peppol"})


THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def _decimal(form: dict[str, str], name: str) -> Decimal | str:
    text = form.get(name, "").strip()
    if THOUSANDS.match(text):
        text = text.replace(",", "")  # 1,250.50; a decimal comma (10,5) is left to be refused
    try:
        return Decimal(text)
    except InvalidOperation:
        return text  # passed on so that the model names the field


def _optional(value: str | None) -> str | None:
    return (value or "").strip() or None


def _party(form: dict[str, str], prefix: str) -> dict[str, Any]:
    party: dict[str, Any] = {
        "name": form.get(f"{prefix}_name", "").strip(),
        "address": {
            "line1": _optional(form.get(f"{prefix}_street")),
            "city": _optional(form.get(f"{prefix}_city")),
            "postal_code": _optional(form.get(f"{prefix}_postcode")),
            "country": form.get(f"{prefix}_country", "").strip().upper(),
        },
    }
    if _optional(form.get(f"{prefix}_vat_id")):
        party["vat_id"] = form[f"{prefix}_vat_id"].strip()
    if _optional(form.get(f"{prefix}_endpoint")):
        party["electronic_address"] = {
            "value": form[f"{prefix}_endpoint"].strip(),
            "scheme": form.get(f"{prefix}_endpoint_scheme", "").strip() or "0088",
        }
    if _optional(form.get(f"{prefix}_email")):
        party["contact"] = {"email": form[f"{prefix}_email"].strip()}
    return party


def request_from_form(form: dict[str, str], organisation_id: int) -> dict[str, Any]:
    """The issue request built from the create form (line rows left empty are skipped)."""
    lines: list[dict[str, Any]] = []
    for n in range(1, FORM_LINES + 1):
        name = form.get(f"line{n}_name", "").strip()
        if not name:
            continue
        category = form.get(f"line{n}_category", "S")
        lines.append(
            {
                "id": str(len(lines) + 1),
                "quantity": _decimal(form, f"line{n}_quantity"),
                "unit": form.get(f"line{n}_unit", "C62"),
                "price": {"net_price": _decimal(form, f"line{n}_price")},
                "item": {
                    "name": name,
                    "vat_category": category,
                    "vat_rate": "0"
                    if category in ("Z", "G", "AE")
                    else (None if category == "O" else _decimal(form, f"line{n}_rate")),
                },
            }
        )
    invoice: dict[str, Any] = {
        "issue_date": form.get("issue_date") or dt.date.today().isoformat(),
        "currency": form.get("currency", "USD"),
        "seller": _party(form, "seller"),
        "buyer": _party(form, "buyer"),
        "lines": lines,
    }
    for name in ("due_date", "buyer_reference", "purchase_order_reference", "payment_terms"):
        if _optional(form.get(name)):
            invoice[name] = form[name].strip()
    if _optional(form.get("iban")):
        invoice["payment_instructions"] = {
            "means_code": "30",
            "credit_transfers": [
                {"account_id": form["iban"].strip(), "service_provider": _optional(form.get("bic"))}
            ],
        }
    if _optional(form.get("note")):
        invoice["notes"] = [{"text": form["note"].strip()}]
    if not invoice["seller"]["name"]:
        del invoice["seller"]["name"]  # the organisation's own name is used
    return {
        "organisation_id": organisation_id,
        "invoice": invoice,
        "profile": "en16931" if form.get("profile") == "en16931" else "peppol",
    }


@router.post("/invoices", response_class=HTMLResponse)
async def create_submit(request: Request, session: DbSession, viewer: Viewer) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    form = {k: str(v) for k, v in (await request.form()).items()}
    organisation = form.get("organisation_id", "")
    try:
        check_csrf(request, form.get("csrf_token"))
        if not organisation.isdigit():
            raise validation_error("organisation_id", "choose the seller organisation")
        issued = service.issue(
            session,
            actor=viewer,
            request=IssueRequest.model_validate(request_from_form(form, int(organisation))),
            root=_root(request),
        )
    except ValidationError as exc:
        message = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return _create_form(request, session, viewer, form, message, status_code=422)
    except DomainError as exc:
        session.rollback()
        report = exc.extra.get("report") if isinstance(exc, service.InvoiceRejected) else None
        return _create_form(request, session, viewer, form, exc.detail, report, exc.status)
    return RedirectResponse(f"/einvoice/invoices/{issued.id}", status_code=303)


@router.get("/invoices/{invoice_id}", response_class=HTMLResponse)
def invoice_page(request: Request, session: DbSession, viewer: Viewer, invoice_id: int) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    row = service.get_issued_row(session, actor=viewer, invoice_id=invoice_id)
    return render(
        request,
        "einvoice/invoice.html",
        _context(
            {
                "issued": service.get_issued(session, actor=viewer, invoice_id=invoice_id),
                "invoice": service.issued_model(row),
            }
        ),
    )


@router.get("/invoices/{invoice_id}/document")
def invoice_document(
    request: Request, session: DbSession, viewer: Viewer, invoice_id: int, syntax: str = "ubl"
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    name, body = service.issued_document(
        session, actor=viewer, invoice_id=invoice_id, syntax="cii" if syntax == "cii" else "ubl"
    )
    return Response(
        body,
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/verify", response_class=HTMLResponse)
def verify_page(request: Request, viewer: Viewer) -> Response:
    return render(request, "einvoice/verify.html", _context({}))


@router.post("/verify", response_class=HTMLResponse)
async def verify_submit(request: Request, session: ReadSession, viewer: ReadingViewer) -> Response:
    try:
        fields, data = await _upload(request)
        check_csrf(request, fields.get("csrf_token"))
        if data is None:
            raise validation_error("file", "choose the invoice file you received")
        result = service.verify_file(session, data)
    except DomainError as exc:
        return render(
            request, "einvoice/verify.html", _context({"error": exc.detail}), status_code=exc.status
        )
    return render(request, "einvoice/verify.html", _context({"result": result}))
