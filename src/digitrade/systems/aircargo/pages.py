"""Air cargo pages: finding a waybill, shipment or piece on this ONE Record server, the shipment
record (Cargo iQ route map planned against actual, timeline, route, parties, related objects and
notifications) and the subscription and notification log with retries of dead letters."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from digitrade.core.auth.dependencies import DbSession, check_csrf, platform
from digitrade.core.auth.principal import Principal
from digitrade.core.errors import DomainError, NotFound, PermissionDenied
from digitrade.systems.aircargo import delivery, records, service
from digitrade.systems.aircargo.context import agent_cache, reader_factory, server_for
from digitrade.systems.aircargo.demo import DEMO_AWB
from digitrade.systems.aircargo.models import LogisticsObject, Notification
from digitrade.systems.aircargo.permissions import MANAGE, READ
from digitrade.systems.aircargo.schemas import NotificationRow, ShipmentRecord
from digitrade.systems.aircargo.service import Caller, OneRecordError, Server
from digitrade.systems.aircargo.vocabulary import API
from digitrade.web.pages import Viewer, login_redirect
from digitrade.web.templating import gettext_for, render, request_language

router = APIRouter(include_in_schema=False)

# The status filter of the notification log, in the order people read it ("" is all).
NOTIFICATION_STATUSES = ("", "pending", "delivered", "dead", "received")
SEARCH_LIMIT = 50


def utc(value: dt.datetime | None) -> str:
    """``2026-11-21 17:40 UTC``; empty when unknown. Naive times are stored in UTC."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _page_error(error: OneRecordError) -> DomainError:
    """A ONE Record refusal as the platform's page error (404, 403, or a plain 400)."""
    detail = "; ".join(message for message, _ in error.details) or error.title
    if error.status == 404:
        return NotFound(detail)
    if error.status in (401, 403):
        return PermissionDenied(detail)
    return DomainError(detail)


def _caller(request: Request, session: Session, server: Server, viewer: Principal) -> Caller:
    if not viewer.can(READ):
        raise PermissionDenied("reading air cargo records needs the aircargo.read permission")
    try:
        return service.ensure_caller(
            reader_factory(request), session, server, viewer, agent_cache(request)
        )
    except OneRecordError as exc:
        raise _page_error(exc) from exc


def _may_see(session: Session, caller: Caller, row: NotificationRow) -> bool:
    """A notification is shown to whoever may read the logistics object it is about."""
    if caller.is_admin:
        return True
    if not row.object_iri:
        return False
    obj = session.scalar(select(LogisticsObject).where(LogisticsObject.iri == row.object_iri))
    if obj is None:
        return False
    return service.has_permission(session, caller, obj, API + "GET_LOGISTICS_OBJECT")


def _is_demo(record: ShipmentRecord) -> bool:
    return any(summary.awb == DEMO_AWB for summary in record.objects)


def _check_digit_message(request: Request, awb: str) -> str:
    _ = gettext_for(request)
    text: str = _(
        "%(awb)s is not a valid air waybill number: its last digit should be the "
        "first seven digits of the serial modulo 7."
    ) % {"awb": awb}
    return text


# Search --------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, session: DbSession, viewer: Viewer, q: str = "") -> Response:
    """The search form, the latest waybills, shipments and pieces the viewer may read, and the
    facts of this ONE Record server."""
    if not viewer.is_authenticated:
        return login_redirect(request)
    server = server_for(request)
    caller = _caller(request, session, server, viewer)
    _ = gettext_for(request)
    query = q.strip()[:300]
    awb = records.normalise_awb(query) if query else None
    found = records.search(session, caller, query, limit=SEARCH_LIMIT)
    if query and len(found) == 1:
        return RedirectResponse(f"/aircargo/objects/{found[0].id}", status_code=303)
    message = None
    if query and not found:
        if awb and not records.awb_check_digit_ok(awb):
            message = _check_digit_message(request, awb)
        elif awb:
            message = _("No air waybill %(awb)s that you may read.") % {"awb": awb}
        else:
            message = _("Nothing found for %(query)s that you may read.") % {"query": query}
    return render(
        request,
        "aircargo/search.html",
        {
            "query": query,
            "results": found,
            "message": message,
            "server": server,
            "utc": utc,
        },
        status_code=404 if message else 200,
    )


# Record --------------------------------------------------------------------------------------


@router.get("/objects/{object_id}", response_class=HTMLResponse)
def record_page(request: Request, session: DbSession, viewer: Viewer, object_id: str) -> Response:
    """The shipment record around one logistics object."""
    if not viewer.is_authenticated:
        return login_redirect(request)
    server = server_for(request)
    caller = _caller(request, session, server, viewer)
    try:
        record = records.shipment_record(session, server, caller, object_id)
    except OneRecordError as exc:
        raise _page_error(exc) from exc
    chinese = request_language(request) == "zh-Hans"
    milestones = record.milestones
    reached = sum(1 for m in milestones if m.actual is not None)
    return render(
        request,
        "aircargo/record.html",
        {
            "record": record,
            "root": record.root,
            "reached": reached,
            "chart_labels": [m.milestone_zh if chinese else m.milestone for m in milestones],
            "chart_values": [m.delay_minutes for m in milestones],
            "illustrative": _is_demo(record),
            "codes": record.location_codes,
            "export_href": f"/api/aircargo/objects/{record.root.id}/export",
            "utc": utc,
        },
    )


