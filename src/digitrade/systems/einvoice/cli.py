"""``digitrade einvoice``: validate, issue, convert and verify e-invoices; manage rule packs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from digitrade.core.auth.principal import Principal
from digitrade.core.auth.service import organisation_id_for_slug
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
from digitrade.core.errors import DomainError
from digitrade.systems.einvoice import rulepacks, service
from digitrade.systems.einvoice.schemas import IssueRequest, profile_of

app = typer.Typer(
    help="E-invoicing: EN 16931, Peppol BIS 3, UBL, CII, 数电票.", no_args_is_help=True
)
rules_app = typer.Typer(help="Versioned validation rule packs.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
CLI_ACTOR = Principal.system("cli")
MAX_FILE_BYTES = 20 * 1024 * 1024


def _root() -> Path:
    return service.rule_pack_root(get_settings().data_dir)


def _read_bytes(path: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        with open(path, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}") from None


def _write_or_print(body: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(body if body.endswith(b"\n") else body + b"\n")
        return
    try:
        out.write_bytes(body)
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror}") from None


def file_report(path: str, *, profile: str, versions: dict[str, str] | None) -> dict[str, Any]:
    """The report of one file; a file that cannot be read at all is an invalid one, not a crash
    of the whole batch."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return _unreadable(path, "einvoice.unreadable-file", f"cannot read {path}: {exc.strerror}")
    try:
        report = service.validate(
            data, root=_root(), profile=profile_of(profile), versions=versions
        )
    except DomainError as exc:
        if exc.code.startswith("einvoice.rule-pack"):
            raise  # a missing or damaged rule pack stops the run: never a silent pass
        return _unreadable(path, exc.code, exc.detail)
    return {"file": path, **report.to_json()}


def _unreadable(path: str, rule: str, message: str) -> dict[str, Any]:
    """The report of a file that could not be validated at all: invalid, with the reason."""
    return {
        "file": path,
        "valid": False,
        "syntax": None,
        "rule_packs": [],
        "findings": [
            {
                "rule": rule,
                "severity": "fatal",
                "location": "/",
                "message": message,
                "test": "",
                "layer": "input",
            }
        ],
        "summary": {"fatal": 1, "warning": 0, "information": 0},
    }


