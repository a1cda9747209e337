"""``digitrade dataflow``: assess transfers, keep the register, from the command line."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from digitrade.core.auth.principal import Principal
from digitrade.core.auth.service import organisation_id_for_slug
from digitrade.core.cli_support import (
    FormatOption,
    OutputFormat,
    db_session,
    emit,
    fail,
    handle_errors,
)
from digitrade.systems.dataflow import rules, service
from digitrade.systems.dataflow.schemas import TransferCreate

app = typer.Typer(help="Cross-border data export compliance.", no_args_is_help=True)
CLI_ACTOR = Principal.system("cli")


def _read_json(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(f"{path} is not JSON: {exc.msg} at line {exc.lineno}") from None


def _day(as_of: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        raise fail(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from None


@app.command("assess")
@handle_errors
def assess(
    file: Annotated[str, typer.Argument(help="Assessment request (JSON), or - for stdin")],
    organisation: Annotated[
        str | None, typer.Option("--org", help="Add this organisation's register counts and save")
    ] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Which legal pathway applies: EXEMPT, STANDARD_CONTRACT_OR_CERTIFICATION,
    SECURITY_ASSESSMENT or PROHIBITED, with each reason and its citation."""
    request = _read_json(file)
    if not isinstance(request, dict):
        raise fail("the request must be a JSON object")
    if organisation is None:
        decision = rules.assess(service.parse_request(request))
        result: dict[str, Any] = decision.as_dict()
    else:
        with db_session() as session:
            org_id = organisation_id_for_slug(session, organisation)
            result = service.assess(
                session, actor=CLI_ACTOR, request=request, organisation_id=org_id
            ).model_dump(mode="json")
    if output is OutputFormat.JSON:
        emit(result, output)
        return
    typer.echo(f"pathway: {result['pathway']}  (rules {result['rules_version']})")
    for basis in result["basis"]:
        typer.echo(f"  because {basis['reason']} [{basis['instrument']} {basis['article']}]")
    for obligation in result["obligations"]:
        typer.echo(f"  must: {obligation['text']}")
    for deadline in result["deadlines"]:
        typer.echo(f"  deadline: {deadline['text']}")


@app.command("record")
@handle_errors
def record(
    file: Annotated[str, typer.Argument(help="Transfer (JSON), or - for stdin")],
    output: OutputFormat = FormatOption,
) -> None:
    """Record an outbound transfer in the organisation's register (anchored in the ledger)."""
    data = TransferCreate.model_validate(_read_json(file))
    with db_session() as session:
        transfer = service.record_transfer(session, actor=CLI_ACTOR, data=data)
    emit(transfer, output)


@app.command("register")
@handle_errors
def register(
    organisation: Annotated[str, typer.Option("--org", help="Organisation slug")],
    as_of: Annotated[str | None, typer.Option(help="Date (default today)")] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Year-to-date counts against the thresholds, with warnings."""
    day = _day(as_of)
    with db_session() as session:
        org_id = organisation_id_for_slug(session, organisation)
        summary = service.register_summary(
            session, actor=CLI_ACTOR, organisation_id=org_id, as_of=day
        )
    emit(summary, output)


@app.command("transfers")
@handle_errors
def transfers(
    organisation: Annotated[str, typer.Option("--org", help="Organisation slug")],
    year: Annotated[int | None, typer.Option(help="Calendar year")] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """List the register's transfers."""
    with db_session() as session:
        org_id = organisation_id_for_slug(session, organisation)
        items, _total = service.list_transfers(
            session, actor=CLI_ACTOR, organisation_id=org_id, year=year, limit=200
        )
    emit(
        items,
        output,
        columns=[
            "id",
            "transferred_on",
            "recipient",
            "recipient_country",
            "purpose",
            "individuals",
            "sensitive_individuals",
            "pathway",
        ],
    )


@app.command("lists")
@handle_errors
def lists(output: OutputFormat = FormatOption) -> None:
    """The FTZ data export lists shipped with the product (and how complete each is)."""
    with db_session() as session:
        summaries = service.list_summaries(session)
    if output is OutputFormat.JSON:
        emit(summaries, output)
        return
    emit(
        [{**s, "rows": len(s["rows"])} for s in summaries],
        output,
        columns=["jurisdiction", "kind", "version", "effective_from", "complete", "source", "rows"],
    )


@app.command("match")
@handle_errors
def match(
    jurisdiction: Annotated[str, typer.Option(help="e.g. CN-SH-FTZ, CN-SH-LINGANG")],
    sector: Annotated[str, typer.Option(help="The processor's sector")],
    item: Annotated[list[str], typer.Option(help="A data category or item (repeat)")],
    as_of: Annotated[str | None, typer.Option(help="Date (default today)")] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Is this data on the list in force: on_list, off_list or not_covered, with the rows."""
    day = _day(as_of)
    with db_session() as session:
        found = service.match_list(
            session, jurisdiction=jurisdiction, sector=sector, data_items=item, as_of=day
        )
    emit(found, output)


@app.command("import-list")
@handle_errors
def import_list(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".json, .csv, .xlsx")],
    output: OutputFormat = FormatOption,
) -> None:
    """Install an FTZ list edition (all or nothing; every row error is reported)."""
    with db_session() as session:
        summary = service.install_list(
            session, actor=CLI_ACTOR, filename=file.name, content=file.read_bytes()
        )
    emit(summary, output)
