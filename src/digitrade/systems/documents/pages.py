"""Verifiable documents pages: the public verification portal, an organisation's wallet, the
issue form, the printable rendering of a document with its QR code, title history and title
actions, and the examination of a presentation under a documentary credit."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import segno
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from digitrade.core.auth.dependencies import DbSession, ReadSession, check_csrf
from digitrade.core.auth.models import Organisation
from digitrade.core.auth.principal import Principal
from digitrade.core.errors import DomainError, validation_error
from digitrade.systems.documents import demo, service
from digitrade.systems.documents.models import Document
from digitrade.systems.documents.permissions import ISSUE, READ, TRANSFER
from digitrade.systems.documents.schemas import DocumentDetail, DocumentRead, IssueRequest
from digitrade.systems.documents.types import examples, presentation, registry
from digitrade.systems.documents.types.transport import summary_from_dcsa
from digitrade.web.pages import ReadingViewer, Viewer, login_redirect, organisations_where
from digitrade.web.templating import gettext_for, render, request_language
from digitrade.web.uploads import read_form_upload

router = APIRouter(include_in_schema=False)
MAX_UPLOAD_BYTES = service.MAX_VERIFY_BYTES
TRANSPORT = service.TRANSPORT
KINDS = ("transport-document", "documentary-credit", "crew-certificate", "certificate-of-origin")

# Labels people read for run-time codes (msgids of the catalogue, see runtime_messages.py).
CHECK_NAME_LABELS = {
    "format": "Format",
    "schema": "Content and schema",
    "signature": "Signature",
    "issuer": "Issuer identity",
    "status": "Revocation and suspension",
    "ledger": "Ledger inclusion",
    "title": "Title (control of the eBL)",
}
FORMAT_LABELS = {
    "w3c-vc": "W3C verifiable credential",
    "openattestation": "OpenAttestation document",
    "pint-envelope": "DCSA PINT envelope",
    "unknown": "Unknown format",
}
STATUS_LABELS = {"valid": "Valid", "revoked": "Revoked", "suspended": "Suspended"}
TITLE_STATUS_LABELS = {
    "DRAFT": "Draft",
    "APPROVED": "Approved",
    "ISSUED": "Issued",
    "PENDING_SURRENDER_FOR_AMENDMENT": "Surrender for amendment pending",
    "SURRENDERED_FOR_AMENDMENT": "Surrendered for amendment",
    "PENDING_SURRENDER_FOR_DELIVERY": "Surrender for delivery pending",
    "SURRENDERED_FOR_DELIVERY": "Surrendered for delivery",
    "VOIDED": "Voided",
}
TITLE_ACTION_LABELS = {
    "ISSUE": "Issued",
    "TRANSFER": "Transferred",
    "ENDORSE": "Endorsed",
    "ENDORSE_TO_ORDER": "Endorsed to order",
    "BLANK_ENDORSE": "Blank endorsed",
    "SURRENDER_FOR_DELIVERY": "Surrendered for delivery",
    "SURRENDER_FOR_AMENDMENT": "Surrendered for amendment",
    "SACC": "Surrender accepted",
    "SREJ": "Surrender rejected",
    "SIGN": "Possession confirmed",
    "VOID": "Voided",
}
# The actions the document page offers, by who may take them.
HOLDER_ACTIONS = (
    "TRANSFER",
    "ENDORSE",
    "ENDORSE_TO_ORDER",
    "BLANK_ENDORSE",
    "SURRENDER_FOR_DELIVERY",
    "SURRENDER_FOR_AMENDMENT",
)
CARRIER_ACTIONS = ("SACC", "SREJ")
NEEDS_RECIPIENT = ("TRANSFER", "ENDORSE", "ENDORSE_TO_ORDER")
FINAL_TITLE_STATUSES = ("SURRENDERED_FOR_AMENDMENT", "SURRENDERED_FOR_DELIVERY", "VOIDED")


def kind_title(kind: str, language: str) -> str:
    try:
        found = registry.document_type(kind)
    except registry.UnknownDocumentType:
        return kind
    return found.title_zh if language == "zh-Hans" else found.title_en


def example_subject(kind: str) -> dict[str, Any]:
    """The illustrative subject the issue form starts from."""
    if kind == TRANSPORT:
        return copy.deepcopy(demo.TRANSPORT_DOCUMENT)
    if kind == "documentary-credit":
        return examples.illustrative_documentary_credit()
    if kind == "crew-certificate":
        return examples.illustrative_crew_certificate()
    return examples.illustrative_certificate_of_origin()


def party_text(value: Any) -> str:
    """A party of a document subject as lines: name (local name), address, BIC, country."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    name = str(value.get("name") or value.get("partyName") or "")
    if value.get("nameLocal"):
        name += f" ({value['nameLocal']})"
    lines = [name] if name else []
    address = value.get("address") or value.get("displayedAddress")
    if isinstance(address, list):
        lines += [str(line) for line in address]
    if value.get("bic"):
        lines.append(f"BIC {value['bic']}")
    if value.get("country"):
        lines.append(str(value["country"]))
    return "\n".join(lines)


