"""The platform's own air cargo API under ``/api/aircargo``: shipment records (timeline, route
map, parties, notifications), JSON-LD export, the notification log with its dead letters, and the
partner servers this one delivers to. The ONE Record API itself is ``/onerecord``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from digitrade.core.auth.dependencies import ApiPrincipal, DbSession
from digitrade.core.auth.principal import Principal
from digitrade.core.errors import NotFound, PermissionDenied, ValidationFailed
from digitrade.systems.aircargo import delivery, records, service
from digitrade.systems.aircargo.context import agent_cache, reader_factory, server_for
from digitrade.systems.aircargo.linkeddata import dump
from digitrade.systems.aircargo.permissions import MANAGE
from digitrade.systems.aircargo.schemas import (
    NotificationRow,
    ObjectSummary,
    PartnerRead,
    PartnerRegistration,
    ShipmentRecord,
)
from digitrade.systems.aircargo.service import Caller, OneRecordError, Server

router = APIRouter(tags=["aircargo"])
Limit = Annotated[int, Query(ge=1, le=200)]


def domain_error(error: OneRecordError) -> Exception:
    reasons = [message for message, _ in error.details if message != error.title]
    message = error.title + (": " + "; ".join(reasons) if reasons else "")
    if error.status == 404:
        return NotFound(message)
    if error.status in (401, 403):
        return PermissionDenied(message)
    return ValidationFailed(message)


def caller_for(request: Request, session: Any, server: Server, principal: Principal) -> Caller:
    try:
        return service.ensure_caller(
            reader_factory(request), session, server, principal, agent_cache(request)
        )
    except OneRecordError as exc:
        raise domain_error(exc) from None


@router.get("/objects", summary="Search logistics objects (air waybill number, id or IRI)")
def search_objects(
    request: Request,
    session: DbSession,
    principal: ApiPrincipal,
    q: str = "",
    limit: Limit = 50,
) -> list[ObjectSummary]:
    server = server_for(request)
    return records.search(session, caller_for(request, session, server, principal), q, limit)


@router.get(
    "/objects/{object_id}/record",
    summary="A shipment record: objects, timeline, route map, route, parties, notifications",
)
def shipment_record(
    request: Request, session: DbSession, principal: ApiPrincipal, object_id: str
) -> ShipmentRecord:
    server = server_for(request)
    caller = caller_for(request, session, server, principal)
    try:
        return records.shipment_record(session, server, caller, object_id)
    except OneRecordError as exc:
        raise domain_error(exc) from None


@router.get(
    "/objects/{object_id}/export",
    summary="Export a shipment record as one JSON-LD graph",
    response_class=Response,
    responses={200: {"content": {"application/ld+json": {}}}},
)
def export_record(
    request: Request, session: DbSession, principal: ApiPrincipal, object_id: str
) -> Response:
    server = server_for(request)
    caller = caller_for(request, session, server, principal)
    try:
        graph = records.export_graph(session, server, caller, object_id)
    except OneRecordError as exc:
        raise domain_error(exc) from None
    return Response(
        dump(graph),
        media_type="application/ld+json",
        headers={"Content-Disposition": f'attachment; filename="{object_id}.jsonld"'},
    )


@router.get("/notifications", summary="Notifications sent (with dead letters) and received")
def notifications(
    session: DbSession,
    principal: ApiPrincipal,
    status: Annotated[str | None, Query(pattern="^(pending|delivered|dead|received)$")] = None,
    limit: Limit = 100,
) -> list[NotificationRow]:
    if not principal.can(MANAGE):
        raise PermissionDenied("the notification log is for air cargo managers")
    return records.notification_log(session, status, limit)


@router.post("/notifications/{notification_id}/retry", summary="Re-queue a dead letter")
def retry_notification(
    session: DbSession, principal: ApiPrincipal, notification_id: int
) -> dict[str, Any]:
    if not principal.can(MANAGE):
        raise PermissionDenied("re-queuing notifications is for air cargo managers")
    try:
        notification = delivery.requeue(session, notification_id)
    except LookupError as exc:
        raise NotFound(str(exc)) from None
    return {"id": notification.id, "status": notification.status}


@router.get("/partners", summary="Partner servers this one delivers notifications to")
def partners(session: DbSession, principal: ApiPrincipal) -> list[PartnerRead]:
    if not principal.can(MANAGE):
        raise PermissionDenied("partners are for air cargo managers")
    return service.list_partners(session)


@router.post("/partners", status_code=201, summary="Register a partner's ONE Record server")
def register_partner(
    session: DbSession, principal: ApiPrincipal, data: PartnerRegistration
) -> PartnerRead:
    if not principal.is_platform_admin:
        raise PermissionDenied("registering partner servers is for platform administrators")
    try:
        return service.register_partner_by_slug(session, data)
    except LookupError as exc:
        raise NotFound(str(exc)) from None
