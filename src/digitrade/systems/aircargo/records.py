"""Shipment records: what the platform shows on top of the ONE Record store.

A record starts at one logistics object (a waybill, a shipment, a piece) and gathers the local
objects linked from it, their events (the timeline, with Cargo iQ milestone names), the
planned-against-actual route map, the route legs, the parties and what each shares, and the
notifications sent and received about them. Only what the viewer may read is included.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from digitrade.core.auth.models import Organisation
from digitrade.systems.aircargo import linkeddata as ld
from digitrade.systems.aircargo import service
from digitrade.systems.aircargo.milestones import MILESTONES, ROUTE_MAP, milestone
from digitrade.systems.aircargo.models import (
    AccessGrant,
    Agent,
    Event,
    Link,
    LogisticsObject,
    Notification,
    ReceivedNotification,
    Revision,
    Subscription,
)
from digitrade.systems.aircargo.schemas import (
    ImportOutcome,
    MilestoneStatus,
    NotificationRow,
    ObjectSummary,
    Party,
    RouteLeg,
    ShipmentRecord,
    TimelineEntry,
)
from digitrade.systems.aircargo.service import Caller, OneRecordError, Server
from digitrade.systems.aircargo.vocabulary import API, CARGO

MAX_OBJECTS = 60
_AWB = re.compile(r"^\s*(\d{3})[-\s]?(\d{8})\s*$")
_LABEL_PROPERTIES = (
    "goodsDescription",
    "name",
    "transportIdentifier",
    "waybillNumber",
    "locationName",
    "description",
)


def normalise_awb(text: str) -> str | None:
    """'11212345675', '112 12345675' or '112-12345675' -> '112-12345675'."""
    match = _AWB.match(text)
    return f"{match.group(1)}-{match.group(2)}" if match else None


def awb_check_digit_ok(awb: str) -> bool:
    """IATA air waybill serial: seven digits and a check digit (the seven modulo 7)."""
    serial = awb.split("-")[1]
    return int(serial[:7]) % 7 == int(serial[7])


def _latest(session: Session, obj: LogisticsObject) -> Revision:
    revision = session.scalar(
        select(Revision).where(Revision.object_id == obj.id, Revision.revision == obj.revision)
    )
    assert revision is not None
    return revision


def _names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Organisation.id, Organisation.name)).tuples().all())


def _agent_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Agent.iri, Agent.name)).tuples().all())


def _label(obj: LogisticsObject, graph: ld.Graph) -> str:
    node = graph.get(obj.iri, {})
    if obj.awb:
        return f"AWB {obj.awb}"
    for prop in _LABEL_PROPERTIES:
        text = ld.first_text(node, CARGO + prop)
        if text:
            return text
    return f"{obj.primary_type.rsplit('#', 1)[-1]} {obj.id[:8]}"


def summarise(
    session: Session,
    obj: LogisticsObject,
    names: dict[int, str] | None = None,
    graph: ld.Graph | None = None,
) -> ObjectSummary:
    names = names if names is not None else _names(session)
    graph = graph if graph is not None else _latest(session, obj).graph
    return ObjectSummary(
        id=obj.id,
        iri=obj.iri,
        type=obj.primary_type,
        type_name=obj.primary_type.rsplit("#", 1)[-1],
        awb=obj.awb,
        label=_label(obj, graph),
        owner=names.get(obj.owner_id, str(obj.owner_id)),
        revision=obj.revision,
        updated_at=obj.updated_at,
    )


def _readable(session: Session, caller: Caller | None, obj: LogisticsObject) -> bool:
    """None stands for public tracking, which reads only milestones and the route."""
    return caller is None or service.has_permission(
        session, caller, obj, API + "GET_LOGISTICS_OBJECT"
    )


def search(
    session: Session, caller: Caller, query: str = "", limit: int = 50
) -> list[ObjectSummary]:
    """Objects the caller may read: by air waybill number, object id or IRI, or the latest."""
    statement = select(LogisticsObject).order_by(LogisticsObject.updated_at.desc())
    text = query.strip()
    if text:
        awb = normalise_awb(text)
        conditions = [LogisticsObject.id == text, LogisticsObject.iri == text]
        if awb:
            conditions.append(LogisticsObject.awb == awb)
        statement = statement.where(or_(*conditions))
    else:
        statement = statement.where(
            LogisticsObject.primary_type.in_(
                [CARGO + "Waybill", CARGO + "Shipment", CARGO + "Piece"]
            )
        )
    names = _names(session)
    found = []
    for obj in session.scalars(statement.limit(limit * 4)):
        if _readable(session, caller, obj):
            found.append(summarise(session, obj, names))
        if len(found) >= limit:
            break
    return found


def _linked_objects(
    session: Session, caller: Caller | None, root: LogisticsObject
) -> list[LogisticsObject]:
    """The root and the objects linked to it either way (a waybill's shipment, the shipment's
    pieces, the flight that carries them), breadth first; parties are left out (shown as such)."""
    seen: dict[str, LogisticsObject] = {root.id: root}
    queue = [root]
    while queue and len(seen) < MAX_OBJECTS:
        current = queue.pop(0)
        outgoing = select(LogisticsObject).join(Link, Link.target_iri == LogisticsObject.iri)
        outgoing = outgoing.where(Link.object_id == current.id)
        incoming = select(LogisticsObject).join(Link, Link.object_id == LogisticsObject.id)
        incoming = incoming.where(Link.target_iri == current.iri)
        for statement in (outgoing, incoming):
            for linked in session.scalars(statement.order_by(LogisticsObject.created_at)):
                if linked.id in seen or linked.primary_type in _PARTY_TYPES:
                    continue
                if not _readable(session, caller, linked):
                    continue
                seen[linked.id] = linked
                queue.append(linked)
    return list(seen.values())


_PARTY_TYPES = frozenset(
    CARGO + name for name in ("Organization", "Company", "Person", "PublicAuthority", "Carrier")
)


def _events(session: Session, objects: Iterable[LogisticsObject]) -> list[Event]:
    ids = [o.id for o in objects]
    return list(
        session.scalars(
            select(Event)
            .where(Event.object_id.in_(ids))
            .order_by(Event.event_date, Event.created_at)
        )
    )


def _timeline(
    events: list[Event], labels: dict[str, str], agent_names: dict[str, str]
) -> list[TimelineEntry]:
    entries = []
    for event in events:
        m = milestone(event.event_code)
        entries.append(
            TimelineEntry(
                event_iri=event.iri,
                code=event.event_code,
                milestone=m.name if m.code in MILESTONES else (event.event_name or m.name),
                milestone_zh=m.name_zh,
                time_type=event.time_type,
                event_date=event.event_date,
                location=event.location,
                recorded_by=agent_names.get(event.recorded_by, event.recorded_by),
                object_id=event.object_id,
                object_label=labels.get(event.object_id, event.object_id),
            )
        )
    return entries


def _route_map(events: list[Event]) -> list[MilestoneStatus]:
    statuses = []
    for code in ROUTE_MAP:
        planned = [
            e.event_date
            for e in events
            if e.event_code == code and e.time_type in ("PLANNED", "EXPECTED") and e.event_date
        ]
        actual = [
            e.event_date
            for e in events
            if e.event_code == code and e.time_type in (None, "ACTUAL") and e.event_date
        ]
        m = milestone(code)
        first_planned = min(planned) if planned else None
        first_actual = min(actual) if actual else None
        delay = (
            int((first_actual - first_planned).total_seconds() // 60)
            if first_planned and first_actual
            else None
        )
        statuses.append(
            MilestoneStatus(
                code=code,
                milestone=m.name,
                milestone_zh=m.name_zh,
                planned=first_planned,
                actual=first_actual,
                delay_minutes=delay,
            )
        )
    return statuses


def _location_name(graph: ld.Graph, value: ld.Node | None) -> str | None:
    if value is None:
        return None
    node = graph.get(str(value.get("@id", "")), {})
    for prop in ("locationName", "code"):
        text = ld.first_text(node, CARGO + prop)
        if text:
            return text
    for code_value in ld.values_of(node, CARGO + "locationCodes"):
        code_node = graph.get(str(code_value.get("@id", "")), {})
        text = ld.first_text(code_node, CARGO + "code")
        if text:
            return text
    return None


def _movement_time(graph: ld.Graph, node: ld.Node, kind: str) -> dt.datetime | None:
    for value in ld.values_of(node, CARGO + "movementTimes"):
        times = graph.get(str(value.get("@id", "")), {})
        direction = ld.first_text(times, CARGO + "direction") or ""
        if kind.lower() in direction.lower():
            when = ld.first_text(times, CARGO + "movementTimestamp")
            if when:
                return dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
    return None


def _route(
    objects: list[LogisticsObject], graphs: dict[str, ld.Graph], events: list[Event]
) -> list[RouteLeg]:
    legs = []
    for obj in objects:
        if obj.primary_type != CARGO + "TransportMovement":
            continue
        graph = graphs[obj.id]
        node = graph.get(obj.iri, {})
        departure = ld.values_of(node, CARGO + "departureLocation")
        arrival = ld.values_of(node, CARGO + "arrivalLocation")
        legs.append(
            RouteLeg(
                transport=ld.first_text(node, CARGO + "transportIdentifier"),
                departure=_location_name(graph, departure[0] if departure else None),
                arrival=_location_name(graph, arrival[0] if arrival else None),
                departure_time=_movement_time(graph, node, "outbound")
                or _movement_time(graph, node, "departure"),
                arrival_time=_movement_time(graph, node, "inbound")
                or _movement_time(graph, node, "arrival"),
                source="transport-movement",
            )
        )
    if legs:
        return sorted(
            legs, key=lambda leg: leg.departure_time or dt.datetime.max.replace(tzinfo=dt.UTC)
        )
    departures = [e for e in events if e.event_code == "DEP" and e.time_type in (None, "ACTUAL")]
    arrivals = [e for e in events if e.event_code == "ARR" and e.time_type in (None, "ACTUAL")]
    for index, leaving in enumerate(departures):
        arriving = arrivals[index] if index < len(arrivals) else None
        legs.append(
            RouteLeg(
                transport=None,
                departure=leaving.location,
                arrival=arriving.location if arriving else None,
                departure_time=leaving.event_date,
                arrival_time=arriving.event_date if arriving else None,
                source="events",
            )
        )
    return legs


def _parties(
    session: Session,
    objects: list[LogisticsObject],
    events: list[Event],
    names: dict[int, str],
    agent_names: dict[str, str],
) -> list[Party]:
    parties: dict[str, Party] = {}
    organisation_agents = dict(
        session.execute(select(Agent.organisation_id, Agent.iri)).tuples().all()
    )

    def party(name: str, iri: str | None) -> Party:
        key = iri or name
        if key not in parties:
            parties[key] = Party(name=name, agent_iri=iri, roles=[], shares=[], shares_zh=[])
        return parties[key]

    def note(target: Party, role: str, share: str, share_zh: str) -> None:
        if role not in target.roles:
            target.roles.append(role)
        if share not in target.shares:
            target.shares.append(share)
            target.shares_zh.append(share_zh)

    for obj in objects:
        owner = party(
            names.get(obj.owner_id, str(obj.owner_id)), organisation_agents.get(obj.owner_id)
        )
        kind = obj.primary_type.rsplit("#", 1)[-1]
        note(owner, "owner", f"publishes {kind} {obj.id[:8]}", f"发布 {kind} {obj.id[:8]}")
    for event in events:
        recorder = party(agent_names.get(event.recorded_by, event.recorded_by), event.recorded_by)
        code = event.event_code or "?"
        note(recorder, "event recorder", f"records {code}", f"记录 {code} 事件")
    ids = [o.id for o in objects]
    for grant in session.scalars(select(AccessGrant).where(AccessGrant.object_id.in_(ids))):
        holder = party(agent_names.get(grant.agent_iri, grant.agent_iri), grant.agent_iri)
        permission = grant.permission.removeprefix(API)
        english, chinese = _PERMISSION_WORDS.get(permission, (permission, permission))
        note(
            holder,
            "delegated access",
            f"may {english} {grant.object_id[:8]}",
            f"可{chinese} {grant.object_id[:8]}",
        )
    iris = [o.iri for o in objects]
    for subscription in session.scalars(
        select(Subscription).where(Subscription.topic.in_(iris), Subscription.active.is_(True))
    ):
        subscriber = party(
            agent_names.get(subscription.subscriber, subscription.subscriber),
            subscription.subscriber,
        )
        topic = subscription.topic.rsplit("/", 1)[-1][:8]
        note(subscriber, "subscriber", f"is notified of {topic}", f"接收 {topic} 的通知")
    return list(parties.values())


_PERMISSION_WORDS = {
    "GET_LOGISTICS_OBJECT": ("read", "读取"),
    "GET_LOGISTICS_EVENT": ("read the events of", "读取事件"),
    "POST_LOGISTICS_EVENT": ("record events on", "记录事件"),
    "PATCH_LOGISTICS_OBJECT": ("request changes to", "申请修改"),
}


def _sent_row(n: Notification) -> NotificationRow:
    return NotificationRow(
        id=n.id,
        direction="sent",
        event_type=n.event_type,
        object_iri=n.object_iri,
        status=n.status,
        attempts=n.attempts,
        target=n.target_url,
        last_error=n.last_error,
        created_at=n.created_at,
    )


def _received_row(r: ReceivedNotification) -> NotificationRow:
    return NotificationRow(
        id=r.id,
        direction="received",
        event_type=r.event_type,
        object_iri=r.object_iri,
        status="received",
        attempts=1,
        target=r.sender,
        last_error=None,
        created_at=r.received_at,
    )


def _notifications(session: Session, objects: list[LogisticsObject]) -> list[NotificationRow]:
    iris = [o.iri for o in objects]
    rows = [
        _sent_row(n)
        for n in session.scalars(
            select(Notification).where(Notification.object_iri.in_(iris)).order_by(Notification.id)
        )
    ]
    rows += [
        _received_row(r)
        for r in session.scalars(
            select(ReceivedNotification)
            .where(ReceivedNotification.object_iri.in_(iris))
            .order_by(ReceivedNotification.id)
        )
    ]
    return sorted(rows, key=lambda row: row.created_at)


def public_tracking(session: Session, awb: str) -> ShipmentRecord | None:
    """The record of an air waybill for public tracking (no account): the page built on it shows
    only the Cargo iQ milestones and the route, as airlines' tracking pages do."""
    waybill = session.scalar(
        select(LogisticsObject)
        .where(LogisticsObject.awb == awb)
        .order_by(LogisticsObject.created_at)
        .limit(1)
    )
    return None if waybill is None else _record(session, None, waybill)


