"""``digitrade aircargo``: the ONE Record server from the command line: its facts, partner
servers, importing ONE Record documents, shipment records and their JSON-LD export, deciding
action requests, and the notification queue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitrade.core.auth.models import Organisation
from digitrade.core.auth.permissions import OrganisationKind
from digitrade.core.auth.principal import Principal
from digitrade.core.cli_support import (
    FormatOption,
    OutputFormat,
    db_session,
    emit,
    error_console,
    fail,
    handle_errors,
)
from digitrade.core.config import get_settings
from digitrade.core.db import make_engine, make_session_factory
from digitrade.systems.aircargo import delivery, records, service
from digitrade.systems.aircargo.models import ActionRequest, LogisticsObject
from digitrade.systems.aircargo.schemas import PartnerRegistration
from digitrade.systems.aircargo.service import Caller, OneRecordError, Server

app = typer.Typer(help="Air cargo data: the IATA ONE Record server.", no_args_is_help=True)
OrgOption = Annotated[str, typer.Option("--org", help="The acting platform organisation (slug)")]


def _server() -> Server:
    return service.server_from_settings(get_settings())


def _caller(session: Session, server: Server, slug: str) -> Caller:
    organisation_id = session.scalar(select(Organisation.id).where(Organisation.slug == slug))
    if organisation_id is None:
        raise fail(f"organisation {slug!r} does not exist")
    agent = service.agent_for_organisation(session, server, organisation_id)
    return Caller(organisation_id, agent.iri, Principal.system("aircargo-cli"))


def _one_record_failure(error: OneRecordError) -> typer.Exit:
    reasons = "; ".join(message for message, _ in error.details)
    return fail(f"{error.title}: {reasons} [onerecord-{error.status}]")


def _object_id(session: Session, server: Server, reference: str) -> str:
    """An object id, its IRI, or an air waybill number."""
    awb = records.normalise_awb(reference)
    if awb:
        found = session.scalar(select(LogisticsObject.id).where(LogisticsObject.awb == awb))
        if found is None:
            raise fail(f"no waybill {awb} on this server")
        return found
    return server.local_id(reference) or reference


@app.command("init")
@handle_errors
def init(
    organisation: Annotated[str, typer.Option("--org", help="Slug of the company (created)")],
    name: Annotated[str, typer.Option(help="The company's name")],
    kind: Annotated[OrganisationKind, typer.Option(help="airline, forwarder, ...")] = (
        OrganisationKind.FORWARDER
    ),
    output: OutputFormat = FormatOption,
) -> None:
    """Stand up this server for one company: the schema, the company (the data holder when it is
    the first organisation, or DIGITRADE_ONERECORD_DATA_HOLDER names it), its logistics agent
    and an API key. Then run ``digitrade serve``."""
    from digitrade.core.auth import service as auth_service
    from digitrade.core.auth.permissions import Role
    from digitrade.core.auth.schemas import ApiKeyCreate, OrganisationCreate
    from digitrade.core.migrations import upgrade

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    server = _server()
    actor = Principal.system("aircargo-init")
    with db_session() as session:
        organisation_id = session.scalar(
            select(Organisation.id).where(Organisation.slug == organisation)
        )
        if organisation_id is None:
            organisation_id = auth_service.create_organisation(
                session,
                actor=actor,
                data=OrganisationCreate(slug=organisation, name=name, kind=kind),
            ).id
        agent = service.agent_for_organisation(session, server, organisation_id)
        holder = service.data_holder_id(session, server)
        holder_iri = (
            service.agent_for_organisation(session, server, holder).iri if holder else agent.iri
        )
        key = auth_service.create_api_key(
            session,
            actor=actor,
            data=ApiKeyCreate(
                organisation_id=organisation_id,
                name="onerecord",
                role=Role.OWNER,
                expires_in_days=settings.api_key_default_days,
            ),
        )
    emit(
        {
            "base_url": server.base_url,
            "api_version": server.version.name,
            "agent": agent.iri,
            "data_holder": holder_iri,
            "api_key": key.token,
            "next": "digitrade serve (with the same DIGITRADE_ONERECORD_BASE_URL)",
        },
        output,
    )


@app.command("info")
@handle_errors
def info(output: OutputFormat = FormatOption) -> None:
    """This server: API root, API version, ontology, data holder and what it holds."""
    server = _server()
    with db_session() as session:
        holder = service.data_holder_id(session, server)
        holder_iri = service.agent_for_organisation(session, server, holder).iri if holder else None
        objects = session.scalar(select(func.count(LogisticsObject.id))) or 0
    emit(
        {
            "base_url": server.base_url,
            "api_version": server.version.name,
            "cargo_ontology": server.version.cargo_ontology_iri,
            "validation": "strict" if server.refuse_unknown else "lenient",
            "data_holder": holder_iri,
            "logistics_objects": objects,
        },
        output,
    )


@app.command("partner-add")
@handle_errors
def partner_add(
    organisation: OrgOption,
    agent_iri: Annotated[str, typer.Option(help="The partner's agent IRI on its own server")],
    server_url: Annotated[str, typer.Option(help="The partner's ONE Record API root")],
    token: Annotated[
        str | None,
        typer.Option(help="The partner's API key for this server's notifications to it"),
    ] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Register a partner organisation's ONE Record server (where its notifications go)."""
    data = PartnerRegistration(
        organisation=organisation,
        agent_iri=agent_iri,
        server_url=server_url,
        outbound_token=token,
    )
    with db_session() as session:
        try:
            partner = service.register_partner_by_slug(session, data)
        except LookupError as exc:
            raise fail(str(exc)) from None
    emit(partner, output)