@app.command("validate")
@handle_errors
def validate(
    files: Annotated[list[str], typer.Argument(help="UBL or CII invoice files")],
    profile: Annotated[
        str, typer.Option(help="auto (Peppol when BT-24 claims it), en16931 or peppol")
    ] = "auto",
    peppol_version: Annotated[str | None, typer.Option(help="e.g. 3.0.19")] = None,
    en16931_version: Annotated[str | None, typer.Option(help="e.g. 1.3.16")] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Validate each file (XSD, EN 16931, Peppol). Exits 1 if any file is invalid."""
    if profile not in ("auto", "en16931", "peppol"):
        raise fail("--profile must be auto, en16931 or peppol")
    versions = {
        k: v for k, v in {"peppol": peppol_version, "en16931": en16931_version}.items() if v
    } or None
    reports = []
    with Progress(
        TextColumn("validating"),
        BarColumn(),
        MofNCompleteColumn(),
        console=error_console,
        transient=True,
        disable=len(files) < 3,
    ) as progress:
        task = progress.add_task("validate", total=len(files))
        for path in files:
            reports.append(file_report(path, profile=profile, versions=versions))
            progress.advance(task)
    if output is OutputFormat.JSON:
        emit(reports[0] if len(reports) == 1 else reports, output)
    else:
        for report in reports:
            _print_report(report)
    if not all(r["valid"] for r in reports):
        raise typer.Exit(1)


def _print_report(report: dict[str, Any]) -> None:
    packs = ", ".join(f"{p['name']} {p['version']}" for p in report["rule_packs"]) or "none"
    verdict = "valid" if report["valid"] else "INVALID"
    summary = report.get("summary", {})
    typer.echo(
        f"{report['file']}: {verdict} ({report['syntax'] or 'unreadable'}; {packs}; "
        f"{summary.get('fatal', 0)} fatal, {summary.get('warning', 0)} warnings)"
    )
    for finding in report["findings"]:
        typer.echo(f"  {finding['severity']:<11} {finding['rule']:<24} {finding['message']}")


@rules_app.command("install")
@handle_errors
def rules_install(
    path: Annotated[Path, typer.Argument(help="Folder or .zip/.tar.gz with official artefacts")],
    output: OutputFormat = FormatOption,
) -> None:
    """Install rule packs (recognised by pinned SHA-256, or described by manifest.json files)."""
    with db_session() as session:
        packs = service.install_rule_packs(session, actor=CLI_ACTOR, source=path, root=_root())
    emit(packs, output, columns=["name", "version", "layer", "effective", "files"])


@rules_app.command("fetch")
@handle_errors
def rules_fetch(
    name: Annotated[
        list[str] | None, typer.Option("--name", help="Only these packs (repeat)")
    ] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Download the official releases from their public repositories and verify pinned hashes."""
    with httpx.Client(timeout=60.0, follow_redirects=True) as client:
        try:
            packs = rulepacks.fetch_official(_root(), client, names=name or None)
        except httpx.HTTPError as exc:
            raise fail(f"download failed: {exc}") from None
    service.validator.cache_clear()
    emit(
        [service._pack_read(p) for p in packs],
        output,
        columns=["name", "version", "layer", "effective", "files"],
    )


@rules_app.command("list")
@handle_errors
def rules_list(output: OutputFormat = FormatOption) -> None:
    """The installed rule packs."""
    emit(
        service.list_rule_packs(_root()),
        output,
        columns=["name", "version", "layer", "effective", "files", "source"],
    )


@app.command("issue")
@handle_errors
def issue(
    file: Annotated[str, typer.Argument(help="Issue request JSON (see /docs), or - for stdin")],
    organisation: Annotated[str, typer.Option("--org", help="Seller organisation slug")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the UBL file here")] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Issue an invoice for a seller: numbered, computed, validated, stored and anchored."""
    try:
        body = json.loads(_read_bytes(file))
    except json.JSONDecodeError as exc:
        raise fail(f"{file} is not JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(body, dict):
        raise fail("the request must be a JSON object")
    service.warm_up(_root())  # compile the rules before the write transaction takes its lock
    with db_session() as session:
        org_id = organisation_id_for_slug(session, organisation)
        body = {"profile": "peppol", **body, "organisation_id": org_id}
        issued = service.issue(
            session, actor=CLI_ACTOR, request=IssueRequest.model_validate(body), root=_root()
        )
        if out is not None:
            _, document = service.issued_document(session, actor=CLI_ACTOR, invoice_id=issued.id)
            _write_or_print(document, out)
    emit(
        issued,
        output,
        columns=["id", "number", "issue_date", "currency", "payable_amount", "sha256", "ledger"],
    )


@app.command("list")
@handle_errors
def list_invoices(
    organisation: Annotated[str, typer.Option("--org", help="Seller organisation slug")],
    limit: int = 50,
    output: OutputFormat = FormatOption,
) -> None:
    """Invoices issued by a seller, newest first."""
    with db_session() as session:
        org_id = organisation_id_for_slug(session, organisation)
        items, _ = service.list_issued(
            session, actor=CLI_ACTOR, organisation_id=org_id, limit=limit
        )
    emit(
        items,
        output,
        columns=["id", "number", "issue_date", "buyer_name", "currency", "payable_amount"],
    )


@app.command("convert")
@handle_errors
def convert(
    file: Annotated[str, typer.Argument(help="A valid UBL or CII invoice, or - for stdin")],
    to: Annotated[str, typer.Option(help="ubl, cii, fapiao-xml or fapiao-json")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file")] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Convert through the EN 16931 model; mapping notes say what the target cannot carry."""
    if to not in ("ubl", "cii", "fapiao-xml", "fapiao-json"):
        raise fail("--to must be ubl, cii, fapiao-xml or fapiao-json")
    body, notes = service.convert(_read_bytes(file), to, root=_root())  # type: ignore[arg-type]
    if output is OutputFormat.JSON:
        emit({"document": body.decode("utf-8"), "notes": notes}, output)
        return
    _write_or_print(body, out)
    for note in notes:
        typer.echo(f"note: {note.get('field')}: {note.get('message_en')}", err=True)


@app.command("import-fapiao")
@handle_errors
def import_fapiao(
    file: Annotated[str, typer.Argument(help="A fully digitalised e-invoice (XML or JSON)")],
    to: Annotated[str, typer.Option(help="ubl or cii")] = "ubl",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file")] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Map a 数电票 to an EN 16931 invoice and validate the result."""
    if to not in ("ubl", "cii"):
        raise fail("--to must be ubl or cii")
    body, notes, report = service.import_fapiao(_read_bytes(file), target=to, root=_root())
    if output is OutputFormat.JSON:
        emit(
            {"document": body.decode("utf-8"), "notes": notes, "validation": report.to_json()},
            output,
        )
        return
    _write_or_print(body, out)
    for note in notes:
        typer.echo(f"note: {note.get('field')}: {note.get('message_en')}", err=True)
    typer.echo(f"validation: {'valid' if report.valid else 'INVALID'}", err=True)


@app.command("verify")
@handle_errors
def verify(
    file: Annotated[str, typer.Argument(help="An invoice file as received")],
    output: OutputFormat = FormatOption,
) -> None:
    """Was this exact file issued on this platform? Exits 1 if not."""
    with db_session() as session:
        result = service.verify_file(session, _read_bytes(file))
    emit(result, output)
    if not result.issued_here:
        raise typer.Exit(1)