def shipment_record(
    session: Session, server: Server, caller: Caller, object_id: str
) -> ShipmentRecord:
    root = service.find_object(session, server, object_id)
    if not _readable(session, caller, root):
        raise OneRecordError(403, "Access denied", resource=root.iri)
    return _record(session, caller, root)


def _record(session: Session, caller: Caller | None, root: LogisticsObject) -> ShipmentRecord:
    objects = _linked_objects(session, caller, root)
    graphs = {obj.id: _latest(session, obj).graph for obj in objects}  # read once
    names = _names(session)
    agent_names = _agent_names(session)
    summaries = [summarise(session, obj, names, graphs[obj.id]) for obj in objects]
    labels = {s.id: s.label for s in summaries}
    events = _events(session, objects)
    return ShipmentRecord(
        root=summaries[0],
        objects=summaries,
        timeline=_timeline(events, labels, agent_names),
        milestones=_route_map(events),
        route=_route(objects, graphs, events),
        parties=_parties(session, objects, events, names, agent_names),
        notifications=_notifications(session, objects),
        location_codes=_location_codes([*graphs.values(), *(e.graph for e in events)]),
    )


def _location_codes(graphs: Iterable[ld.Graph]) -> dict[str, str]:
    """Location name -> its code (an IATA airport code such as PVG), from the locations in the
    record's objects and events, so that routes read as airports do on a waybill."""
    codes: dict[str, str] = {}
    for graph in graphs:
        for node in graph.values():
            name = ld.first_text(node, CARGO + "locationName")
            if not name or name in codes:
                continue
            for value in ld.values_of(node, CARGO + "locationCodes"):
                code = ld.first_text(graph.get(str(value.get("@id", "")), {}), CARGO + "code")
                if code:
                    codes[name] = code
                    break
    return codes


