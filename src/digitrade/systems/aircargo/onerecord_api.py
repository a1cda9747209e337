"""The IATA ONE Record API 2.0/2.2 (standard endpoints only), mounted at ``/onerecord``.

Kept apart from the platform's own air cargo API (``/api/aircargo``): these paths, bodies,
headers and errors are those of the ONE Record specification. Callers authenticate with a
platform API key (``Authorization: Bearer dtk_...``); the key's organisation is the caller's
logistics agent. Errors are ``api:Error`` documents, never RFC 9457 problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Coroutine
from email.utils import format_datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from digitrade.core.auth import service as auth_service
from digitrade.core.auth.dependencies import (
    SAFE_METHODS,
    DbSession,
    platform,
    session_principal,
)
from digitrade.core.errors import DomainError
from digitrade.systems.aircargo import linkeddata as ld
from digitrade.systems.aircargo import service
from digitrade.systems.aircargo.context import agent_cache, reader_factory, server_for
from digitrade.systems.aircargo.models import LogisticsObject, Revision
from digitrade.systems.aircargo.service import Caller, OneRecordError, Server
from digitrade.systems.aircargo.vocabulary import ACCEPTED_VERSION_PARAMETERS, API

MEDIA_TYPE = "application/ld+json"
_ACCEPTABLE = {MEDIA_TYPE, "application/json", "*/*", "application/*"}


def error_response(error: OneRecordError, server: Server | None = None) -> Response:
    version = server.version.name if server else "2.2.0"
    return Response(
        ld.dump(ld.compact(service.error_node(error))),
        status_code=error.status,
        media_type=f"{MEDIA_TYPE}; version={version}",
        headers={"Content-Language": service.LANGUAGE, "Type": API + "Error"},
    )


def _canonical_case(response: Response) -> Response:
    """Header names as the specification writes them (``Type``, ``Latest-Revision``): HTTP
    ignores case, but clients that match header names literally (IATA's 2.0 tests) do not."""
    response.raw_headers = [
        (b"-".join(part.capitalize() for part in name.split(b"-")), value)
        for name, value in response.raw_headers
    ]
    return response


class OneRecordRoute(APIRoute):
    """Every failure on these routes answers as an ``api:Error``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            return _canonical_case(await _answer(request))

        async def _answer(request: Request) -> Response:
            try:
                return await original(request)
            except OneRecordError as exc:
                return error_response(exc, server_for(request))
            except RequestValidationError as exc:
                details = [(str(e.get("msg")), None) for e in exc.errors()]
                return error_response(OneRecordError(400, "invalid request", details))
            except DomainError as exc:
                status = getattr(exc, "status", 400)
                return error_response(OneRecordError(status, str(exc)), server_for(request))
            except StarletteHTTPException as exc:
                return error_response(OneRecordError(exc.status_code, str(exc.detail)))

        return handler


router = APIRouter(route_class=OneRecordRoute, tags=["aircargo: IATA ONE Record API"])


def _caller(request: Request, session: Any, server: Server) -> Caller:
    """The API key's organisation; a signed-in browser may also read (GET, HEAD): the IRIs on
    the platform's pages then open. Writes always need a key (no cookie-borne writes)."""
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if not authorization and request.method in SAFE_METHODS:
        principal = session_principal(request, session)
        if not principal.is_authenticated:
            raise OneRecordError(401, "authentication required: send 'Authorization: Bearer <key>'")
    elif scheme.lower() != "bearer" or not token.strip():
        raise OneRecordError(401, "authentication required: send 'Authorization: Bearer <key>'")
    else:
        try:
            principal = auth_service.authenticate_api_key(session, token.strip())
        except DomainError:
            raise OneRecordError(401, "the API key is unknown, expired or revoked") from None
    return service.ensure_caller(
        reader_factory(request), session, server, principal, agent_cache(request)
    )


def _holder_agent(request: Request, session: Any, server: Server, caller: Caller) -> str:
    holder = service.data_holder_id(session, server)
    if holder is None:
        return caller.agent_iri
    return service.ensure_agent_iri(reader_factory(request), session, server, holder)


def _media_parameters(value: str) -> tuple[str, dict[str, str]]:
    kind, *params = [part.strip() for part in value.split(";")]
    parsed = {}
    for param in params:
        name, _, text = param.partition("=")
        parsed[name.strip().lower()] = text.strip().strip('"')
    return kind.lower(), parsed


def _check_accept(request: Request) -> None:
    accept = request.headers.get("accept")
    if not accept:
        return
    for entry in accept.split(","):
        kind, params = _media_parameters(entry)
        version = params.get("version")
        if kind in _ACCEPTABLE and (version is None or version in ACCEPTED_VERSION_PARAMETERS):
            return
    raise OneRecordError(
        406, f"cannot answer in {accept}", [(f"this server answers {MEDIA_TYPE}", None)]
    )


async def _body(request: Request) -> Any:
    kind, params = _media_parameters(request.headers.get("content-type", ""))
    if kind not in (MEDIA_TYPE, "application/json"):
        raise OneRecordError(
            415,
            "Unsupported media type",
            [(f"send the body as {MEDIA_TYPE}, not '{kind or 'nothing'}'", None)],
        )
    version = params.get("version")
    if version is not None and version not in ACCEPTED_VERSION_PARAMETERS:
        raise OneRecordError(415, f"ONE Record API version {version} is not supported")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > ld.MAX_BODY_BYTES:
        raise OneRecordError(413, f"the document is larger than {ld.MAX_BODY_BYTES:,} bytes")
    try:
        return ld.parse_json(await request.body())
    except ld.LinkedDataError as exc:
        raise OneRecordError(400, exc.title) from None


def _http_date(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return format_datetime(value.astimezone(dt.UTC), usegmt=True)


def _document(
    body: bytes | str,
    server: Server,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    payload = body.encode("utf-8") if isinstance(body, str) else body
    all_headers = {"Content-Language": service.LANGUAGE, **(headers or {})}
    return Response(
        payload,
        status_code=status,
        media_type=f"{MEDIA_TYPE}; version={server.version.name}",
        headers=all_headers,
    )


def _node_response(
    node: ld.Node, server: Server, *, modified: dt.datetime, type_header: str
) -> Response:
    return _document(
        ld.dump(ld.compact(node)),
        server,
        headers={"Type": type_header, "Last-Modified": _http_date(modified)},
    )


def _created(location: str, type_iri: str) -> Response:
    return Response(status_code=201, headers={"Location": location, "Type": type_iri})


@router.get("/", summary="Server information (api:ServerInformation)")
def server_information(request: Request, session: DbSession) -> Response:
    server = server_for(request)
    _check_accept(request)
    caller = _caller(request, session, server)
    node = service.server_information(server, _holder_agent(request, session, server, caller))
    return _node_response(
        node, server, modified=_started(request), type_header=API + "ServerInformation"
    )


def _started(request: Request) -> dt.datetime:
    extras = platform(request).extras
    started = extras.setdefault("onerecord_started", dt.datetime.now(dt.UTC))
    assert isinstance(started, dt.datetime)
    return started


@router.post(
    "/logistics-objects",
    status_code=201,
    summary="Create a logistics object",
    description="Body: one logistics object in JSON-LD. 201 with Location and Type; the object "
    "is validated against the cargo ontology of the configured API version.",
)
async def create_object(request: Request, session: DbSession) -> Response:
    server = server_for(request)
    body = await _body(request)
    caller = _caller(request, session, server)
    obj = service.create_object(session, server, caller, body)
    return _created(obj.iri, obj.primary_type)


def _object_headers(obj: LogisticsObject, revision: Revision) -> dict[str, str]:
    return {
        "Type": obj.primary_type,
        "Revision": str(revision.revision),
        "Latest-Revision": str(obj.revision),
        "Last-Modified": _http_date(revision.created_at),
        "ETag": f'"{obj.id}-{revision.revision}"',
    }


def _read_object(
    request: Request, session: Any, object_id: str, at: str | None
) -> tuple[Server, Caller, LogisticsObject, Revision]:
    server = server_for(request)
    _check_accept(request)
    caller = _caller(request, session, server)
    moment = service.parse_at(at) if at else None
    obj, revision = service.object_revision(session, server, caller, object_id, moment)
    return server, caller, obj, revision


@router.get(
    "/logistics-objects/{object_id}",
    summary="Get a logistics object",
    description="`embedded=true` nests the linked logistics objects; `at=20231201T080000Z` "
    "gives the revision current at that time. Headers: Type, Revision, Latest-Revision, "
    "Last-Modified.",
)
def get_object(
    request: Request,
    session: DbSession,
    object_id: str,
    embedded: bool = False,
    at: str | None = None,
) -> Response:
    if not embedded and not at:
        # The common case in one query, served from the revision's stored compaction.
        server = server_for(request)
        _check_accept(request)
        caller = _caller(request, session, server)
        stored = service.latest_document(session, server, caller, object_id)
        headers = {
            "Type": stored.primary_type,
            "Revision": str(stored.revision),
            "Latest-Revision": str(stored.latest_revision),
            "Last-Modified": _http_date(stored.modified),
            "ETag": f'"{stored.object_id}-{stored.revision}"',
        }
        return _document(stored.document, server, headers=headers)
    server, caller, obj, revision = _read_object(request, session, object_id, at)
    body = (
        service.embedded_document(session, server, caller, obj, revision)
        if embedded
        else revision.document
    )
    return _document(body, server, headers=_object_headers(obj, revision))


@router.head("/logistics-objects/{object_id}", summary="Headers of a logistics object (2.2)")
def head_object(
    request: Request, session: DbSession, object_id: str, at: str | None = None
) -> Response:
    server, _, obj, revision = _read_object(request, session, object_id, at)
    return Response(
        status_code=200,
        media_type=f"{MEDIA_TYPE}; version={server.version.name}",
        headers={"Content-Language": service.LANGUAGE, **_object_headers(obj, revision)},
    )


@router.patch(
    "/logistics-objects/{object_id}",
    status_code=201,
    summary="Request a change to a logistics object",
    description="Body: an api:Change. Creates an api:ChangeRequest (201, Location under "
    "/action-requests/); the object changes when its owner accepts the request.",
)
async def patch_object(request: Request, session: DbSession, object_id: str) -> Response:
    server = server_for(request)
    body = await _body(request)
    caller = _caller(request, session, server)
    change_request = service.request_change(session, server, caller, object_id, body)
    return _created(server.request_iri(change_request.id), API + "ChangeRequest")


@router.get("/logistics-objects/{object_id}/audit-trail", summary="Audit trail of an object")
def audit_trail(request: Request, session: DbSession, object_id: str) -> Response:
    server = server_for(request)
    _check_accept(request)
    caller = _caller(request, session, server)
    node = service.audit_trail_node(session, server, caller, object_id)
    obj = service.find_object(session, server, object_id)
    return _node_response(node, server, modified=obj.updated_at, type_header=API + "AuditTrail")


@router.post(
    "/logistics-objects/{object_id}/logistics-events",
    status_code=201,
    summary="Record a logistics event",
)
async def create_event(request: Request, session: DbSession, object_id: str) -> Response:
    server = server_for(request)
    body = await _body(request)
    caller = _caller(request, session, server)
    event = service.add_event(session, server, caller, object_id, body)
    return _created(event.iri, "https://onerecord.iata.org/ns/cargo#LogisticsEvent")


def _list_events(request: Request, session: Any, object_id: str) -> Response:
    server = server_for(request)
    _check_accept(request)
    caller = _caller(request, session, server)
    params = request.query_params
    code = params.get(server.version.event_code_parameter) or params.get("eventType")
    code = code or params.get("event-code")
    try:
        limit = int(params["limit"]) if "limit" in params else None
        skip = int(params.get("skip", "0"))
    except ValueError:
        raise OneRecordError(400, "limit and skip must be whole numbers") from None
    if (limit is not None and limit < 0) or skip < 0:
        raise OneRecordError(400, "limit and skip must not be negative")
    filters = service.EventFilter(
        event_code=code,
        created_after=service.parse_at(params["created-after"])
        if "created-after" in params
        else None,
        created_before=service.parse_at(params["created-before"])
        if "created-before" in params
        else None,
        limit=limit,
        skip=skip,
    )
    obj, events, total = service.list_events(session, server, caller, object_id, filters)
    items = [ld.nest(event.iri, event.graph) for event in events]
    node = service.collection_node(obj.iri + "/logistics-events", items, total)
    modified = max((e.created_at for e in events), default=obj.updated_at)
    return _node_response(node, server, modified=modified, type_header=API + "Collection")


@router.get(
    "/logistics-objects/{object_id}/logistics-events",
    summary="List the events of an object",
    description="Filter by `event-code` (2.1+) or `eventType` (2.0), `created-after`, "
    "`created-before`; page with `limit` and `skip`. Answers an api:Collection.",
)
def list_events(request: Request, session: DbSession, object_id: str) -> Response:
    return _list_events(request, session, object_id)


@router.get("/logistics-objects/{object_id}/logistics-events/", include_in_schema=False)
def list_events_slash(request: Request, session: DbSession, object_id: str) -> Response:
    return _list_events(request, session, object_id)


@router.get(
    "/logistics-objects/{object_id}/logistics-events/{event_id}",
    summary="Get a logistics event",
)
def get_event(request: Request, session: DbSession, object_id: str, event_id: str) -> Response:
    server = server_for(request)
    _check_accept(request)
    caller = _caller(request, session, server)
    event = service.get_event(session, server, caller, object_id, event_id)
    return _document(
        event.document,
        server,
        headers={
            "Type": "https://onerecord.iata.org/ns/cargo#LogisticsEvent",
            "Last-Modified": _http_date(event.created_at),
        },
    )


@router.get(
    "/subscriptions",
    summary="Subscription information for a topic",
    description="`topicType` (api:LOGISTICS_OBJECT_TYPE or api:LOGISTICS_OBJECT_IDENTIFIER) "
    "and `topic` (a class or an object IRI): the api:Subscription this server would take out.",
)
def subscription_information(
    request: Request,
    session: DbSession,
    topicType: str | None = None,
    topic: str | None = None,
) -> Response:
    server = server_for(request)
    _check_accept(request)
    caller = _caller(request, session, server)
    subscriber = _holder_agent(request, session, server, caller)
    node = service.subscription_proposal(session, server, subscriber, topicType, topic)
    return _node_response(
        node, server, modified=dt.datetime.now(dt.UTC), type_header=API + "Subscription"
    )


@router.post(
    "/subscriptions",
    status_code=201,
    summary="Request a subscription",
    description="Body: an api:Subscription. Creates an api:SubscriptionRequest; once accepted, "
    "notifications go to the subscriber's server.",
)
async def create_subscription(request: Request, session: DbSession) -> Response:
    server = server_for(request)
    body = await _body(request)
    caller = _caller(request, session, server)
    action = service.request_subscription(session, server, caller, body)
    return _created(server.request_iri(action.id), API + "SubscriptionRequest")


@router.post(
    "/access-delegations",
    status_code=201,
    summary="Request access for another agent",
    description="Body: an api:AccessDelegation. Creates an api:AccessDelegationRequest; the "
    "object's owner accepts it, which grants the permissions.",
)
async def create_delegation(request: Request, session: DbSession) -> Response:
    server = server_for(request)
    body = await _body(request)
    caller = _caller(request, session, server)
    action = service.request_delegation(session, server, caller, body)
    return _created(server.request_iri(action.id), API + "AccessDelegationRequest")


@router.get("/action-requests/{request_id}", summary="Get an action request")
def get_action_request(request: Request, session: DbSession, request_id: str) -> Response:
    server = server_for(request)
    _check_accept(request)
    caller = _caller(request, session, server)
    action = service.read_request(session, server, caller, request_id)
    node = service.request_node(server, action)
    modified = action.revoked_at or action.decided_at or action.requested_at
    return _node_response(
        node, server, modified=modified, type_header=service.REQUEST_TYPES[action.kind]
    )


@router.patch(
    "/action-requests/{request_id}",
    status_code=204,
    summary="Accept, reject or revoke an action request",
    description="`status=REQUEST_ACCEPTED`, `REQUEST_REJECTED` (the object's owner) or "
    "`REQUEST_REVOKED` (the requester). 204 with Location and Type.",
)
def decide_action_request(
    request: Request, session: DbSession, request_id: str, status: str | None = None
) -> Response:
    server = server_for(request)
    caller = _caller(request, session, server)
    wanted = (status or "").removeprefix(API).removeprefix("api:")
    decision = service.decide(session, server, caller, request_id, wanted)
    if decision.error is not None:
        return error_response(decision.error, server)  # the request is stored as FAILED
    return Response(
        status_code=204,
        headers={
            "Location": server.request_iri(request_id),
            "Type": service.REQUEST_TYPES[decision.request.kind],
        },
    )


@router.delete("/action-requests/{request_id}", status_code=204, summary="Revoke an action request")
def revoke_action_request(request: Request, session: DbSession, request_id: str) -> Response:
    server = server_for(request)
    caller = _caller(request, session, server)
    service.revoke(session, server, caller, request_id)
    return Response(status_code=204)


@router.post(
    "/notifications",
    status_code=204,
    summary="Receive a notification",
    description="Body: an api:Notification from a server this one subscribed to.",
)
async def receive_notification(request: Request, session: DbSession) -> Response:
    server = server_for(request)
    body = await _body(request)
    caller = _caller(request, session, server)
    service.receive_notification(session, server, caller, body)
    return Response(status_code=204)


@router.api_route(
    "/{path:path}",
    methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
    include_in_schema=False,
)
def unknown_endpoint(request: Request, path: str) -> Response:
    """Anything else under /onerecord answers as the specification's errors do."""
    # The router's own routes carry their paths without the /onerecord prefix.
    scope = {**request.scope, "path": "/" + path, "root_path": ""}
    for route in router.routes:
        if isinstance(route, APIRoute) and route.name != "unknown_endpoint":
            match, _ = route.matches(scope)
            if match is Match.PARTIAL:
                raise OneRecordError(405, f"{request.method} is not allowed on this resource")
    raise OneRecordError(404, "no such ONE Record endpoint", resource=f"/{path}")