def place_text(value: Any) -> str:
    """A place as its name with its UN/LOCODE when both are known."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    code = value.get("unLocode") or value.get("UNLocationCode")
    name = value.get("name") or code or ""
    return f"{name} ({code})" if code and name != code else str(name)


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (made here: no external service is called)."""
    code = segno.make(url, error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", scale=3, border=2, xmldecl=False, svgns=True, svgclass="qr")
    return out.getvalue().decode("utf-8")


def _directory(session: Session) -> list[Organisation]:
    """Every organisation on the platform: the parties a title may move to."""
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))


def _context(request: Request, extra: dict[str, Any]) -> dict[str, Any]:
    language = request_language(request)
    return {
        "kind_title": lambda kind: kind_title(kind, language),
        "party": party_text,
        "place": place_text,
        "check_labels": CHECK_NAME_LABELS,
        "format_labels": FORMAT_LABELS,
        "status_labels": STATUS_LABELS,
        "title_status_labels": TITLE_STATUS_LABELS,
        "action_labels": TITLE_ACTION_LABELS,
        **extra,
    }


# Verification -------------------------------------------------------------------------------


async def _upload(request: Request) -> tuple[dict[str, str], bytes | None]:
    return await read_form_upload(request, text_field="document_json", limit=MAX_UPLOAD_BYTES)


@router.get("/verify", response_class=HTMLResponse)
def verify_page(
    request: Request, session: ReadSession, viewer: ReadingViewer, document: str = ""
) -> Response:
    if not document:
        return render(request, "documents/verify.html", _context(request, {}))
    row = service.document_by_uuid(session, document.strip())
    if row is None:
        _ = gettext_for(request)
        return render(
            request,
            "documents/verify.html",
            _context(
                request, {"error": _("No document with this id was issued on this platform.")}
            ),
            status_code=404,
        )
    report = service.verify_file(session, json.dumps(row.credential).encode("utf-8"))
    return render(
        request,
        "documents/verify.html",
        _context(request, {"report": report, "from_link": True}),
    )


@router.post("/verify", response_class=HTMLResponse)
async def verify_submit(request: Request, session: ReadSession, viewer: ReadingViewer) -> Response:
    _ = gettext_for(request)
    try:
        fields, data = await _upload(request)
        check_csrf(request, fields.get("csrf_token"))
        if data is None:
            raise validation_error("file", _("Choose the document file or paste its JSON."))
        report = service.verify_file(session, data)
    except DomainError as exc:
        return render(
            request,
            "documents/verify.html",
            _context(request, {"error": exc.detail}),
            status_code=exc.status,
        )
    return render(request, "documents/verify.html", _context(request, {"report": report}))


# Wallet --------------------------------------------------------------------------------------