def export_graph(
    session: Session, server: Server, caller: Caller, object_id: str
) -> dict[str, Any]:
    """The record as one JSON-LD document: every object and event, compacted."""
    root = service.find_object(session, server, object_id)
    if not _readable(session, caller, root):
        raise OneRecordError(403, "Access denied", resource=root.iri)
    objects = _linked_objects(session, caller, root)
    nodes = [ld.nest(obj.iri, _latest(session, obj).graph) for obj in objects]
    nodes += [ld.nest(event.iri, event.graph) for event in _events(session, objects)]
    return ld.compact({"@graph": nodes})


def notification_log(
    session: Session, status: str | None = None, limit: int = 200
) -> list[NotificationRow]:
    """Sent notifications (optionally only one status, such as the dead letters) and received."""
    query = select(Notification).order_by(Notification.id.desc()).limit(limit)
    if status:
        query = query.where(Notification.status == status)
    rows = [_sent_row(n) for n in session.scalars(query)]
    if status in (None, "received"):
        rows += [
            _received_row(r)
            for r in session.scalars(
                select(ReceivedNotification).order_by(ReceivedNotification.id.desc()).limit(limit)
            )
        ]
    return sorted(rows, key=lambda row: row.created_at, reverse=True)


# --- import -------------------------------------------------------------------------------


