"""``digitrade stats``: import figures, read series, check progress to the targets, nowcast."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from digitrade.core.auth.principal import Principal
from digitrade.core.cli_support import (
    FormatOption,
    OutputFormat,
    db_session,
    emit,
    fail,
    handle_errors,
)
from digitrade.systems.statistics import service
from digitrade.systems.statistics.schemas import TargetCreate

app = typer.Typer(help="Services-trade monitor: figures, targets, progress.", no_args_is_help=True)
CLI_ACTOR = Principal.system("cli")


def _read(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise fail(f"{path}: no such file")
    if file.stat().st_size > service.MAX_IMPORT_BYTES:
        raise fail(f"{path}: larger than {service.MAX_IMPORT_BYTES:,} bytes")
    return file.read_bytes()


def _line_count(data: bytes) -> int:
    return max(data.count(b"\n"), 1)


@app.command("import")
@handle_errors
def import_file(
    path: str = typer.Argument(..., help="template CSV/XLSX, UNCTAD panel CSV or SDMX-CSV"),
    source: str = typer.Option("", help="where the figures come from (default: the file name)"),
    preview: bool = typer.Option(False, "--preview", help="check and count, store nothing"),
    output: OutputFormat = FormatOption,
) -> None:
    """Import a file all-or-nothing; any row error refuses the whole file."""
    data = _read(path)
    total = _line_count(data) if path.lower().endswith(".csv") else None
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True, quiet=output is OutputFormat.JSON),
        transient=True,
    ) as bar:
        reading = bar.add_task("checking rows", total=total)
        storing = bar.add_task("storing values", total=None, visible=False)

        def stored(done: int) -> None:
            bar.update(reading, visible=False)
            bar.update(storing, visible=True, completed=done)

        with db_session() as session:
            result = service.import_file(
                session,
                actor=CLI_ACTOR,
                data=data,
                filename=Path(path).name,
                source=source,
                commit=not preview,
                read_progress=lambda done: bar.update(reading, completed=done),
                progress=stored,
            )
    emit(
        result,
        output,
        columns=[
            "filename",
            "format",
            "rows",
            "new",
            "revised",
            "unchanged",
            "skipped",
            "error_count",
            "committed",
            "ledger_index",
        ],
    )
    if result.error_count:
        for error in result.errors[:20]:
            typer.echo(f"line {error.line}: {error.code}: {error.message}", err=True)
        raise typer.Exit(1)


@app.command("progress")
@handle_errors
def progress(
    economy: str = typer.Option(..., "--economy", help="CN-SH, CHN, ..."),
    definition: str = typer.Option("mofcom_wto", help="unctad or mofcom_wto"),
    window: int = typer.Option(service.DEFAULT_WINDOW, help="years of observed growth"),
    output: OutputFormat = FormatOption,
) -> None:
    """Each target of an economy: required and observed growth, on track, projected year."""
    with db_session() as session:
        report = service.progress(session, economy=economy, definition=definition, window=window)
    if output is OutputFormat.JSON:
        emit(report, output)
        return
    emit(
        [t.model_dump(mode="json") for t in report.targets],
        output,
        columns=[
            "indicator",
            "target_year",
            "target_value",
            "latest_year",
            "latest_value",
            "required_cagr",
            "observed_cagr",
            "on_track",
            "projected_year",
        ],
        title=f"{report.economy} ({report.definition})",
    )


@app.command("series")
@handle_errors
def series(
    economy: str = typer.Option(..., "--economy"),
    code: str = typer.Option("S", "--code", help="EBOPS 2010 code, S, SOX or DDS"),
    flow: str = typer.Option("total", help="credit, debit, total or balance"),
    definition: str = typer.Option("", help="for DDS: unctad or mofcom_wto"),
    frequency: str = typer.Option("A", help="A, Q or M"),
    start: str = typer.Option("", help="first period, e.g. 2015"),
    end: str = typer.Option("", help="last period"),
    output: OutputFormat = FormatOption,
) -> None:
    """The current values of one series (millions of US dollars)."""
    with db_session() as session:
        result = service.series(
            session,
            economy=economy,
            code=code,
            flow=flow,
            definition=definition or None,
            frequency=frequency,
            start=start or None,
            end=end or None,
        )
    if output is OutputFormat.JSON:
        emit(result, output)
        return
    emit([p.model_dump() for p in result.points], output, title=f"{economy} {code} {flow}")


@app.command("history")
@handle_errors
def history(
    economy: str = typer.Option(..., "--economy"),
    code: str = typer.Option(..., "--code"),
    period: str = typer.Option(..., "--period"),
    flow: str = typer.Option("", help="credit or debit"),
    output: OutputFormat = FormatOption,
) -> None:
    """Every vintage of one value, oldest first."""
    with db_session() as session:
        rows = service.observation_history(
            session, economy=economy, code=code, period=period, flow=flow or None
        )
    emit(
        rows,
        output,
        columns=["period", "flow", "value", "status", "vintage", "current", "source", "created_at"],
    )


@app.command("nowcast")
@handle_errors
def nowcast(
    economy: str = typer.Option(..., "--economy"),
    code: str = typer.Option("S", "--code"),
    definition: str = typer.Option("", help="for DDS"),
    year: int = typer.Option(0, help="default: the latest year with data"),
    output: OutputFormat = FormatOption,
) -> None:
    """Estimate a year's exports + imports from the quarters or months reported so far."""
    with db_session() as session:
        result = service.nowcast(
            session, economy=economy, code=code, definition=definition or None, year=year or None
        )
    emit(result, output)


@app.command("targets")
@handle_errors
def targets(
    economy: str = typer.Option("", "--economy"),
    output: OutputFormat = FormatOption,
) -> None:
    """The targets held as data (the plan's, the national share, users' own)."""
    with db_session() as session:
        rows = service.list_targets(session, economy=economy or None)
    emit(
        rows,
        output,
        columns=["key", "economy", "indicator", "target_year", "target_value", "unit", "builtin"],
    )


@app.command("add-target")
@handle_errors
def add_target(
    key: str = typer.Option(..., "--key"),
    economy: str = typer.Option(..., "--economy"),
    indicator: str = typer.Option(..., help="services_total, dds_total or dds_share"),
    target_year: int = typer.Option(..., "--year"),
    target_value: str = typer.Option(..., "--value", help="US$ millions, or percent for a share"),
    label: str = typer.Option(..., "--label"),
    citation: str = typer.Option(..., "--citation"),
    definition: str = typer.Option("mofcom_wto"),
    output: OutputFormat = FormatOption,
) -> None:
    """Add a target of your own."""
    data = TargetCreate.model_validate(
        {
            "key": key,
            "economy": economy,
            "indicator": indicator,
            "definition": definition,
            "target_year": target_year,
            "target_value": target_value,
            "label_en": label,
            "citation": citation,
        }
    )
    with db_session() as session:
        emit(service.create_target(session, actor=CLI_ACTOR, data=data), output)


@app.command("template")
@handle_errors
def template(
    path: str = typer.Argument(..., help="where to write it: .csv or .xlsx"),
    output: OutputFormat = FormatOption,
) -> None:
    """Write the blank import template officials fill in."""
    target = Path(path)
    if target.suffix.lower() not in {".csv", ".xlsx"}:
        raise fail("the template is .csv or .xlsx")
    target.write_bytes(service.template_bytes(target.suffix.lower()))
    emit({"written": str(target)}, output)
