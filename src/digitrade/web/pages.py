"""Pages of the web shell: home dashboard, sign in/out, audit trail, API keys."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from digitrade.core import audit
from digitrade.core.audit import AuditEvent
from digitrade.core.auth import service
from digitrade.core.auth.dependencies import (
    DbSession,
    ReadSession,
    check_csrf,
    platform,
    session_principal,
)
from digitrade.core.auth.models import Organisation
from digitrade.core.auth.permissions import AUDIT_READ, KEY_MANAGE, Role
from digitrade.core.auth.principal import Principal
from digitrade.core.auth.schemas import ApiKeyCreate
from digitrade.core.db import utcnow
from digitrade.core.errors import DomainError, NotFound
from digitrade.core.ledger.models import LedgerTree
from digitrade.web.templating import gettext_for, render

router = APIRouter(include_in_schema=False)

# Failed sign-ins one client address may make per window, over all accounts, as a multiple of
# the per-account limit (several people may share an address behind a NAT).
ADDRESS_ALLOWANCE = 4

# Field ids of ApiKeyCreate -> the labels people see on the keys form (msgids of keys.html).
KEY_FORM_LABELS = {
    "organisation_id": "Organisation",
    "name": "Name",
    "role": "Role",
    "expires_in_days": "Expires in (days)",
}


def current_page_principal(request: Request, session: DbSession) -> Principal:
    principal = session_principal(request, session)
    request.state.principal = principal
    return principal


Viewer = Annotated[Principal, Depends(current_page_principal)]


def reading_page_principal(request: Request, session: ReadSession) -> Principal:
    return current_page_principal(request, session)


# For pages whose POST stores nothing (checking an uploaded file): no write lock is taken.
ReadingViewer = Annotated[Principal, Depends(reading_page_principal)]


def organisations_where(session: Session, viewer: Principal, permission: str) -> list[Any]:
    """The organisations the viewer belongs to and may do ``permission`` in (pickers on pages)."""
    if not viewer.is_authenticated:
        return []
    return [
        org
        for org in service.list_organisations(session, actor=viewer, limit=200).items
        if viewer.can(permission, org.id)
    ]


def login_redirect(request: Request) -> RedirectResponse:
    """Send an anonymous visitor to sign in, then back to the page asked for."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never redirect a user to another host after login.
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def activity_by_day(session: Session, *, actor: Principal, days: int = 14) -> list[tuple[str, int]]:
    """Audit events per UTC day over the last ``days`` days, as the actor may see them."""
    since = (utcnow() - dt.timedelta(days=days - 1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    query = select(AuditEvent.occurred_at).where(AuditEvent.occurred_at >= since)
    if not actor.is_platform_admin:
        visible = [o for o in actor.organisation_ids if actor.can(AUDIT_READ, o)]
        query = query.where(AuditEvent.organisation_id.in_(visible))
    counts: dict[str, int] = {}
    for occurred_at in session.scalars(query):
        key = occurred_at.date().isoformat()
        counts[key] = counts.get(key, 0) + 1
    return [
        (
            (since + dt.timedelta(days=i)).date().isoformat(),
            counts.get((since + dt.timedelta(days=i)).date().isoformat(), 0),
        )
        for i in range(days)
    ]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: DbSession, viewer: Viewer) -> Response:
    plat = platform(request)
    try:
        session.execute(text("SELECT 1"))
        database_ok = True
    except Exception:
        database_ok = False
    statuses = [(system, *system.live_status(session)) for system in plat.systems]
    context: dict[str, object] = {
        "statuses": statuses,
        "database_ok": database_ok,
        "database_backend": session.get_bind().dialect.name,
        "organisation_count": session.scalar(select(func.count(Organisation.id))) or 0,
        "ledger_entries": int(  # SUM of BIGINT is NUMERIC (a Decimal) on PostgreSQL
            session.scalar(select(func.coalesce(func.sum(LedgerTree.size), 0))) or 0
        ),
    }
    if viewer.is_authenticated and viewer.can(AUDIT_READ):
        context["activity"] = activity_by_day(session, actor=viewer)
    return render(request, "core/home.html", context)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, viewer: Viewer, next: str = "/") -> Response:
    return render(request, "core/login.html", {"next": _safe_next(next), "email": ""})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: DbSession,
    viewer: Viewer,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    _ = gettext_for(request)
    context = {"next": _safe_next(next), "email": email}
    limiter = platform(request).login_limiter
    client = request.client.host if request.client else "unknown"
    limit_key = f"{client}|{email.strip().lower()}"
    # A second, wider bucket per address: changing the e-mail on every try does not help.
    address_key = f"{client}|*"
    try:
        check_csrf(request, csrf_token)
        limiter.check(limit_key)
        limiter.check(address_key, allowance=ADDRESS_ALLOWANCE)
        if not email or not password:
            return render(
                request,
                "core/login.html",
                {**context, "error": _("Enter your e-mail and password.")},
                status_code=422,
            )
        principal = service.authenticate_password(session, email=email, password=password)
    except DomainError as exc:
        if exc.status == 401:
            limiter.record_failure(limit_key)
            limiter.record_failure(address_key)
            message = _("E-mail or password is wrong.")
        elif exc.status == 429:
            message = _("Too many failed attempts. Wait a few minutes and try again.")
        else:
            message = exc.detail
        return render(
            request, "core/login.html", {**context, "error": message}, status_code=exc.status
        )
    limiter.reset(limit_key)
    request.session.clear()  # a fresh session (and CSRF token) after login: no fixation
    request.session["uid"] = principal.user_id
    return RedirectResponse(context["next"], status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf_token)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    session: DbSession,
    viewer: Viewer,
    organisation_id: str = "",
    action: str = "",
    offset: int = 0,
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    org_filter = int(organisation_id) if organisation_id.isdigit() else None
    page = audit.list_events(
        session,
        actor=viewer,
        organisation_id=org_filter,
        action=action or None,
        limit=25,
        offset=max(offset, 0),
    )
    organisations = service.list_organisations(session, actor=viewer, limit=200).items
    template = "core/_audit_rows.html" if request.headers.get("hx-request") else "core/audit.html"
    return render(
        request,
        template,
        {
            "page": page,
            "organisations": organisations,
            "organisation_id": org_filter,
            "action": action,
        },
    )


