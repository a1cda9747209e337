"""The ONE Record server's rules over the database: objects and revisions, change requests,
events, subscriptions and notifications, access delegations.

Every function takes the ``Server`` (its base URL, API version, vocabulary) and the acting
``Caller`` (a platform organisation and its logistics agent IRI). Errors are
``OneRecordError`` carrying the HTTP status and the details of an ``api:Error``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from digitrade.core import audit
from digitrade.core.auth.models import Organisation
from digitrade.core.auth.principal import Principal
from digitrade.core.config import Settings
from digitrade.core.db import transaction, utcnow
from digitrade.systems.aircargo import linkeddata as ld
from digitrade.systems.aircargo.changes import Change, apply_change, parse_change
from digitrade.systems.aircargo.linkeddata import Graph, LinkedDataError, Node
from digitrade.systems.aircargo.models import (
    AccessGrant,
    ActionRequest,
    Agent,
    Event,
    Link,
    LogisticsObject,
    Notification,
    ReceivedNotification,
    Revision,
    Subscription,
)
from digitrade.systems.aircargo.schemas import PartnerRead, PartnerRegistration
from digitrade.systems.aircargo.vocabulary import (
    API,
    API_VERSIONS,
    CARGO,
    CODE_LIST_PREFIXES,
    LOGISTICS_EVENT,
    XSD,
    ApiVersion,
    Vocabulary,
    vocabulary_for,
)

PENDING, ACCEPTED, REJECTED, REVOKED, FAILED = (
    "REQUEST_PENDING",
    "REQUEST_ACCEPTED",
    "REQUEST_REJECTED",
    "REQUEST_REVOKED",
    "REQUEST_FAILED",
)
REQUEST_TYPES = {
    "change": API + "ChangeRequest",
    "subscription": API + "SubscriptionRequest",
    "access_delegation": API + "AccessDelegationRequest",
}
EVENT_TYPES = (
    API + "LOGISTICS_OBJECT_CREATED",
    API + "LOGISTICS_OBJECT_UPDATED",
    API + "LOGISTICS_EVENT_RECEIVED",
)
PERMISSIONS = frozenset(
    API + name
    for name in (
        "GET_LOGISTICS_OBJECT",
        "PATCH_LOGISTICS_OBJECT",
        "POST_LOGISTICS_EVENT",
        "GET_LOGISTICS_EVENT",
    )
)
TOPIC_IDENTIFIER = API + "LOGISTICS_OBJECT_IDENTIFIER"
TOPIC_TYPE = API + "LOGISTICS_OBJECT_TYPE"
LANGUAGE = "en-US"


class OneRecordError(Exception):
    """An error the API answers with an ``api:Error`` document."""

    def __init__(
        self,
        status: int,
        title: str,
        details: Sequence[tuple[str, str | None]] | None = None,
        *,
        resource: str | None = None,
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.details = list(details) if details else [(title, resource)]


def _bad(exc: LinkedDataError) -> OneRecordError:
    return OneRecordError(400, exc.title, exc.details)


@dataclass(frozen=True)
class Server:
    base_url: str  # the API root: {base_url}/logistics-objects/...
    version: ApiVersion
    refuse_unknown: bool = True
    data_holder: str = ""  # organisation slug; empty: the oldest organisation
    retry_base_seconds: float = 2.0
    max_attempts: int = 8
    allow_private: bool = False  # subscribers on private addresses

    @property
    def vocabulary(self) -> Vocabulary:
        return vocabulary_for(self.version.name)

    @property
    def objects_prefix(self) -> str:
        return self.base_url + "/logistics-objects/"

    @property
    def notifications_url(self) -> str:
        return self.base_url + "/notifications"

    def object_iri(self, object_id: str) -> str:
        return self.objects_prefix + object_id

    def request_iri(self, request_id: str) -> str:
        return f"{self.base_url}/action-requests/{request_id}"

    def local_id(self, iri: str) -> str | None:
        if iri.startswith(self.objects_prefix):
            rest = iri[len(self.objects_prefix) :]
            if rest and "/" not in rest and "#" not in rest:
                return rest
        return None


def server_from_settings(settings: Settings) -> Server:
    base = settings.onerecord_base_url or f"http://{settings.host}:{settings.port}/onerecord"
    return Server(
        base_url=base.rstrip("/"),
        version=API_VERSIONS[settings.onerecord_api_version],
        refuse_unknown=settings.onerecord_validation == "strict",
        data_holder=settings.onerecord_data_holder,
        retry_base_seconds=settings.onerecord_retry_base_seconds,
        max_attempts=settings.onerecord_max_attempts,
        allow_private=settings.onerecord_private_endpoints,
    )


@dataclass(frozen=True)
class Caller:
    organisation_id: int
    agent_iri: str
    principal: Principal = field(compare=False)

    @property
    def is_admin(self) -> bool:
        return self.principal.is_platform_admin


def _audit(
    session: Session,
    caller: Caller,
    action: str,
    entity_id: str,
    details: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        actor=caller.principal,
        action=action,
        entity_type="aircargo",
        entity_id=entity_id,
        organisation_id=caller.organisation_id,
        details=details,
    )


def _granted(session: Session, object_id: str, agent_iri: str, permission: str) -> bool:
    grant = session.scalar(
        select(AccessGrant.id).where(
            AccessGrant.object_id == object_id,
            AccessGrant.agent_iri == agent_iri,
            AccessGrant.permission == permission,
        )
    )
    return grant is not None


# --- agents -------------------------------------------------------------------------------


def agent_for_organisation(session: Session, server: Server, organisation_id: int) -> Agent:
    """The organisation's logistics agent, created (with its Organization object) on first use."""
    agent = session.scalar(select(Agent).where(Agent.organisation_id == organisation_id))
    if agent is not None:
        return agent
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise OneRecordError(403, "the caller belongs to no organisation")
    object_id = str(uuid.uuid4())
    iri = server.object_iri(object_id)
    graph: Graph = {
        iri: {
            "@id": iri,
            "@type": [CARGO + "Organization"],
            CARGO + "name": [ld.plain(organisation.name)],
        }
    }
    _store_object(session, server, object_id, iri, organisation_id, graph)
    agent = Agent(organisation_id=organisation_id, iri=iri, name=organisation.name)
    session.add(agent)
    session.flush()
    return agent