# Public tracking -----------------------------------------------------------------------------


@router.get("/track", response_class=HTMLResponse)
def tracking_page(request: Request, session: DbSession, viewer: Viewer, awb: str = "") -> Response:
    """Track an air waybill without an account: milestones planned and actual, and the route;
    no parties, goods or documents."""
    if not platform(request).settings.onerecord_public_tracking and not viewer.is_authenticated:
        return login_redirect(request)
    _ = gettext_for(request)
    query = awb.strip()[:20]
    number = records.normalise_awb(query) if query else None
    record = None
    message = None
    if query and number is None:
        message = _("Give an air waybill number such as 000-12345675.")
    elif number and not records.awb_check_digit_ok(number):
        message = _check_digit_message(request, number)
    elif number:
        record = records.public_tracking(session, number)
        if record is None:
            message = _("No shipment with air waybill %(awb)s is tracked here.") % {"awb": number}
    chinese = request_language(request) == "zh-Hans"
    return render(
        request,
        "aircargo/track.html",
        {
            "query": query,
            "awb": number,
            "message": message,
            "milestones": record.milestones if record else [],
            "reached": sum(1 for m in record.milestones if m.actual) if record else 0,
            "route": record.route if record else [],
            "codes": record.location_codes if record else {},
            "chinese": chinese,
            "illustrative": record is not None and _is_demo(record),
            "utc": utc,
        },
        status_code=_tracking_status(query, number, record is not None),
    )


def _tracking_status(query: str, number: str | None, found: bool) -> int:
    if found or not query:
        return 200
    if number and records.awb_check_digit_ok(number):
        return 404  # a well-formed number nobody publishes here
    return 400


# Notifications -------------------------------------------------------------------------------


def _notifications_page(
    request: Request,
    session: Session,
    viewer: Principal,
    status: str,
    *,
    notice: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    server = server_for(request)
    caller = _caller(request, session, server, viewer)
    chosen = status if status in NOTIFICATION_STATUSES else ""
    rows = [
        row
        for row in records.notification_log(session, chosen or None)
        if _may_see(session, caller, row)
    ]
    return render(
        request,
        "aircargo/notifications.html",
        {
            "rows": rows,
            "status": chosen,
            "statuses": NOTIFICATION_STATUSES,
            "can_manage": viewer.can(MANAGE),
            "notice": notice,
            "error": error,
            "utc": utc,
        },
        status_code=status_code,
    )


@router.get("/notifications", response_class=HTMLResponse)
def notifications_page(
    request: Request, session: DbSession, viewer: Viewer, status: str = "", retried: str = ""
) -> Response:
    """Notifications sent to subscribers and received from partners, filtered by status."""
    if not viewer.is_authenticated:
        return login_redirect(request)
    _ = gettext_for(request)
    notice = None
    if retried.isdigit():
        notice = _("Notification %(id)s is queued for delivery again.") % {"id": retried}
    return _notifications_page(request, session, viewer, status, notice=notice)


@router.post("/notifications/{notification_id}/retry", response_class=HTMLResponse)
async def retry_notification(
    request: Request, session: DbSession, viewer: Viewer, notification_id: str
) -> Response:
    """Put a dead-lettered notification back in the delivery queue."""
    if not viewer.is_authenticated:
        return login_redirect(request)
    form = await request.form()
    status = str(form.get("status", ""))
    _ = gettext_for(request)
    check_csrf(request, str(form.get("csrf_token", "")))
    if not viewer.can(MANAGE):
        raise PermissionDenied("retrying notifications needs the aircargo.manage permission")
    server = server_for(request)
    caller = _caller(request, session, server, viewer)
    notification = (
        session.get(Notification, int(notification_id)) if notification_id.isdigit() else None
    )
    row = (
        NotificationRow(
            id=notification.id,
            direction="sent",
            event_type=notification.event_type,
            object_iri=notification.object_iri,
            status=notification.status,
            attempts=notification.attempts,
            target=notification.target_url,
            last_error=notification.last_error,
            created_at=notification.created_at,
        )
        if notification is not None
        else None
    )
    if row is None or not _may_see(session, caller, row):
        error = _("There is no notification %(id)s.") % {"id": notification_id[:20]}
        return _notifications_page(request, session, viewer, status, error=error, status_code=404)
    if row.status != "dead":
        error = _("Notification %(id)s is not dead-lettered: only those can be retried.") % {
            "id": row.id
        }
        return _notifications_page(request, session, viewer, status, error=error, status_code=409)
    delivery.requeue(session, row.id)
    query = urlencode({"status": status, "retried": row.id} if status else {"retried": row.id})
    return RedirectResponse(f"/aircargo/notifications?{query}", status_code=303)
