"""Dataflow pages: the assessment wizard, its decision, the register with its gauges."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from digitrade.core.auth.dependencies import DbSession, check_csrf
from digitrade.core.auth.service import list_organisations
from digitrade.core.errors import DomainError, validation_error
from digitrade.systems.dataflow import service
from digitrade.systems.dataflow.permissions import ASSESS, LISTS_MANAGE, REGISTER
from digitrade.systems.dataflow.rules import RULES_BY_ID
from digitrade.systems.dataflow.schemas import TransferCreate
from digitrade.web.pages import Viewer, login_redirect, organisations_where
from digitrade.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_UPLOAD_BYTES = 5_000_000

# Labels people read for the engine's codes (msgids of the catalogue).
PATHWAY_LABELS = {
    "EXEMPT": "Exempt: no filing needed",
    "STANDARD_CONTRACT_OR_CERTIFICATION": "Standard contract filing or certification",
    "SECURITY_ASSESSMENT": "Security assessment by the CAC",
    "PROHIBITED": "Prohibited: stop and escalate",
}
PURPOSE_LABELS = {
    "other": "Other business purposes",
    "contract_with_individual": "Performing a contract with the individual",
    "hr_management": "Cross-border human resources management",
    "emergency": "Emergency to protect life, health or property",
    "statutory_duty": "Statutory duty or obligation",
    "transit": "Transit of data collected abroad",
}
PURPOSES = (
    "other",
    "contract_with_individual",
    "hr_management",
    "emergency",
    "statutory_duty",
    "transit",
)
CHECKBOXES = (
    "is_ciio",
    "registered_in_ftz",
    "remote_access",
    "personal_information",
    "core_data",
    "collected_abroad",
)


def _count(form: dict[str, str], name: str) -> int | str:
    """Numbers as ints; anything else passed on, so the engine names the field."""
    value = form.get(name, "").strip().replace(",", "")
    if not value:
        return 0
    return int(value) if value.isdigit() else value


def request_from_form(form: dict[str, str]) -> dict[str, Any]:
    """The assessment contract built from the wizard's fields."""
    flag = {name: form.get(name) == "on" for name in CHECKBOXES}
    data: dict[str, Any] = {
        "personal_information": flag["personal_information"],
        "individuals": _count(form, "individuals"),
        "sensitive_individuals": _count(form, "sensitive_individuals"),
        "individuals_earlier_this_year": _count(form, "individuals_earlier_this_year"),
        "sensitive_individuals_earlier_this_year": _count(
            form, "sensitive_individuals_earlier_this_year"
        ),
        "important_data": form.get("important_data") or "none",
        "core_data": flag["core_data"],
        "collected_abroad": flag["collected_abroad"],
    }
    if form.get("ftz_list_match"):
        data["ftz_list_match"] = form["ftz_list_match"]
    if form.get("ftz_list_requirement"):
        data["ftz_list_requirement"] = form["ftz_list_requirement"]
    transfer: dict[str, Any] = {
        "purpose": form.get("purpose") or "other",
        "remote_access": flag["remote_access"],
        "recipient_country": form.get("recipient_country", "").strip().upper(),
    }
    if form.get("contract_type", "").strip():
        transfer["contract_type"] = form["contract_type"].strip()
    processor: dict[str, Any] = {
        "name": form.get("processor_name", "").strip(),
        "is_ciio": flag["is_ciio"],
        "registered_in_ftz": flag["registered_in_ftz"],
    }
    if form.get("sector", "").strip():
        processor["sector"] = form["sector"].strip()
    return {
        "as_of": form.get("as_of") or dt.date.today().isoformat(),
        "processor": processor,
        "transfer": transfer,
        "data": data,
    }


def _wizard(
    request: Request,
    session: DbSession,
    viewer: Any,
    form: dict[str, str],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "dataflow/wizard.html",
        {
            "form": form,
            "error": error,
            "purposes": PURPOSES,
            "purpose_labels": PURPOSE_LABELS,
            "organisations": organisations_where(session, viewer, ASSESS),
            "today": dt.date.today().isoformat(),
        },
        status_code=status_code,
    )