@app.command("partners")
@handle_errors
def partners(output: OutputFormat = FormatOption) -> None:
    """Partner servers this one delivers notifications to."""
    with db_session() as session:
        emit(service.list_partners(session), output)


@app.command("import")
@handle_errors
def import_documents(
    paths: Annotated[list[Path], typer.Argument(help="ONE Record JSON-LD files or folders")],
    organisation: OrgOption,
    event_for: Annotated[
        str | None, typer.Option(help="Object id the events in these files are for")
    ] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Load ONE Record documents as they are: objects are created, events recorded, API messages
    skipped; files that are not JSON or not valid data are reported. Exit 1 if any was."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.json")) + sorted(path.glob("*.jsonld")))
        elif path.is_file():
            files.append(path)
        else:
            raise fail(f"{path} does not exist")
    server = _server()
    outcomes = []
    with db_session() as session:
        caller = _caller(session, server, organisation)
        with Progress(
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            console=error_console,
            disable=output is OutputFormat.JSON,
        ) as progress:
            task = progress.add_task("import", total=len(files))
            for chunk_start in range(0, len(files), 25):
                chunk = files[chunk_start : chunk_start + 25]
                outcomes += records.import_files(session, server, caller, chunk, event_for)
                progress.advance(task, len(chunk))
    emit(outcomes, output, columns=["file", "outcome", "detail", "iri"])
    if any(o.outcome in ("invalid", "refused") for o in outcomes):
        raise typer.Exit(1)


@app.command("record")
@handle_errors
def record(
    reference: Annotated[str, typer.Argument(help="Air waybill number, object id or IRI")],
    organisation: OrgOption,
    output: OutputFormat = FormatOption,
) -> None:
    """A shipment record: timeline with Cargo iQ milestones, route map, route, parties."""
    server = _server()
    with db_session() as session:
        caller = _caller(session, server, organisation)
        try:
            found = records.shipment_record(
                session, server, caller, _object_id(session, server, reference)
            )
        except OneRecordError as exc:
            raise _one_record_failure(exc) from None
    if output is OutputFormat.JSON:
        emit(found, output)
        return
    emit(found.root, output, title="object")
    emit(
        [
            {
                "milestone": f"{e.code} {e.milestone}",
                "time type": e.time_type,
                "time (UTC)": e.event_date.isoformat() if e.event_date else None,
                "location": e.location,
                "recorded by": e.recorded_by,
            }
            for e in found.timeline
        ],
        output,
        title="timeline",
    )