def _wallet(
    request: Request,
    session: Session,
    viewer: Principal,
    organisation_id: int | None,
    *,
    error: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    organisations = organisations_where(session, viewer, READ)
    if organisation_id is None or not any(o.id == organisation_id for o in organisations):
        organisation_id = organisations[0].id if organisations else None
    held: list[DocumentRead] = []
    issued: list[DocumentRead] = []
    if organisation_id is not None:
        held = service.list_documents(
            session, actor=viewer, organisation_id=organisation_id, role="held"
        )
        issued = service.list_documents(
            session, actor=viewer, organisation_id=organisation_id, role="issued"
        )
    return render(
        request,
        "documents/wallet.html",
        _context(
            request,
            {
                "organisations": organisations,
                "organisation_id": organisation_id,
                "held": held,
                "issued": issued,
                "can_issue": organisation_id is not None and viewer.can(ISSUE, organisation_id),
                "error": error,
                "notice": notice,
            },
        ),
        status_code=status_code,
    )


@router.get("/", response_class=HTMLResponse)
def wallet_page(
    request: Request,
    session: DbSession,
    viewer: Viewer,
    organisation_id: int | None = None,
    moved: int | None = None,
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    _ = gettext_for(request)
    notice = (
        _("The title moved: this organisation no longer controls that document.")
        if moved is not None
        else None
    )
    return _wallet(request, session, viewer, organisation_id, notice=notice)


# Issue ---------------------------------------------------------------------------------------


def _issue_form(
    request: Request,
    session: Session,
    viewer: Principal,
    form: dict[str, str],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "documents/issue.html",
        _context(
            request,
            {
                "form": form,
                "error": error,
                "organisations": organisations_where(session, viewer, ISSUE),
                "holders": _directory(session),
                "kinds": KINDS,
                "examples": {kind: _pretty(example_subject(kind)) for kind in KINDS},
            },
        ),
        status_code=status_code,
    )


@router.get("/issue", response_class=HTMLResponse)
def issue_page(
    request: Request, session: DbSession, viewer: Viewer, kind: str = TRANSPORT
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    chosen = kind if kind in KINDS else TRANSPORT
    return _issue_form(
        request, session, viewer, {"kind": chosen, "subject": _pretty(example_subject(chosen))}
    )


def _validation_message(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())


@router.post("/issue", response_class=HTMLResponse)
async def issue_submit(request: Request, session: DbSession, viewer: Viewer) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    _ = gettext_for(request)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    organisation = form.get("organisation_id", "")
    holder = form.get("holder_organisation_id", "")
    try:
        check_csrf(request, form.get("csrf_token"))
        if not organisation.isdigit():
            raise validation_error("organisation_id", _("Choose the issuing organisation."))
        try:
            subject = json.loads(form.get("subject", ""))
        except json.JSONDecodeError as exc:
            raise validation_error(
                "subject",
                _("The content is not valid JSON (line {line}, column {column}).").format(
                    line=exc.lineno, column=exc.colno
                ),
            ) from None
        if not isinstance(subject, dict):
            raise validation_error("subject", _("The content must be a JSON object."))
        request_body = IssueRequest.model_validate(
            {
                "kind": form.get("kind", ""),
                "subject": subject,
                "holder_organisation_id": int(holder) if holder.isdigit() else None,
                "valid_until": form.get("valid_until") or None,
            }
        )
        issued = service.issue(
            session, actor=viewer, organisation_id=int(organisation), request=request_body
        )
    except ValidationError as exc:
        session.rollback()
        return _issue_form(
            request, session, viewer, form, _validation_message(exc), status_code=422
        )
    except DomainError as exc:
        session.rollback()
        return _issue_form(request, session, viewer, form, exc.detail, status_code=exc.status)
    return RedirectResponse(f"/documents/{issued.id}", status_code=303)


# Examination ---------------------------------------------------------------------------------


def _readable(session: Session, viewer: Principal, kind: str) -> list[DocumentRead]:
    seen: dict[int, DocumentRead] = {}
    for organisation in organisations_where(session, viewer, READ):
        for role in ("held", "issued"):
            for item in service.list_documents(
                session, actor=viewer, organisation_id=organisation.id, role=role
            ):
                if item.kind == kind:
                    seen.setdefault(item.id, item)
    return sorted(seen.values(), key=lambda item: item.id, reverse=True)


def _default_examination() -> dict[str, str]:
    invoice = examples.illustrative_commercial_invoice()
    return {
        "invoice_number": invoice["number"],
        "invoice_date": invoice["date"],
        "seller": invoice["seller"]["name"],
        "buyer": invoice["buyer"]["name"],
        "currency": invoice["currency"],
        "amount": invoice["amount"],
        "goods": invoice["goodsDescription"],
        "quantity": invoice["quantity"]["value"],
        "unit": invoice["quantity"]["unit"],
        "presentation_date": dt.date.today().isoformat(),
    }


def _examine_form(
    request: Request,
    session: Session,
    viewer: Principal,
    form: dict[str, str],
    *,
    error: str | None = None,
    result: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "documents/examine.html",
        _context(
            request,
            {
                "form": form,
                "error": error,
                "result": result,
                "credits": _readable(session, viewer, "documentary-credit"),
                "bills": _readable(session, viewer, TRANSPORT),
                "document_titles": presentation.TITLES,
            },
        ),
        status_code=status_code,
    )


@router.get("/examine", response_class=HTMLResponse)
def examine_page(request: Request, session: DbSession, viewer: Viewer) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    return _examine_form(request, session, viewer, _default_examination())


def _json_field(form: dict[str, str], name: str, label: str) -> Any:
    try:
        value = json.loads(form.get(name, ""), parse_float=Decimal)
    except json.JSONDecodeError:
        raise validation_error(name, label) from None
    if not isinstance(value, dict):
        raise validation_error(name, label)
    return value


def examination_body(form: dict[str, str], gettext: Any) -> dict[str, Any]:
    """The body of ``service.examine`` built from the examination form."""
    _ = gettext
    body: dict[str, Any] = {"presentation_date": form.get("presentation_date", "")}
    credit_id = form.get("credit_document_id", "")
    if credit_id.isdigit():
        body["credit_document_id"] = int(credit_id)
    else:
        body["credit"] = _json_field(
            form, "credit_json", _("Choose a stored credit or paste the credit as a JSON object.")
        )
    bill_id = form.get("bill_document_id", "")
    if bill_id.isdigit():
        bill: dict[str, Any] = {"document_id": int(bill_id)}
    else:
        data = _json_field(
            form,
            "bill_json",
            _("Choose a stored eBL or paste the bill of lading as a JSON object."),
        )
        if "documentParties" in data or "transports" in data:  # a full DCSA transport document
            try:
                data = summary_from_dcsa(data)
            except (KeyError, TypeError, AttributeError):
                raise validation_error(
                    "bill_json", _("The transport document could not be read.")
                ) from None
        bill = {"data": data, "electronic": True}
    invoice = {
        "number": form.get("invoice_number", "").strip(),
        "date": form.get("invoice_date", "").strip(),
        "seller": {"name": form.get("seller", "").strip()},
        "buyer": {"name": form.get("buyer", "").strip()},
        "currency": form.get("currency", "").strip().upper(),
        "amount": form.get("amount", "").strip().replace(",", ""),
        "goodsDescription": form.get("goods", "").strip(),
    }
    if form.get("quantity", "").strip():
        invoice["quantity"] = {
            "value": form["quantity"].strip(),
            "unit": form.get("unit", "").strip() or "PCE",
        }
    body["documents"] = {
        "commercial_invoice": {"data": invoice, "electronic": True},
        "bill_of_lading": bill,
    }
    return body


@router.post("/examine", response_class=HTMLResponse)
async def examine_submit(request: Request, session: ReadSession, viewer: ReadingViewer) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    _ = gettext_for(request)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        check_csrf(request, form.get("csrf_token"))
        result = service.examine(session, actor=viewer, body=examination_body(form, _))
    except DomainError as exc:
        return _examine_form(
            request, session, viewer, form, error=exc.detail, status_code=exc.status
        )
    return _examine_form(request, session, viewer, form, result=result)


# One document --------------------------------------------------------------------------------


def _party_name(organisations: dict[int, Organisation], organisation_id: int | None) -> str:
    found = organisations.get(organisation_id or 0)
    return found.name if found else ""


def title_controls(
    viewer: Principal, detail: DocumentDetail, title_state: dict[str, Any] | None
) -> dict[str, Any]:
    """Which action forms the viewer sees on a document, and in whose name each acts."""
    controls: dict[str, Any] = {
        "holder_actions": [],
        "carrier_actions": [],
        "can_void": False,
        "can_change_status": False,
    }
    is_issuer = viewer.can(ISSUE, detail.issuer_organisation_id)
    controls["can_change_status"] = is_issuer and detail.status != "revoked"
    if detail.kind != TRANSPORT or title_state is None:
        return controls
    status = detail.title_status or ""
    controls["can_void"] = is_issuer and status not in FINAL_TITLE_STATUSES
    if detail.status == "revoked":
        return controls
    holder = detail.holder_organisation_id
    if status == "ISSUED" and holder is not None and viewer.can(TRANSFER, holder):
        actions = ["TRANSFER", "SURRENDER_FOR_DELIVERY", "SURRENDER_FOR_AMENDMENT"]
        if title_state.get("is_to_order"):
            actions += ["ENDORSE_TO_ORDER", "ENDORSE"]
            if not title_state.get("blank_endorsed"):
                actions.append("BLANK_ENDORSE")
        controls["holder_actions"] = actions
    if status.startswith("PENDING_") and viewer.can(TRANSFER, detail.issuer_organisation_id):
        controls["carrier_actions"] = list(CARRIER_ACTIONS)
    return controls


def _document_page(
    request: Request,
    session: Session,
    viewer: Principal,
    document_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    detail = service.get_document(session, actor=viewer, document_id=document_id)
    row = session.get(Document, document_id)
    title_state = row.title_state if row is not None else None
    subject = detail.credential.get("credentialSubject") or {}
    summary: dict[str, Any] | None = None
    if detail.kind == TRANSPORT:
        try:
            summary = summary_from_dcsa(subject)
        except (KeyError, TypeError, AttributeError):
            summary = None
    directory = _directory(session)
    by_id = {o.id: o for o in directory}
    endorsee = (title_state or {}).get("endorsee") or {}
    return render(
        request,
        "documents/document.html",
        _context(
            request,
            {
                "doc": detail,
                "subject": subject,
                "summary": summary,
                "title_state": title_state,
                "endorsee": endorsee.get("partyName"),
                "controls": title_controls(viewer, detail, title_state),
                "recipients": [o for o in directory if o.id != detail.holder_organisation_id],
                "carrier_name": _party_name(by_id, detail.issuer_organisation_id),
                "qr": qr_svg(detail.verify_url),
                "verify_path": f"/documents/verify?document={detail.uuid}",
                "error": error,
            },
        ),
        status_code=status_code,
    )


@router.get("/{document_id}", response_class=HTMLResponse)
def document_page(
    request: Request, session: DbSession, viewer: Viewer, document_id: int
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    return _document_page(request, session, viewer, document_id)


def _after_action(
    request: Request,
    session: Session,
    viewer: Principal,
    document_id: int,
    exc: DomainError,
    organisation_id: int | None,
) -> Response:
    """The document page again with the refusal; the wallet when the viewer no longer sees it."""
    session.rollback()
    try:
        return _document_page(
            request, session, viewer, document_id, error=exc.detail, status_code=exc.status
        )
    except DomainError:
        session.rollback()
        return _wallet(
            request, session, viewer, organisation_id, error=exc.detail, status_code=exc.status
        )


def _redirect_after(
    session: Session, viewer: Principal, document_id: int, organisation_id: int | None
) -> Response:
    try:
        service.get_document(session, actor=viewer, document_id=document_id)
    except DomainError:
        target = f"/documents/?moved={document_id}"
        if organisation_id is not None:
            target += f"&organisation_id={organisation_id}"
        return RedirectResponse(target, status_code=303)
    return RedirectResponse(f"/documents/{document_id}", status_code=303)


def _int(form: dict[str, str], name: str) -> int | None:
    value = form.get(name, "").strip()
    return int(value) if value.isdigit() else None


@router.post("/{document_id}/title", response_class=HTMLResponse)
async def title_submit(
    request: Request, session: DbSession, viewer: Viewer, document_id: int
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    _ = gettext_for(request)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    acting = _int(form, "acting_organisation_id")
    try:
        check_csrf(request, form.get("csrf_token"))
        action = form.get("action", "")
        if action not in HOLDER_ACTIONS + CARRIER_ACTIONS:
            raise validation_error("action", _("Choose a title action."))
        if acting is None:
            raise validation_error("acting_organisation_id", _("Nobody may act on this eBL."))
        recipient = _int(form, "recipient_organisation_id")
        if action in NEEDS_RECIPIENT and recipient is None:
            raise validation_error("recipient_organisation_id", _("Choose the recipient."))
        if action not in NEEDS_RECIPIENT:
            recipient = None
        if action.startswith("SURRENDER_"):
            row = session.get(Document, document_id)
            recipient = row.organisation_id if row is not None else None  # to the carrier
        service.title_action(
            session,
            actor=viewer,
            document_id=document_id,
            action=action,
            acting_organisation_id=acting,
            recipient_organisation_id=recipient,
            expected_sequence=_int(form, "expected_sequence"),
        )
    except DomainError as exc:
        return _after_action(request, session, viewer, document_id, exc, acting)
    return _redirect_after(session, viewer, document_id, acting)


@router.post("/{document_id}/void", response_class=HTMLResponse)
async def void_submit(
    request: Request, session: DbSession, viewer: Viewer, document_id: int
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        check_csrf(request, form.get("csrf_token"))
        service.void(session, actor=viewer, document_id=document_id)
    except DomainError as exc:
        return _after_action(request, session, viewer, document_id, exc, None)
    return _redirect_after(session, viewer, document_id, None)


@router.post("/{document_id}/status", response_class=HTMLResponse)
async def status_submit(
    request: Request, session: DbSession, viewer: Viewer, document_id: int
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    _ = gettext_for(request)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        check_csrf(request, form.get("csrf_token"))
        change = form.get("change", "")
        if change == "revoke":
            purpose, value = "revocation", True
        elif change in ("suspend", "reinstate"):
            purpose, value = "suspension", change == "suspend"
        else:
            raise validation_error("change", _("Choose revoke, suspend or reinstate."))
        service.set_status(
            session, actor=viewer, document_id=document_id, purpose=purpose, value=value
        )
    except DomainError as exc:
        return _after_action(request, session, viewer, document_id, exc, None)
    return _redirect_after(session, viewer, document_id, None)