def _keys_context(
    session: Session, viewer: Principal, organisation_id: int | None
) -> dict[str, object]:
    manageable = [
        o
        for o in service.list_organisations(session, actor=viewer, limit=200).items
        if viewer.can(KEY_MANAGE, o.id)
    ]
    if organisation_id is None and manageable:
        organisation_id = manageable[0].id
    keys = (
        service.list_api_keys(
            session, actor=viewer, organisation_id=organisation_id, limit=200
        ).items
        if organisation_id is not None
        else []
    )
    return {
        "organisations": manageable,
        "organisation_id": organisation_id,
        "keys": keys,
        "roles": list(Role),
        "now": utcnow(),
    }


@router.get("/keys", response_class=HTMLResponse)
def keys_page(
    request: Request, session: DbSession, viewer: Viewer, organisation_id: int | None = None
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    return render(request, "core/keys.html", _keys_context(session, viewer, organisation_id))


@router.post("/keys", response_class=HTMLResponse)
def create_key_page(
    request: Request,
    session: DbSession,
    viewer: Viewer,
    organisation_id: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "viewer",
    expires_in_days: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    _ = gettext_for(request)
    org_id = int(organisation_id) if organisation_id.isdigit() else None
    form = {"name": name, "role": role, "expires_in_days": expires_in_days}
    try:
        check_csrf(request, csrf_token)
        data = ApiKeyCreate.model_validate(
            {
                "organisation_id": org_id,
                "name": name.strip(),
                "role": role,
                "expires_in_days": int(expires_in_days) if expires_in_days.strip() else None,
            }
        )
        issued = service.create_api_key(
            session,
            actor=viewer,
            data=data,
            default_days=platform(request).settings.api_key_default_days,
        )
    except (ValidationError, ValueError) as exc:
        fields = (
            sorted({str(e["loc"][0]) for e in exc.errors()})
            if isinstance(exc, ValidationError)
            else ["expires_in_days"]
        )
        labels = ", ".join(_(KEY_FORM_LABELS.get(f, f)) for f in fields)
        message = _("Please correct: %(fields)s") % {"fields": labels}
        return render(
            request,
            "core/keys.html",
            {**_keys_context(session, viewer, org_id), "error": message, "form": form},
            status_code=422,
        )
    except DomainError as exc:
        session.rollback()
        return render(
            request,
            "core/keys.html",
            {**_keys_context(session, viewer, org_id), "error": exc.detail, "form": form},
            status_code=exc.status,
        )
    return render(
        request, "core/keys.html", {**_keys_context(session, viewer, org_id), "issued": issued}
    )


@router.post("/keys/{key_id}/revoke", response_class=HTMLResponse)
def revoke_key_page(
    request: Request,
    session: DbSession,
    viewer: Viewer,
    key_id: int,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    if not viewer.is_authenticated:
        return login_redirect(request)
    try:
        check_csrf(request, csrf_token)
        revoked = service.revoke_api_key(session, actor=viewer, key=key_id)
    except NotFound:
        raise
    except DomainError as exc:
        session.rollback()
        return render(
            request,
            "core/keys.html",
            {**_keys_context(session, viewer, None), "error": exc.detail},
            status_code=exc.status,
        )
    return RedirectResponse(f"/keys?organisation_id={revoked.organisation_id}", status_code=303)