def acting_organisation(session: Session, server: Server, principal: Principal) -> int:
    """The organisation a principal acts for (an administrator without one: the data holder)."""
    if not principal.is_authenticated:
        raise OneRecordError(401, "authentication required: send 'Authorization: Bearer <key>'")
    organisation_ids = sorted(principal.organisation_ids)
    if organisation_ids:
        return organisation_ids[0]
    holder = data_holder_id(session, server)
    if not principal.is_platform_admin or holder is None:
        raise OneRecordError(403, "the caller belongs to no organisation")
    return holder


def ensure_agent_iri(
    factory: sessionmaker[Session] | None, session: Session, server: Server, organisation_id: int
) -> str:
    """The organisation's agent IRI. A missing agent is created in ``session`` when it writes
    (``factory`` None), else in a transaction of its own: read-only requests never write."""
    iri = session.scalar(select(Agent.iri).where(Agent.organisation_id == organisation_id))
    if iri is not None:
        return iri
    if factory is None:
        return agent_for_organisation(session, server, organisation_id).iri
    with transaction(factory) as writer:
        return agent_for_organisation(writer, server, organisation_id).iri


AGENT_CACHE_SECONDS = 30.0  # a partner's re-registered agent IRI shows within this


def ensure_caller(
    factory: sessionmaker[Session] | None,
    session: Session,
    server: Server,
    principal: Principal,
    cache: dict[int, tuple[str, float]] | None = None,
) -> Caller:
    """The caller; ``factory`` as in ``ensure_agent_iri`` (None when ``session`` writes).
    ``cache`` (organisation -> agent IRI, kept per server process) spares a query a request."""
    organisation_id = acting_organisation(session, server, principal)
    now = time.monotonic()
    cached = cache.get(organisation_id) if cache is not None else None
    if cached is not None and now - cached[1] < AGENT_CACHE_SECONDS:
        return Caller(organisation_id, cached[0], principal)
    iri = ensure_agent_iri(factory, session, server, organisation_id)
    if cache is not None:
        cache[organisation_id] = (iri, now)
    return Caller(organisation_id, iri, principal)


def data_holder_id(session: Session, server: Server) -> int | None:
    query = select(Organisation.id)
    if server.data_holder:
        query = query.where(Organisation.slug == server.data_holder)
    return session.scalar(query.order_by(Organisation.id).limit(1))


def register_partner(
    session: Session,
    *,
    organisation_id: int,
    agent_iri: str,
    server_url: str,
    outbound_token: str | None,
) -> Agent:
    """A partner organisation whose ONE Record server is elsewhere: its agent IRI there, the
    server's address, and the key this server uses to deliver notifications to it."""
    agent = session.scalar(select(Agent).where(Agent.organisation_id == organisation_id))
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise LookupError(f"organisation {organisation_id} not found")
    if agent is None:
        agent = Agent(organisation_id=organisation_id, iri=agent_iri, name=organisation.name)
        session.add(agent)
    agent.iri = agent_iri
    agent.server_url = server_url.rstrip("/")
    agent.outbound_token = outbound_token
    session.flush()
    return agent


def _partner_read(agent: Agent) -> PartnerRead:
    return PartnerRead(
        organisation_id=agent.organisation_id,
        name=agent.name,
        agent_iri=agent.iri,
        server_url=agent.server_url,
        has_outbound_token=bool(agent.outbound_token),
    )


def register_partner_by_slug(session: Session, data: PartnerRegistration) -> PartnerRead:
    organisation_id = session.scalar(
        select(Organisation.id).where(Organisation.slug == data.organisation)
    )
    if organisation_id is None:
        raise LookupError(f"organisation {data.organisation!r} does not exist")
    agent = register_partner(
        session,
        organisation_id=organisation_id,
        agent_iri=data.agent_iri,
        server_url=data.server_url,
        outbound_token=data.outbound_token,
    )
    return _partner_read(agent)


def list_partners(session: Session) -> list[PartnerRead]:
    agents = session.scalars(
        select(Agent).where(Agent.server_url.is_not(None)).order_by(Agent.name)
    )
    return [_partner_read(agent) for agent in agents]


# --- objects ------------------------------------------------------------------------------