@app.command("export")
@handle_errors
def export(
    reference: Annotated[str, typer.Argument(help="Air waybill number, object id or IRI")],
    organisation: OrgOption,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file")] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Export a shipment record as one JSON-LD graph."""
    server = _server()
    with db_session() as session:
        caller = _caller(session, server, organisation)
        try:
            graph = records.export_graph(
                session, server, caller, _object_id(session, server, reference)
            )
        except OneRecordError as exc:
            raise _one_record_failure(exc) from None
    text = json.dumps(graph, ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text + "\n", encoding="utf-8")
    emit({"file": str(out), "nodes": len(graph.get("@graph", []))}, output)


@app.command("requests")
@handle_errors
def requests(
    organisation: OrgOption,
    status: Annotated[str, typer.Option(help="REQUEST_PENDING, ... or 'all'")] = "REQUEST_PENDING",
    output: OutputFormat = FormatOption,
) -> None:
    """Action requests about the organisation's objects (what it has to decide)."""
    server = _server()
    with db_session() as session:
        caller = _caller(session, server, organisation)
        query = select(ActionRequest).order_by(ActionRequest.requested_at)
        if status != "all":
            query = query.where(ActionRequest.status == status)
        rows = []
        for request in session.scalars(query):
            if not service.may_decide(session, server, caller, request):
                continue
            rows.append(
                {
                    "id": request.id,
                    "kind": request.kind,
                    "status": request.status,
                    "requested_by": request.requested_by,
                    "requested_at": request.requested_at.isoformat(),
                }
            )
    emit(rows, output, columns=["id", "kind", "status", "requested_by", "requested_at"])


def _decide(request_id: str, organisation: str, status: str, output: OutputFormat) -> None:
    server = _server()
    with db_session() as session:
        caller = _caller(session, server, organisation)
        try:
            decision = service.decide(session, server, caller, request_id, status)
        except OneRecordError as exc:
            raise _one_record_failure(exc) from None
        result: dict[str, Any] = {
            "id": decision.request.id,
            "kind": decision.request.kind,
            "status": decision.request.status,
        }
    emit(result, output)
    if decision.error is not None:
        raise _one_record_failure(decision.error)


@app.command("accept")
@handle_errors
def accept(
    request_id: Annotated[str, typer.Argument(help="Action request id")],
    organisation: OrgOption,
    output: OutputFormat = FormatOption,
) -> None:
    """Accept a change, subscription or access-delegation request."""
    _decide(request_id, organisation, service.ACCEPTED, output)


@app.command("reject")
@handle_errors
def reject(
    request_id: Annotated[str, typer.Argument(help="Action request id")],
    organisation: OrgOption,
    output: OutputFormat = FormatOption,
) -> None:
    """Reject a change, subscription or access-delegation request."""
    _decide(request_id, organisation, service.REJECTED, output)


@app.command("deliver")
@handle_errors
def deliver(output: OutputFormat = FormatOption) -> None:
    """Send the notifications that are due now (the server does this every few seconds)."""
    import httpx

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with httpx.Client(timeout=10.0) as client:
            result = delivery.sweep(make_session_factory(engine), _server(), client)
    finally:
        engine.dispose()
    emit({"delivered": result.delivered, "retried": result.retried, "dead": result.dead}, output)


@app.command("notifications")
@handle_errors
def notifications(
    status: Annotated[str | None, typer.Option(help="pending, delivered, dead or received")] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Notifications sent (dead letters with ``--status dead``) and received."""
    if status not in (None, "pending", "delivered", "dead", "received"):
        raise fail("--status must be pending, delivered, dead or received")
    with db_session() as session:
        rows = records.notification_log(session, status)
    emit(
        rows,
        output,
        columns=["id", "direction", "event_type", "status", "attempts", "target", "last_error"],
    )


@app.command("retry")
@handle_errors
def retry(
    notification_id: Annotated[int, typer.Argument(help="Notification id")],
    output: OutputFormat = FormatOption,
) -> None:
    """Put a dead-lettered notification back in the queue."""
    with db_session() as session:
        try:
            notification = delivery.requeue(session, notification_id)
        except LookupError as exc:
            raise fail(str(exc)) from None
        emit({"id": notification.id, "status": notification.status}, output)