@router.get("/", response_class=HTMLResponse)
def wizard(request: Request, session: DbSession, viewer: Viewer) -> Response:
    return _wizard(request, session, viewer, {})


@router.post("/assess", response_class=HTMLResponse)
async def assess(request: Request, session: DbSession, viewer: Viewer) -> Response:
    form, org_id = await _form_with_organisation(request)
    try:
        check_csrf(request, form.get("csrf_token"))
        result = service.assess(
            session,
            actor=viewer,
            request=request_from_form(form),
            organisation_id=org_id,
        )
    except DomainError as exc:
        session.rollback()
        return _wizard(request, session, viewer, form, exc.detail, exc.status)
    notes = [(rule_id, _rule_note(rule_id)) for rule_id in result.unverified]
    return render(
        request,
        "dataflow/result.html",
        {"result": result, "form": form, "notes": notes, "pathway_labels": PATHWAY_LABELS},
    )


def _rule_note(rule_id: str) -> str:
    rule = RULES_BY_ID.get(rule_id)
    return rule.note if rule is not None else ""


@router.get("/assessments/{assessment_id}/pack")
def pack(
    request: Request, session: DbSession, viewer: Viewer, assessment_id: int, language: str = "en"
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)  # back to this download after signing in
    content = service.filing_pack(
        session,
        actor=viewer,
        assessment_id=assessment_id,
        language="zh-Hans" if language == "zh-Hans" else "en",
    )
    return Response(
        content,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="filing-pack-{assessment_id}.zip"'},
    )


async def _form_with_organisation(request: Request) -> tuple[dict[str, str], int | None]:
    """The posted fields as text, and the organisation they are for (None if not a number)."""
    form = {key: str(value) for key, value in (await request.form()).items()}
    organisation = form.get("organisation_id", "")
    return form, int(organisation) if organisation.isdigit() else None


def _register_context(
    session: DbSession, viewer: Any, organisation_id: int | None
) -> dict[str, Any]:
    # Those where the viewer may record transfers; else those it may only read.
    organisations = organisations_where(session, viewer, REGISTER) or list(
        list_organisations(session, actor=viewer, limit=200).items
    )
    if organisation_id is None and organisations:
        organisation_id = organisations[0].id
    if organisation_id is None:
        return {"organisations": [], "organisation_id": None}
    today = dt.date.today()
    summary = service.register_summary(
        session, actor=viewer, organisation_id=organisation_id, as_of=today
    )
    transfers, total = service.list_transfers(
        session, actor=viewer, organisation_id=organisation_id, year=today.year, limit=100
    )
    return {
        "organisations": organisations,
        "organisation_id": organisation_id,
        "summary": summary,
        "transfers": transfers,
        "total": total,
        "purposes": PURPOSES,
        "purpose_labels": PURPOSE_LABELS,
        "pathway_labels": PATHWAY_LABELS,
        "can_register": viewer.can(REGISTER, organisation_id),
        "today": today.isoformat(),
    }