def _digest(graph: Graph) -> str:
    canonical = json.dumps(graph, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def render_graph(root_iri: str, graph: Graph) -> str:
    return ld.dump(ld.compact(ld.nest(root_iri, graph))).decode("utf-8")


def _awb(graph: Graph, iri: str) -> str | None:
    node = graph.get(iri, {})
    prefix = ld.first_text(node, CARGO + "waybillPrefix")
    number = ld.first_text(node, CARGO + "waybillNumber")
    if prefix and number:
        return f"{prefix}-{number}"[:20]
    return None


def _index_links(session: Session, obj: LogisticsObject, graph: Graph) -> None:
    targets: set[str] = set()
    for node in graph.values():
        for key, values in node.items():
            if key.startswith("@"):
                continue
            for value in values:
                iri = str(value.get("@id", ""))
                if (
                    iri.startswith(("http://", "https://"))
                    and not iri.startswith((obj.iri + "#", "https://onerecord.iata.org/ns/"))
                    and iri != obj.iri
                ):
                    targets.add(iri)
    session.execute(delete(Link).where(Link.object_id == obj.id))
    session.add_all(Link(object_id=obj.id, target_iri=iri) for iri in sorted(targets))


def _store_object(
    session: Session,
    server: Server,
    object_id: str,
    iri: str,
    owner_id: int,
    graph: Graph,
) -> LogisticsObject:
    types = ld.graph_types(graph, iri)
    now = utcnow()
    obj = LogisticsObject(
        id=object_id,
        iri=iri,
        owner_id=owner_id,
        primary_type=server.vocabulary.most_specific(types),
        types=types,
        revision=1,
        ontology=server.version.cargo_ontology_iri,
        awb=_awb(graph, iri),
        created_at=now,
        updated_at=now,
    )
    session.add(obj)
    session.add(
        Revision(
            object_id=object_id,
            revision=1,
            created_at=now,
            graph=graph,
            document=render_graph(iri, graph),
            digest=_digest(graph),
        )
    )
    session.flush()
    _index_links(session, obj, graph)
    return obj


def check_graph(server: Server, graph: Graph) -> None:
    ld.infer_types(graph, server.vocabulary)
    problems = ld.validate(graph, server.vocabulary, refuse_unknown=server.refuse_unknown)
    if problems:
        raise OneRecordError(400, "the data does not conform to the ONE Record ontology", problems)


def create_object(session: Session, server: Server, caller: Caller, body: Any) -> LogisticsObject:
    try:
        root = ld.single_root(ld.expand(body))
        types = list(root.get("@type", []))
        if not any(server.vocabulary.is_logistics_object_class(t) for t in types):
            raise OneRecordError(
                400,
                "the @type must be a LogisticsObject class of the cargo ontology",
                [(f"@type {', '.join(types) or '(none)'} is not a logistics object", None)],
            )
        object_id = str(uuid.uuid4())
        iri = server.object_iri(object_id)
        graph = ld.flatten_root(root, iri)
    except LinkedDataError as exc:
        raise _bad(exc) from None
    check_graph(server, graph)
    obj = _store_object(session, server, object_id, iri, caller.organisation_id, graph)
    _audit(session, caller, "aircargo.object.create", object_id, {"type": obj.primary_type})
    _notify(session, server, obj, API + "LOGISTICS_OBJECT_CREATED")
    return obj


def find_object(session: Session, server: Server, object_id: str) -> LogisticsObject:
    obj = session.get(LogisticsObject, object_id)
    if obj is None:
        raise OneRecordError(
            404, "Logistics object not found", resource=server.object_iri(object_id)
        )
    return obj


def has_permission(session: Session, caller: Caller, obj: LogisticsObject, permission: str) -> bool:
    if caller.organisation_id == obj.owner_id or caller.is_admin:
        return True
    return _granted(session, obj.id, caller.agent_iri, permission)


def _require(session: Session, caller: Caller, obj: LogisticsObject, permission: str) -> None:
    if not has_permission(session, caller, obj, permission):
        raise OneRecordError(
            403,
            "Access denied",
            [(f"{caller.agent_iri} lacks {permission.removeprefix(API)} on this object", obj.iri)],
        )


def parse_at(text: str) -> dt.datetime:
    """``?at=`` in the basic ISO form of the spec (20231201T080000Z), RFC 3339 also accepted."""
    for pattern in ("%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S.%fZ"):
        try:
            return dt.datetime.strptime(text, pattern).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise OneRecordError(
            400, f"'at' must be a UTC time such as 20231201T080000Z, not '{text}'"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def object_revision(
    session: Session,
    server: Server,
    caller: Caller,
    object_id: str,
    at: dt.datetime | None = None,
) -> tuple[LogisticsObject, Revision]:
    obj = find_object(session, server, object_id)
    _require(session, caller, obj, API + "GET_LOGISTICS_OBJECT")
    query = select(Revision).where(Revision.object_id == obj.id)
    if at is not None:
        # ``at`` has one-second resolution: a revision made during that second counts.
        query = query.where(Revision.created_at < at + dt.timedelta(seconds=1))
    revision = session.scalar(query.order_by(Revision.revision.desc()).limit(1))
    if revision is None:
        raise OneRecordError(
            404, "the logistics object did not exist at that time", resource=obj.iri
        )
    return obj, revision


@dataclass(frozen=True)
class StoredDocument:
    """What a plain GET of an object needs, read in one query (the graph is not decoded)."""

    object_id: str
    iri: str
    owner_id: int
    primary_type: str
    latest_revision: int
    revision: int
    modified: dt.datetime
    document: str


def latest_document(
    session: Session, server: Server, caller: Caller, object_id: str
) -> StoredDocument:
    row = session.execute(
        select(
            LogisticsObject.iri,
            LogisticsObject.owner_id,
            LogisticsObject.primary_type,
            LogisticsObject.revision,
            Revision.created_at,
            Revision.document,
        )
        .join(
            Revision,
            (Revision.object_id == LogisticsObject.id)
            & (Revision.revision == LogisticsObject.revision),
        )
        .where(LogisticsObject.id == object_id)
    ).first()
    if row is None:
        raise OneRecordError(
            404, "Logistics object not found", resource=server.object_iri(object_id)
        )
    iri, owner_id, primary_type, revision, created_at, document = row
    readable = owner_id == caller.organisation_id or caller.is_admin
    if not readable and not _granted(
        session, object_id, caller.agent_iri, API + "GET_LOGISTICS_OBJECT"
    ):
        raise OneRecordError(
            403,
            "Access denied",
            [(f"{caller.agent_iri} lacks GET_LOGISTICS_OBJECT on this object", iri)],
        )
    return StoredDocument(
        object_id, iri, owner_id, primary_type, revision, revision, created_at, document
    )


def embedded_document(
    session: Session, server: Server, caller: Caller, obj: LogisticsObject, revision: Revision
) -> str:
    """The object with the logistics objects it links to on this server nested in it (those
    the caller may read)."""

    def other(iri: str) -> Graph | None:
        local = server.local_id(iri)
        if local is None or local == obj.id:
            return None
        linked = session.get(LogisticsObject, local)
        if linked is None or not has_permission(
            session, caller, linked, API + "GET_LOGISTICS_OBJECT"
        ):
            return None
        latest = session.scalar(
            select(Revision).where(
                Revision.object_id == linked.id, Revision.revision == linked.revision
            )
        )
        return latest.graph if latest is not None else None

    return ld.dump(ld.compact(ld.nest(obj.iri, revision.graph, other))).decode("utf-8")


# --- action requests ----------------------------------------------------------------------


def _new_request(
    session: Session,
    caller: Caller,
    kind: str,
    payload: Node,
    *,
    object_id: str | None = None,
    revision: int | None = None,
) -> ActionRequest:
    request = ActionRequest(
        id=str(uuid.uuid4()),
        kind=kind,
        status=PENDING,
        object_id=object_id,
        requested_by=caller.agent_iri,
        requester_org_id=caller.organisation_id,
        requested_at=utcnow(),
        payload=payload,
        revision=revision,
    )
    session.add(request)
    session.flush()
    return request


def request_change(
    session: Session, server: Server, caller: Caller, object_id: str, body: Any
) -> ActionRequest:
    obj = find_object(session, server, object_id)
    _require(session, caller, obj, API + "GET_LOGISTICS_OBJECT")
    try:
        expanded = ld.single_root(ld.expand(body))
        change = parse_change(expanded)
    except LinkedDataError as exc:
        raise _bad(exc) from None
    if change.logistics_object != obj.iri:
        raise OneRecordError(
            400,
            "Logistics Object URI does not match",
            [("hasLogisticsObject in the Change is not the object addressed", obj.iri)],
        )
    if change.revision > obj.revision:
        raise OneRecordError(
            400,
            "unknown revision",
            [(f"hasRevision {change.revision} is above the latest {obj.revision}", obj.iri)],
        )
    if change.revision < obj.revision:
        raise OneRecordError(
            409,
            "Conflict with Logistics Object revision number",
            [
                (
                    f"hasRevision {change.revision} is lower than the latest {obj.revision}",
                    obj.iri,
                )
            ],
        )
    _validate_operations(server, change)
    request = _new_request(
        session, caller, "change", expanded, object_id=obj.id, revision=change.revision
    )
    _audit(
        session,
        caller,
        "aircargo.change.request",
        request.id,
        {"object": obj.iri, "operations": len(change.operations)},
    )
    return request


def _validate_operations(server: Server, change: Change) -> None:
    vocabulary = server.vocabulary
    problems: list[tuple[str, str | None]] = []
    for operation in change.operations:
        if operation.predicate not in vocabulary.properties and server.refuse_unknown:
            problems.append((f"unknown property {operation.predicate}", operation.subject))
        for obj in operation.objects:
            if (
                not obj.datatype.startswith(XSD)
                and obj.datatype not in vocabulary.classes
                and server.refuse_unknown
                and not obj.datatype.startswith(CODE_LIST_PREFIXES)
            ):
                problems.append((f"unknown datatype {obj.datatype}", operation.subject))
            elif obj.datatype.startswith(XSD):
                try:
                    ld.canonical_literal(obj.value, obj.datatype)
                except LinkedDataError as exc:
                    problems.append((exc.title, operation.subject))
    if problems:
        raise OneRecordError(400, "invalid Change", problems)


def find_request(session: Session, server: Server, request_id: str) -> ActionRequest:
    request = session.get(ActionRequest, request_id)
    if request is None:
        raise OneRecordError(
            404, "Action request not found", resource=server.request_iri(request_id)
        )
    return request


def may_decide(session: Session, server: Server, caller: Caller, request: ActionRequest) -> bool:
    if caller.is_admin:
        return True
    if request.object_id is not None:
        obj = session.get(LogisticsObject, request.object_id)
        return obj is not None and obj.owner_id == caller.organisation_id
    if request.kind == "access_delegation":
        objects = _delegation_objects(session, server, request)
        return bool(objects) and all(o.owner_id == caller.organisation_id for o in objects)
    return data_holder_id(session, server) == caller.organisation_id


def read_request(
    session: Session, server: Server, caller: Caller, request_id: str
) -> ActionRequest:
    request = find_request(session, server, request_id)
    if request.requester_org_id != caller.organisation_id and not may_decide(
        session, server, caller, request
    ):
        raise OneRecordError(403, "Access denied", resource=server.request_iri(request_id))
    return request


@dataclass(frozen=True)
class Decision:
    request: ActionRequest
    error: OneRecordError | None = None  # a change that could not apply (request now FAILED)


def decide(
    session: Session, server: Server, caller: Caller, request_id: str, status: str
) -> Decision:
    """Accept, reject or revoke an action request (``PATCH /action-requests/{id}?status=``)."""
    request = find_request(session, server, request_id)
    if status not in (ACCEPTED, REJECTED, REVOKED):
        raise OneRecordError(
            400, "status must be REQUEST_ACCEPTED, REQUEST_REJECTED or REQUEST_REVOKED"
        )
    if status == REVOKED:
        return Decision(revoke(session, server, caller, request_id))
    if not may_decide(session, server, caller, request):
        raise OneRecordError(
            403,
            "Access denied",
            [("only the owner of the logistics object decides this request", request.id)],
        )
    if request.status == status:
        return Decision(request)  # deciding again is idempotent
    if request.status != PENDING:
        raise OneRecordError(
            400,
            f"the request is {request.status}, not pending",
            resource=server.request_iri(request.id),
        )
    request.decided_at = utcnow()
    request.decided_by = caller.agent_iri
    if status == REJECTED:
        request.status = REJECTED
    else:
        error = _accept(session, server, request)
        if error is not None:
            request.status = FAILED
            request.error = error.title + ": " + "; ".join(d[0] for d in error.details)
            session.flush()
            return Decision(request, error)
        request.status = ACCEPTED
    _audit(
        session,
        caller,
        f"aircargo.{request.kind}.{request.status.removeprefix('REQUEST_').lower()}",
        request.id,
    )
    session.flush()
    return Decision(request)


def revoke(session: Session, server: Server, caller: Caller, request_id: str) -> ActionRequest:
    request = find_request(session, server, request_id)
    if request.requester_org_id != caller.organisation_id and not may_decide(
        session, server, caller, request
    ):
        raise OneRecordError(403, "only the requester or the owner may revoke a request")
    if request.status == REVOKED:
        return request
    if request.status not in (PENDING, ACCEPTED):
        raise OneRecordError(400, f"a {request.status} request cannot be revoked")
    if request.kind == "change" and request.status == ACCEPTED:
        raise OneRecordError(400, "an accepted change is part of the object's history")
    request.status = REVOKED
    request.revoked_at = utcnow()
    if request.kind == "subscription":
        for subscription in session.scalars(
            select(Subscription).where(Subscription.action_request_id == request.id)
        ):
            subscription.active = False
    if request.kind == "access_delegation":
        for grant in session.scalars(
            select(AccessGrant).where(AccessGrant.action_request_id == request.id)
        ):
            session.delete(grant)
    _audit(session, caller, f"aircargo.{request.kind}.revoked", request.id)
    session.flush()
    return request


def _accept(session: Session, server: Server, request: ActionRequest) -> OneRecordError | None:
    if request.kind == "change":
        return _apply_change_request(session, server, request)
    if request.kind == "subscription":
        _activate_subscription(session, server, request)
    else:
        _grant_delegation(session, server, request)
    return None


def _apply_change_request(
    session: Session, server: Server, request: ActionRequest
) -> OneRecordError | None:
    obj = session.get(LogisticsObject, request.object_id)
    if obj is None:
        return OneRecordError(404, "the logistics object is gone")
    if request.revision != obj.revision:
        return OneRecordError(
            409,
            "Conflict with Logistics Object revision number",
            [
                (
                    f"the change is for revision {request.revision}, "
                    f"the object is at {obj.revision}",
                    obj.iri,
                )
            ],
        )
    latest = session.scalar(
        select(Revision).where(Revision.object_id == obj.id, Revision.revision == obj.revision)
    )
    assert latest is not None
    try:
        change = parse_change(request.payload)
        applied = apply_change(latest.graph, obj.iri, change)
        check_graph(server, applied.graph)
    except LinkedDataError as exc:
        return _bad(exc)
    except OneRecordError as exc:
        return exc
    now = utcnow()
    obj.revision += 1
    obj.updated_at = now
    obj.types = ld.graph_types(applied.graph, obj.iri)
    obj.awb = _awb(applied.graph, obj.iri)
    session.add(
        Revision(
            object_id=obj.id,
            revision=obj.revision,
            created_at=now,
            graph=applied.graph,
            document=render_graph(obj.iri, applied.graph),
            digest=_digest(applied.graph),
            action_request_id=request.id,
        )
    )
    _index_links(session, obj, applied.graph)
    _notify(
        session,
        server,
        obj,
        API + "LOGISTICS_OBJECT_UPDATED",
        triggered_by=server.request_iri(request.id),
        changed=applied.changed_properties,
    )
    return None


# --- events -------------------------------------------------------------------------------


def _event_fields(graph: Graph, iri: str) -> dict[str, Any]:
    node = graph.get(iri, {})
    code_values = ld.values_of(node, CARGO + "eventCode")
    code: str | None = None
    if code_values:
        value = code_values[0]
        if "@id" in value:
            code_node = graph.get(value["@id"])
            code = ld.first_text(code_node, CARGO + "code") if code_node else None
            if code is None:
                code = str(value["@id"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        else:
            code = ld.literal_text(value)
    when = ld.first_text(node, CARGO + "eventDate")
    event_date = None
    if when:
        try:
            event_date = dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
        except ValueError:
            event_date = None
    time_type = ld.first_text(node, CARGO + "eventTimeType")
    location = None
    for value in ld.values_of(node, CARGO + "eventLocation"):
        location_node = graph.get(value.get("@id", ""), {})
        location = (
            ld.first_text(location_node, CARGO + "locationName")
            or ld.first_text(location_node, CARGO + "code")
            or value.get("@id")
        )
    return {
        "event_code": code[:100] if code else None,
        "event_name": (ld.first_text(node, CARGO + "eventName") or "")[:300] or None,
        "event_date": event_date,
        "time_type": time_type.rsplit("#", 1)[-1][:20] if time_type else None,
        "location": str(location)[:200] if location else None,
    }


def add_event(session: Session, server: Server, caller: Caller, object_id: str, body: Any) -> Event:
    obj = find_object(session, server, object_id)
    _require(session, caller, obj, API + "POST_LOGISTICS_EVENT")
    try:
        root = ld.single_root(ld.expand(body))
        if not any(
            server.vocabulary.is_subclass(t, LOGISTICS_EVENT) for t in root.get("@type", [])
        ):
            raise OneRecordError(400, "the @type must be cargo:LogisticsEvent")
        event_id = str(uuid.uuid4())
        iri = f"{obj.iri}/logistics-events/{event_id}"
        graph = ld.flatten_root(root, iri)
    except LinkedDataError as exc:
        raise _bad(exc) from None
    check_graph(server, graph)
    event = Event(
        id=event_id,
        object_id=obj.id,
        iri=iri,
        recorded_by=caller.agent_iri,
        created_at=utcnow(),
        graph=graph,
        document=render_graph(iri, graph),
        **_event_fields(graph, iri),
    )
    session.add(event)
    session.flush()
    _audit(session, caller, "aircargo.event.create", event_id, {"code": event.event_code})
    _notify(session, server, obj, API + "LOGISTICS_EVENT_RECEIVED", event_iri=iri)
    return event


def get_event(
    session: Session, server: Server, caller: Caller, object_id: str, event_id: str
) -> Event:
    obj = find_object(session, server, object_id)
    _require_event_read(session, caller, obj)
    event = session.get(Event, event_id)
    if event is None or event.object_id != obj.id:
        raise OneRecordError(
            404,
            "Logistics event not found",
            resource=f"{obj.iri}/logistics-events/{event_id}",
        )
    return event


def _require_event_read(session: Session, caller: Caller, obj: LogisticsObject) -> None:
    if not (
        has_permission(session, caller, obj, API + "GET_LOGISTICS_EVENT")
        or has_permission(session, caller, obj, API + "GET_LOGISTICS_OBJECT")
    ):
        _require(session, caller, obj, API + "GET_LOGISTICS_EVENT")


@dataclass(frozen=True)
class EventFilter:
    event_code: str | None = None
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None
    limit: int | None = None
    skip: int = 0


def list_events(
    session: Session, server: Server, caller: Caller, object_id: str, filters: EventFilter
) -> tuple[LogisticsObject, list[Event], int]:
    obj = find_object(session, server, object_id)
    _require_event_read(session, caller, obj)
    query = select(Event).where(Event.object_id == obj.id)
    if filters.event_code:
        query = query.where(Event.event_code == filters.event_code)
    if filters.created_after:
        query = query.where(Event.created_at >= filters.created_after)
    if filters.created_before:
        query = query.where(Event.created_at <= filters.created_before)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    query = query.order_by(Event.event_date, Event.created_at).offset(filters.skip)
    if filters.limit is not None:
        query = query.limit(filters.limit)
    return obj, list(session.scalars(query)), total


# --- subscriptions and notifications ------------------------------------------------------

_SUBSCRIPTION_KEYS = {
    "@type",
    "@id",
    API + "hasContentType",
    API + "hasSubscriber",
    API + "hasTopicType",
    API + "hasTopic",
    API + "includeSubscriptionEventType",
    API + "expiresAt",
    API + "hasDescription",
    API + "notifyRequestStatusChange",
    API + "sendLogisticsObjectBody",
    API + "subscribeToLogisticsEvents",  # named in the API 2.0 text and IATA's tests
}


def check_topic(
    session: Session, server: Server, topic_type: str | None, topic: str | None
) -> None:
    if topic_type not in (TOPIC_IDENTIFIER, TOPIC_TYPE):
        raise OneRecordError(
            400,
            "topicType must be api:LOGISTICS_OBJECT_TYPE or api:LOGISTICS_OBJECT_IDENTIFIER",
        )
    if not topic:
        raise OneRecordError(400, "topic is missing", [("give the topic to subscribe to", None)])
    if topic_type == TOPIC_TYPE and not server.vocabulary.is_logistics_object_class(topic):
        raise OneRecordError(
            400,
            "the topic is not a logistics object type",
            [(f"{topic} is not a subclass of cargo:LogisticsObject", topic)],
        )
    if topic_type == TOPIC_IDENTIFIER:
        local = server.local_id(topic)
        if local is None or session.get(LogisticsObject, local) is None:
            raise OneRecordError(404, "no such logistics object on this server", resource=topic)


def subscription_proposal(
    session: Session, server: Server, subscriber: str, topic_type: str | None, topic: str | None
) -> Node:
    """``GET /subscriptions``: the subscription ``subscriber`` (this server's data holder) would
    take out."""
    check_topic(session, server, topic_type, topic)
    return {
        "@id": f"{server.base_url}/subscriptions/{uuid.uuid4()}",
        "@type": [API + "Subscription"],
        API + "hasContentType": [ld.plain("application/ld+json")],
        API + "hasSubscriber": [ld.iri_value(subscriber)],
        API + "hasTopicType": [ld.iri_value(str(topic_type))],
        API + "hasTopic": [ld.typed(str(topic), XSD + "anyURI")],
        API + "includeSubscriptionEventType": [ld.iri_value(e) for e in EVENT_TYPES],
        API + "subscribeToLogisticsEvents": [ld.typed("true", XSD + "boolean")],
    }


def _single_text(node: Node, key: str) -> str | None:
    values = node.get(key)
    if not values:
        return None
    value = values[0]
    return str(value.get("@id") or value.get("@value") or "") or None


def request_subscription(
    session: Session, server: Server, caller: Caller, body: Any
) -> ActionRequest:
    try:
        root = ld.single_root(ld.expand(body))
    except LinkedDataError as exc:
        raise _bad(exc) from None
    if API + "Subscription" not in root.get("@type", []):
        raise OneRecordError(400, "the body must be an api:Subscription")
    unknown = [key for key in root if key not in _SUBSCRIPTION_KEYS]
    if unknown:
        raise OneRecordError(
            400, "invalid Subscription", [(f"unknown property {key}", None) for key in unknown]
        )
    subscriber = _single_text(root, API + "hasSubscriber")
    if not subscriber:
        raise OneRecordError(400, "hasSubscriber is missing")
    topic_type = _single_text(root, API + "hasTopicType")
    topic = _single_text(root, API + "hasTopic")
    check_topic(session, server, topic_type, topic)
    for value in root.get(API + "includeSubscriptionEventType", []):
        if value.get("@id") not in EVENT_TYPES:
            raise OneRecordError(400, f"unknown subscription event type {value}")
    object_id = server.local_id(str(topic)) if topic_type == TOPIC_IDENTIFIER else None
    request = _new_request(session, caller, "subscription", root, object_id=object_id)
    _audit(
        session,
        caller,
        "aircargo.subscription.request",
        request.id,
        {"topic": topic, "subscriber": subscriber},
    )
    return request


def notification_target(session: Session, server: Server, subscriber: str) -> str:
    """Where a subscriber's notifications go: its registered server, else the server its agent
    IRI lives on (``.../logistics-objects/x`` -> ``.../notifications``)."""
    agent = session.scalar(select(Agent).where(Agent.iri == subscriber))
    if agent is not None and agent.server_url:
        return agent.server_url + "/notifications"
    base, marker, _ = subscriber.partition("/logistics-objects/")
    return (base + "/notifications") if marker else server.notifications_url


def _activate_subscription(session: Session, server: Server, request: ActionRequest) -> None:
    root = request.payload
    subscriber = _single_text(root, API + "hasSubscriber") or request.requested_by
    event_types = [
        str(v["@id"]) for v in root.get(API + "includeSubscriptionEventType", []) if "@id" in v
    ] or list(EVENT_TYPES)
    include_events = (_single_text(root, API + "subscribeToLogisticsEvents") or "").lower()
    if include_events == "true" and API + "LOGISTICS_EVENT_RECEIVED" not in event_types:
        event_types.append(API + "LOGISTICS_EVENT_RECEIVED")
    expires = _single_text(root, API + "expiresAt")
    session.add(
        Subscription(
            action_request_id=request.id,
            subscriber=subscriber,
            topic_type=(_single_text(root, API + "hasTopicType") or "").removeprefix(API),
            topic=_single_text(root, API + "hasTopic") or "",
            event_types=event_types,
            include_events=include_events == "true",
            expires_at=dt.datetime.fromisoformat(expires.replace("Z", "+00:00"))
            if expires
            else None,
            target_url=notification_target(session, server, subscriber),
        )
    )


def notification_document(
    server: Server,
    obj: LogisticsObject,
    event_type: str,
    *,
    triggered_by: str | None = None,
    changed: Iterable[str] = (),
    event_iri: str | None = None,
    topic: str | None = None,
) -> Node:
    node: Node = {
        "@type": [API + "Notification"],
        API + "hasEventType": [ld.iri_value(event_type)],
        API + "hasLogisticsObject": [ld.iri_value(obj.iri)],
        API + "hasLogisticsObjectType": [ld.typed(obj.primary_type, XSD + "anyURI")],
    }
    if triggered_by:
        node[API + "isTriggeredBy"] = [ld.iri_value(triggered_by)]
    changed = list(changed)
    if changed:
        node[API + "hasChangedProperty"] = [ld.typed(p, XSD + "anyURI") for p in changed]
    if event_iri and server.version.name != "2.0.0":
        node[API + "hasLogisticsEvent"] = [ld.iri_value(event_iri)]
    if topic:
        node[API + "hasTopic"] = [ld.typed(topic, XSD + "anyURI")]
    return node


def _notify(
    session: Session,
    server: Server,
    obj: LogisticsObject,
    event_type: str,
    *,
    triggered_by: str | None = None,
    changed: Iterable[str] = (),
    event_iri: str | None = None,
) -> int:
    """Queue a notification for every active subscription the change matches."""
    type_topics: set[str] = set()
    for cls in obj.types:
        type_topics |= server.vocabulary.ancestors(cls)
    now = utcnow()
    subscriptions = session.scalars(
        select(Subscription).where(
            Subscription.active.is_(True),
            Subscription.topic.in_([obj.iri, *sorted(type_topics)]),
        )
    ).all()
    changed = list(changed)
    queued = 0
    for subscription in subscriptions:
        if event_type not in subscription.event_types:
            continue
        if subscription.expires_at is not None and subscription.expires_at < now:
            continue
        document = notification_document(
            server,
            obj,
            event_type,
            triggered_by=triggered_by,
            changed=changed,
            event_iri=event_iri,
            topic=subscription.topic,
        )
        session.add(
            Notification(
                subscription_id=subscription.id,
                event_type=event_type.removeprefix(API),
                object_iri=obj.iri,
                target_url=subscription.target_url,
                payload=ld.dump(ld.compact(document)).decode("utf-8"),
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
        queued += 1
    if queued:
        session.flush()
    return queued


def receive_notification(
    session: Session, server: Server, caller: Caller, body: Any
) -> ReceivedNotification:
    try:
        root = ld.single_root(ld.expand(body))
    except LinkedDataError as exc:
        raise _bad(exc) from None
    if API + "Notification" not in root.get("@type", []):
        raise OneRecordError(400, "the body must be an api:Notification")
    event_type = _single_text(root, API + "hasEventType")
    if not event_type:
        raise OneRecordError(400, "hasEventType is missing")
    received = ReceivedNotification(
        sender=caller.agent_iri[:200],
        event_type=event_type.removeprefix(API)[:60],
        object_iri=_single_text(root, API + "hasLogisticsObject"),
        object_type=(_single_text(root, API + "hasLogisticsObjectType") or "")[:200] or None,
        payload=json.dumps(body, ensure_ascii=False),
        received_at=utcnow(),
    )
    session.add(received)
    session.flush()
    return received


# --- access delegation --------------------------------------------------------------------

_DELEGATION_KEYS = {
    "@type",
    "@id",
    API + "hasDescription",
    API + "hasPermission",
    API + "isRequestedFor",
    API + "notifyRequestStatusChange",
    API + "hasLogisticsObject",
}


def request_delegation(
    session: Session, server: Server, caller: Caller, body: Any
) -> ActionRequest:
    try:
        root = ld.single_root(ld.expand(body))
    except LinkedDataError as exc:
        raise _bad(exc) from None
    if API + "AccessDelegation" not in root.get("@type", []):
        raise OneRecordError(400, "the body must be an api:AccessDelegation")
    problems: list[tuple[str, str | None]] = [
        (f"unknown property {key}", None) for key in root if key not in _DELEGATION_KEYS
    ]
    permissions = ld.iris(root.get(API + "hasPermission", []))
    agents = ld.iris(root.get(API + "isRequestedFor", []))
    objects = ld.iris(root.get(API + "hasLogisticsObject", []))
    problems += [(f"unknown permission {p}", None) for p in permissions if p not in PERMISSIONS]
    if not permissions:
        problems.append(("hasPermission is missing", None))
    if not agents:
        problems.append(("isRequestedFor is missing", None))
    if not objects:
        problems.append(("hasLogisticsObject is missing", None))
    if problems:
        raise OneRecordError(400, "invalid AccessDelegation", problems)
    for iri in objects:
        local = server.local_id(iri)
        obj = session.get(LogisticsObject, local) if local else None
        if obj is None:
            raise OneRecordError(404, "Logistics object not found", resource=iri)
        _require(session, caller, obj, API + "GET_LOGISTICS_OBJECT")
    request = _new_request(session, caller, "access_delegation", root)
    _audit(
        session,
        caller,
        "aircargo.access_delegation.request",
        request.id,
        {"objects": objects, "agents": agents},
    )
    return request


def _delegation_objects(
    session: Session, server: Server, request: ActionRequest
) -> list[LogisticsObject]:
    found = []
    for iri in ld.iris(request.payload.get(API + "hasLogisticsObject", [])):
        local = server.local_id(iri)
        obj = session.get(LogisticsObject, local) if local else None
        if obj is not None:
            found.append(obj)
    return found


def _grant_delegation(session: Session, server: Server, request: ActionRequest) -> None:
    permissions = ld.iris(request.payload.get(API + "hasPermission", []))
    agents = ld.iris(request.payload.get(API + "isRequestedFor", []))
    for obj in _delegation_objects(session, server, request):
        for agent in agents:
            for permission in permissions:
                if not _granted(session, obj.id, agent, permission):
                    session.add(
                        AccessGrant(
                            object_id=obj.id,
                            agent_iri=agent,
                            permission=permission,
                            action_request_id=request.id,
                        )
                    )


# --- documents ----------------------------------------------------------------------------


def _datetime_literal(value: dt.datetime) -> Node:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return ld.typed(value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), XSD + "dateTime")


def request_node(server: Server, request: ActionRequest) -> Node:
    iri = server.request_iri(request.id)
    node: Node = {
        "@id": iri,
        "@type": [REQUEST_TYPES[request.kind]],
        API + "hasRequestStatus": [ld.iri_value(API + request.status)],
        API + "isRequestedAt": [_datetime_literal(request.requested_at)],
        API + "isRequestedBy": [ld.iri_value(request.requested_by)],
    }
    payload = dict(request.payload)
    payload["@id"] = iri + "#request"
    key = {
        "change": API + "hasChange",
        "subscription": API + "hasSubscription",
        "access_delegation": API + "hasAccessDelegation",
    }[request.kind]
    node[key] = [payload]
    if request.revoked_at is not None:
        node[API + "isRevokedAt"] = [_datetime_literal(request.revoked_at)]
    if request.error:
        node[API + "hasError"] = [
            {
                "@id": iri + "#error",
                "@type": [API + "Error"],
                API + "hasTitle": [ld.plain(request.error[:500])],
            }
        ]
    return node


def audit_trail_node(session: Session, server: Server, caller: Caller, object_id: str) -> Node:
    obj = find_object(session, server, object_id)
    _require(session, caller, obj, API + "GET_LOGISTICS_OBJECT")
    requests = session.scalars(
        select(ActionRequest)
        .where(ActionRequest.object_id == obj.id, ActionRequest.kind == "change")
        .order_by(ActionRequest.requested_at)
    ).all()
    node: Node = {
        "@id": obj.iri + "/audit-trail",
        "@type": [API + "AuditTrail"],
        API + "hasLatestRevision": [ld.typed(str(obj.revision), XSD + "positiveInteger")],
    }
    if requests:
        node[server.version.audit_trail_requests] = [request_node(server, r) for r in requests]
    return node


def server_information(server: Server, holder_agent: str | None) -> Node:
    node: Node = {
        "@id": server.base_url + "/",
        "@type": [API + "ServerInformation"],
        API + "hasServerEndpoint": [ld.typed(server.base_url, XSD + "anyURI")],
        API + "hasSupportedApiVersion": [ld.plain(server.version.name)],
        API + "hasSupportedContentType": [ld.plain("application/ld+json")],
        API + "hasSupportedEncoding": [ld.plain("utf-8")],
        API + "hasSupportedLanguage": [ld.plain(LANGUAGE)],
        API + "hasSupportedOntology": [
            ld.typed(CARGO.rstrip("#"), XSD + "anyURI"),
            ld.typed(API.rstrip("#"), XSD + "anyURI"),
        ],
        API + "hasSupportedOntologyVersion": [
            ld.typed(server.version.cargo_ontology_iri, XSD + "anyURI"),
            ld.typed(server.version.api_ontology_iri, XSD + "anyURI"),
        ],
    }
    if holder_agent is not None:
        node[API + "hasDataHolder"] = [ld.iri_value(holder_agent)]
    return node


def collection_node(iri: str, items: Sequence[Node], total: int) -> Node:
    return {
        "@id": iri,
        "@type": [API + "Collection"],
        API + "hasTotalItems": [ld.typed(str(total), XSD + "nonNegativeInteger")],
        API + "hasItem": list(items),
    }


def error_node(error: OneRecordError) -> Node:
    error_id = f"urn:uuid:{uuid.uuid4()}"
    details = []
    for index, (message, resource) in enumerate(error.details):
        detail: Node = {
            "@id": f"{error_id}#detail-{index + 1}",
            "@type": [API + "ErrorDetail"],
            API + "hasCode": [ld.plain(str(error.status))],
            API + "hasMessage": [ld.plain(message)],
        }
        if resource:
            detail[API + "hasResource"] = [ld.typed(resource, XSD + "anyURI")]
        details.append(detail)
    return {
        "@id": error_id,
        "@type": [API + "Error"],
        API + "hasTitle": [ld.plain(error.title)],
        API + "hasErrorDetail": details,
    }