def _rewrite(document: Any, mapping: dict[str, str]) -> Any:
    """Replace IRIs of objects imported in the same run by the IRIs they got here."""
    if isinstance(document, dict):
        return {key: _rewrite(value, mapping) for key, value in document.items()}
    if isinstance(document, list):
        return [_rewrite(value, mapping) for value in document]
    if isinstance(document, str):
        return mapping.get(document, document)
    return document


def import_files(
    session: Session,
    server: Server,
    caller: Caller,
    paths: list[Path],
    event_for: str | None = None,
) -> list[ImportOutcome]:
    """Load ONE Record documents as they are: logistics objects are created (new IRIs; links
    between files of one run follow), events are recorded under ``event_for`` or under the
    imported object they are for, API messages are skipped, and files that are not JSON are
    reported as such. Each file is all-or-nothing."""
    parsed: list[tuple[Path, Any]] = []
    outcomes: list[ImportOutcome] = []
    for path in paths:
        try:
            parsed.append((path, json.loads(path.read_text(encoding="utf-8"))))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            outcomes.append(
                ImportOutcome(file=path.name, outcome="invalid", detail=f"not valid JSON: {exc}")
            )
    mapping: dict[str, str] = {}
    vocabulary = server.vocabulary
    kinds: dict[Path, str] = {}
    for path, document in parsed:
        try:
            root = ld.single_root(ld.expand(document))
        except ld.LinkedDataError as exc:
            outcomes.append(ImportOutcome(file=path.name, outcome="invalid", detail=exc.title))
            continue
        types = root.get("@type", [])
        if any(vocabulary.is_logistics_object_class(t) for t in types):
            kinds[path] = "object"
        elif any(vocabulary.is_subclass(t, CARGO + "LogisticsEvent") for t in types):
            kinds[path] = "event"
        else:
            names = ", ".join(t.rsplit("#", 1)[-1] for t in types) or "no @type"
            outcomes.append(
                ImportOutcome(
                    file=path.name,
                    outcome="skipped",
                    detail=f"an API message ({names}), not logistics data",
                )
            )
    for kind in ("object", "event"):
        for path, document in parsed:
            if kinds.get(path) == kind:
                outcome = _import_one(
                    session, server, caller, kind, path.name, _rewrite(document, mapping), event_for
                )
                source_id = document.get("@id") if isinstance(document, dict) else None
                if outcome.outcome == "created" and isinstance(source_id, str) and outcome.iri:
                    mapping[source_id] = outcome.iri
                outcomes.append(outcome)
    return sorted(outcomes, key=lambda o: o.file)


def _import_one(
    session: Session,
    server: Server,
    caller: Caller,
    kind: str,
    name: str,
    body: Any,
    event_for: str | None,
) -> ImportOutcome:
    try:
        with session.begin_nested():
            if kind == "object":
                obj = service.create_object(session, server, caller, body)
                detail = obj.primary_type.rsplit("#", 1)[-1]
                return ImportOutcome(file=name, outcome="created", detail=detail, iri=obj.iri)
            target = event_for or _event_target(server, body)
            if target is None:
                detail = "an event for an object that is not on this server (use --event-for)"
                return ImportOutcome(file=name, outcome="skipped", detail=detail)
            event = service.add_event(session, server, caller, target, body)
            return ImportOutcome(
                file=name, outcome="event", detail=event.event_code or "", iri=event.iri
            )
    except OneRecordError as exc:
        reason = "; ".join(message for message, _ in exc.details)
        return ImportOutcome(file=name, outcome="refused", detail=f"{exc.title}: {reason}")


def _event_target(server: Server, body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    for key in ("cargo:eventFor", "cargo:linkedObject", CARGO + "eventFor"):
        value = body.get(key)
        if isinstance(value, dict) and isinstance(value.get("@id"), str):
            return server.local_id(value["@id"])
    return None