@router.get("/register", response_class=HTMLResponse)
def register(
    request: Request, session: DbSession, viewer: Viewer, organisation_id: int | None = None
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    return render(
        request, "dataflow/register.html", _register_context(session, viewer, organisation_id)
    )


@router.post("/register", response_class=HTMLResponse)
async def add_transfer(request: Request, session: DbSession, viewer: Viewer) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    form, org_id = await _form_with_organisation(request)
    try:
        check_csrf(request, form.get("csrf_token"))
        data = TransferCreate.model_validate(
            {
                "organisation_id": org_id,
                "transferred_on": form.get("transferred_on"),
                "recipient": form.get("recipient", "").strip(),
                "recipient_country": form.get("recipient_country", "").strip().upper(),
                "purpose": form.get("purpose"),
                "categories": [
                    c.strip() for c in form.get("categories", "").split(",") if c.strip()
                ],
                "individuals": _count(form, "individuals"),
                "sensitive_individuals": _count(form, "sensitive_individuals"),
                "pathway": form.get("pathway"),
                "filing_number": form.get("filing_number", "").strip() or None,
            }
        )
        service.record_transfer(session, actor=viewer, data=data)
    except ValidationError as exc:
        fields = ", ".join(sorted({str(e["loc"][0]) for e in exc.errors()}))
        context = _register_context(session, viewer, org_id)
        return render(
            request,
            "dataflow/register.html",
            {**context, "error": fields, "form": form},
            status_code=422,
        )
    except DomainError as exc:
        session.rollback()
        context = _register_context(session, viewer, org_id)
        return render(
            request,
            "dataflow/register.html",
            {**context, "error": exc.detail, "form": form},
            status_code=exc.status,
        )
    return RedirectResponse(f"/dataflow/register?organisation_id={org_id}", status_code=303)


@router.get("/lists", response_class=HTMLResponse)
def lists_page(request: Request, session: DbSession, viewer: Viewer) -> Response:
    return render(request, "dataflow/lists.html", _lists_context(session, viewer))


def _lists_context(session: DbSession, viewer: Any) -> dict[str, Any]:
    return {
        "lists": service.list_summaries(session),
        "can_manage": viewer.is_authenticated and viewer.can(LISTS_MANAGE),
        "pathway_labels": PATHWAY_LABELS,
    }


@router.post("/lists", response_class=HTMLResponse)
async def install_list_page(request: Request, session: DbSession, viewer: Viewer) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    form = await request.form()
    upload = form.get("file")
    try:
        check_csrf(request, str(form.get("csrf_token", "")))
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise validation_error("file", "choose a .json, .csv or .xlsx file")
        content = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(content) > MAX_UPLOAD_BYTES:
            raise validation_error("file", "the file is larger than 5 MB")
        installed = service.install_list(
            session, actor=viewer, filename=upload.filename, content=content
        )
    except DomainError as exc:
        session.rollback()
        issues = [f"{issue.field}: {issue.message}" for issue in exc.fields]
        return render(
            request,
            "dataflow/lists.html",
            {**_lists_context(session, viewer), "error": exc.detail, "issues": issues},
            status_code=exc.status,
        )
    return render(
        request,
        "dataflow/lists.html",
        {**_lists_context(session, viewer), "installed": installed},
        status_code=201,
    )


def _categories_context(
    session: DbSession, viewer: Any, organisation_id: int | None
) -> dict[str, Any]:
    organisations = list(list_organisations(session, actor=viewer, limit=200).items)
    if organisation_id is None and organisations:
        organisation_id = organisations[0].id
    taxonomy = (
        service.organisation_taxonomy(session, actor=viewer, organisation_id=organisation_id)
        if organisation_id is not None
        else service.shipped_taxonomy()
    )
    shipped = {category.code for category in service.shipped_taxonomy().categories}
    return {
        "organisations": organisations,
        "organisation_id": organisation_id,
        "taxonomy": taxonomy,
        "shipped_codes": shipped,
        "can_add": organisation_id is not None and viewer.can(ASSESS, organisation_id),
    }


@router.get("/categories", response_class=HTMLResponse)
def categories_page(
    request: Request, session: DbSession, viewer: Viewer, organisation_id: int | None = None
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    return render(
        request, "dataflow/categories.html", _categories_context(session, viewer, organisation_id)
    )


@router.post("/categories", response_class=HTMLResponse)
async def add_category_page(request: Request, session: DbSession, viewer: Viewer) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    form, org_id = await _form_with_organisation(request)
    entry = {
        "code": form.get("code", "").strip(),
        "name_en": form.get("name_en", "").strip(),
        "name_zh": form.get("name_zh", "").strip(),
        "personal": form.get("personal") == "on",
        "sensitive": form.get("sensitive") == "on",
        "default_grade": form.get("default_grade", ""),
        "basis": [],
    }
    try:
        check_csrf(request, form.get("csrf_token"))
        if org_id is None:
            raise validation_error("organisation_id", "choose an organisation")
        service.add_category(session, actor=viewer, organisation_id=org_id, entry=entry)
    except DomainError as exc:
        session.rollback()
        issues = [f"{issue.field}: {issue.message}" for issue in exc.fields]
        return render(
            request,
            "dataflow/categories.html",
            {
                **_categories_context(session, viewer, org_id),
                "error": exc.detail,
                "issues": issues,
                "form": form,
            },
            status_code=exc.status,
        )
    return RedirectResponse(f"/dataflow/categories?organisation_id={org_id}", status_code=303)
