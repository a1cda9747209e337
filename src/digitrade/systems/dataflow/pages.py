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
from digitrade.systems.dataflow import service, wizard
from digitrade.systems.dataflow.permissions import ASSESS, LISTS_MANAGE, REGISTER
from digitrade.systems.dataflow.rules import RULES_BY_ID
from digitrade.systems.dataflow.schemas import TransferCreate
from digitrade.systems.dataflow.wizard import number_field, request_from_form
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
PURPOSES = wizard.PURPOSES


def _wizard(
    request: Request,
    session: DbSession,
    viewer: Any,
    step: str,
    answers: dict[str, str],
    passed: set[str],
    *,
    errors: dict[str, str] | None = None,
    error: str | None = None,
    lookup: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """One step of the wizard, with every other answer carried as a hidden field."""
    steps = wizard.plan(answers, passed)
    if step not in steps:
        steps = (*steps, step)
    stop = wizard.early_stop(answers) if wizard.DATA in passed else None
    own = set(wizard.FIELDS[step])
    hidden = {name: value for name, value in answers.items() if name not in own}
    context: dict[str, Any] = {
        "step": step,
        "steps": steps,
        "number": steps.index(step) + 1,
        "form": answers,
        "hidden": hidden,
        "passed": ",".join(s for s in wizard.STEPS if s in passed),
        "errors": errors or {},
        "error": error,
        "early_stop": stop,
        "lookup": lookup,
        "purposes": PURPOSES,
        "purpose_labels": PURPOSE_LABELS,
        "pathway_labels": PATHWAY_LABELS,
        "today": dt.date.today().isoformat(),
    }
    if step == wizard.REVIEW:
        context["organisations"] = organisations_where(session, viewer, ASSESS)
    if step == wizard.FTZ:
        context["jurisdictions"] = sorted(
            {str(item["jurisdiction"]) for item in service.list_summaries(session)}
        )
    return render(request, "dataflow/wizard.html", context, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def wizard_start(request: Request, session: DbSession, viewer: Viewer) -> Response:
    return _wizard(request, session, viewer, wizard.PROCESSOR, {}, set())


@router.post("/wizard", response_class=HTMLResponse)
async def wizard_step(request: Request, session: DbSession, viewer: Viewer) -> Response:
    """Back, Next or Look up on one step: the answers come and go as form fields."""
    form = {key: str(value) for key, value in (await request.form()).items()}
    step = form.get("step", "")
    if step not in wizard.STEPS:
        step = wizard.PROCESSOR
    answers = wizard.answers_from_form(form, step)
    passed = wizard.passed_from_form(form)
    try:
        check_csrf(request, form.get("csrf_token"))
    except DomainError as exc:
        return _wizard(
            request,
            session,
            viewer,
            step,
            answers,
            passed,
            error=exc.detail,
            status_code=exc.status,
        )
    action = form.get("nav", "next")
    if action == "back":
        return _wizard(
            request, session, viewer, wizard.previous_step(step, answers, passed), answers, passed
        )
    if action == "lookup" and step == wizard.FTZ:
        return _ftz_lookup(request, session, viewer, answers, passed)
    errors = wizard.validate(step, answers)
    if errors:
        return _wizard(
            request, session, viewer, step, answers, passed, errors=errors, status_code=422
        )
    passed = passed | {step}
    return _wizard(
        request, session, viewer, wizard.next_step(step, answers, passed), answers, passed
    )


def _ftz_lookup(
    request: Request,
    session: DbSession,
    viewer: Any,
    answers: dict[str, str],
    passed: set[str],
) -> Response:
    """Match the sector and data items against the list in force (shipped or installed), and
    fill in the answer the match gives unless one was chosen."""
    items = [item.strip() for item in answers.get("ftz_items", "").split(",") if item.strip()]
    jurisdiction = answers.get("ftz_jurisdiction", "")
    errors: dict[str, str] = {}
    if not jurisdiction:
        errors["ftz_jurisdiction"] = wizard.N_("Choose the list to look in.")
    if not items:
        errors["ftz_items"] = wizard.N_("Name at least one data item or category.")
    if not answers.get("sector"):
        errors["ftz_items"] = wizard.N_("Go back and enter the sector: lists are by sector.")
    if errors:
        return _wizard(
            request, session, viewer, wizard.FTZ, answers, passed, errors=errors, status_code=422
        )
    try:
        found = service.match_list(
            session,
            jurisdiction=jurisdiction,
            sector=answers["sector"],
            data_items=items,
            as_of=_as_of(answers),
        )
    except DomainError as exc:
        return _wizard(
            request,
            session,
            viewer,
            wizard.FTZ,
            answers,
            passed,
            error=exc.detail,
            status_code=exc.status,
        )
    answers = {**answers, "ftz_list_match": str(found["result"])}
    pathways = {row.get("pathway") for row in found["rows"]}
    if found["result"] == "on_list" and len(pathways) == 1:
        (pathway,) = pathways
        if pathway in ("security_assessment", "standard_contract_or_certification"):
            answers["ftz_list_requirement"] = str(pathway)
    return _wizard(request, session, viewer, wizard.FTZ, answers, passed, lookup=found)


def _as_of(answers: dict[str, str]) -> dt.date:
    try:
        return dt.date.fromisoformat(answers.get("as_of", ""))
    except ValueError:
        return dt.date.today()


@router.post("/assess", response_class=HTMLResponse)
async def assess(request: Request, session: DbSession, viewer: Viewer) -> Response:
    form, org_id = await _form_with_organisation(request)
    answers = wizard.answers_from_form(form, wizard.REVIEW)
    passed = set(wizard.STEPS)
    try:
        check_csrf(request, form.get("csrf_token"))
        invalid = wizard.first_invalid(answers)
        if invalid is not None:
            step, errors = invalid
            return _wizard(
                request, session, viewer, step, answers, passed, errors=errors, status_code=422
            )
        result = service.assess(
            session,
            actor=viewer,
            request=request_from_form(wizard.for_request(answers, passed)),
            organisation_id=org_id,
        )
    except DomainError as exc:
        session.rollback()
        return _wizard(
            request,
            session,
            viewer,
            wizard.REVIEW,
            answers,
            passed,
            error=exc.detail,
            status_code=exc.status,
        )
    notes = [(rule_id, _rule_note(rule_id)) for rule_id in result.unverified]
    return render(
        request,
        "dataflow/result.html",
        {"result": result, "form": form, "notes": notes, "pathway_labels": PATHWAY_LABELS},
    )


def _rule_note(rule_id: str) -> tuple[str, str]:
    """A rule's note on its unverified reading, in English and Chinese."""
    rule = RULES_BY_ID.get(rule_id)
    return (rule.note, rule.note_zh) if rule is not None else ("", "")


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
                "individuals": number_field(form, "individuals"),
                "sensitive_individuals": number_field(form, "sensitive_individuals"),
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
