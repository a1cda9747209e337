"""``digitrade ecommerce``: retail-import tax, returns, three-order matching, air dangerous-goods
screening and CEB message validation from the command line (pure computations, no database), and
``clear``, which stores and clears a folder of CEB messages for a platform organisation."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from digitrade.core.auth.models import Organisation
from digitrade.core.auth.permissions import register_permissions
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
from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.ledger.kinds import register_kinds
from digitrade.systems.ecommerce import (
    dangerous_goods,
    delivery,
    matching,
    returns,
    service,
    tax,
)
from digitrade.systems.ecommerce.batch import (
    BatchResult,
    clear_prepared,
    collector_paused,
    evaluate_ahead,
    prepare_batch,
    refresh_statuses,
)
from digitrade.systems.ecommerce.ceb import read_message, validate_message
from digitrade.systems.ecommerce.ceb.xmlsafe import DEFAULT_MAX_BYTES
from digitrade.systems.ecommerce.evidence import LEDGER_KINDS
from digitrade.systems.ecommerce.fields import (
    as_object,
    decimal_field,
    decimal_value,
    optional_decimal,
    reject_unknown,
)
from digitrade.systems.ecommerce.permissions import PERMISSIONS
from digitrade.systems.ecommerce.schemas import ReceiptEndpointWrite
from digitrade.systems.ecommerce.service import CHINA

app = typer.Typer(
    help="Cross-border e-commerce clearance: tax, returns, three orders, CEB messages, air DG.",
    no_args_is_help=True,
)
MAX_JSON_BYTES = 1024 * 1024
PlatformOption = Annotated[str, typer.Option(help="The platform organisation (slug)")]
_CONTEXT_KEYS = frozenset(
    {"expected_tax", "annual_total_before", "registered_enterprises", "tolerance_percent"}
)


def _read_bytes(path: str, limit: int) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read(limit + 1)
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}") from None


def _read_json(path: str) -> Any:
    data = _read_bytes(path, MAX_JSON_BYTES)
    if len(data) > MAX_JSON_BYTES:
        raise fail(f"{path} is larger than {MAX_JSON_BYTES:,} bytes")
    try:
        # Numbers become Decimal straight from the text: money never passes through a float.
        return json.loads(data.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise fail(f"{path} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise fail(f"{path} is not JSON: {exc.msg} at line {exc.lineno}") from None


def _print_reasons(reasons: list[dict[str, str]]) -> None:
    for reason in reasons:
        typer.echo(f"  {reason['code']}: {reason['message']}")


def _organisation_id(session: Session, slug: str) -> int:
    organisation_id = session.scalar(select(Organisation.id).where(Organisation.slug == slug))
    if organisation_id is None:
        raise fail(f"organisation {slug!r} does not exist")
    return organisation_id


def _as_of_day(as_of: str | None) -> dt.date:
    """The day of ``--as-of``, today in China when it is not given."""
    try:
        return dt.date.fromisoformat(as_of) if as_of else dt.datetime.now(CHINA).date()
    except ValueError:
        raise fail(f"--as-of must be a date such as 2026-11-26, not {as_of!r}") from None


@app.command("assess-order")
@handle_errors
def assess_order(
    file: Annotated[str, typer.Argument(help="Order (JSON), or - for stdin")],
    output: OutputFormat = FormatOption,
) -> None:
    """Retail-import tax and limits of one order: allowed or not, and the tax line by line."""
    result = tax.assess_order(_read_json(file)).as_dict()
    if output is OutputFormat.JSON:
        emit(result, output)
        return
    summary = {key: value for key, value in result.items() if key not in {"reasons", "lines"}}
    emit(summary, output, title="Assessment")
    _print_reasons(result["reasons"])
    emit(
        result["lines"],
        output,
        columns=[
            "sku",
            "treatment",
            "dutiable_value",
            "duty",
            "consumption_tax",
            "vat",
            "tax_total",
            "excise_basis",
        ],
        title="Lines",
    )


@app.command("check-return")
@handle_errors
def check_return(
    file: Annotated[str, typer.Argument(help="Return (JSON), or - for stdin")],
    output: OutputFormat = FormatOption,
) -> None:
    """Is a return accepted (GAC 2020 No.45 imports, No.44 exports), and is tax relieved."""
    result = returns.check_return(_read_json(file)).as_dict()
    if output is OutputFormat.JSON:
        emit(result, output)
        return
    typer.echo(f"accepted: {result['accepted']}  tax relief: {result['tax_relief']}")
    _print_reasons(result["reasons"])


def _matching_context(path: str | None, tolerance_percent: str | None) -> matching.MatchingContext:
    values = as_object(_read_json(path), "context") if path else {}
    reject_unknown(values, _CONTEXT_KEYS, "context")
    registered = values.get("registered_enterprises")
    if registered is not None and (
        not isinstance(registered, list) or not all(isinstance(code, str) for code in registered)
    ):
        raise fail("context.registered_enterprises must be a list of codes")
    percent = decimal_field(values, "tolerance_percent", "context", default=Decimal(0))
    if tolerance_percent is not None:
        percent = decimal_value(tolerance_percent, "--tolerance-percent")
    if percent < 0 or percent > 100:
        raise fail("the tolerance must be a percentage from 0 to 100")
    return matching.MatchingContext(
        tolerance=matching.Tolerance(percent),
        expected_tax=optional_decimal(values, "expected_tax", "context"),
        annual_total_before=optional_decimal(values, "annual_total_before", "context"),
        registered_enterprises=frozenset(registered) if registered is not None else None,
    )


def _document(role: str, path: str | None) -> Any:
    if path is None:
        return None
    return matching.document_for(role, read_message(_read_bytes(path, DEFAULT_MAX_BYTES)))


@app.command("check-orders")
@handle_errors
def check_orders(
    order: Annotated[str | None, typer.Option(help="CEB311 order")] = None,
    payment: Annotated[str | None, typer.Option(help="CEB411 payment")] = None,
    waybill: Annotated[str | None, typer.Option(help="CEB511 waybill")] = None,
    inventory: Annotated[str | None, typer.Option(help="CEB621 inventory list")] = None,
    context: Annotated[
        str | None,
        typer.Option(
            help="Reference data (JSON): expected_tax, annual_total_before, "
            "registered_enterprises, tolerance_percent; without it those checks are not run "
            "and the best status is accepted (120)"
        ),
    ] = None,
    tolerance_percent: Annotated[
        str | None, typer.Option(help="Allowed difference of amounts, percent (default exact)")
    ] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Three-order matching: released, or which check failed; a missing message is pending."""
    reference = _matching_context(context, tolerance_percent)
    result = matching.check_orders(
        _document(matching.ORDER, order),
        _document(matching.PAYMENT, payment),
        _document(matching.WAYBILL, waybill),
        _document(matching.INVENTORY, inventory),
        context=reference,
    ).as_dict()
    if output is OutputFormat.JSON:
        emit(result, output)
        return
    code = f" ({result['return_status']})" if result["return_status"] else ""
    typer.echo(f"status: {result['status']}{code}  released: {result['released']}")
    emit(result["checks"], output, columns=["name", "passed", "detail"])


@app.command("screen-air")
@handle_errors
def screen_air(
    file: Annotated[str, typer.Argument(help="Parcel (JSON), or - for stdin")],
    output: OutputFormat = FormatOption,
) -> None:
    """Air dangerous-goods screening of a parcel (lithium batteries, magnets, perfume, aerosols)."""
    result = dangerous_goods.screen_air(_read_json(file)).as_dict()
    if output is OutputFormat.JSON:
        emit(result, output)
        return
    typer.echo(f"rules: {result['edition']}")
    columns = [
        "un_number",
        "packing_instruction",
        "section",
        "passenger_aircraft",
        "cargo_aircraft",
        "excepted_quantity",
        "limited_quantity",
        "refused",
    ]
    emit(result["items"], output, columns=columns, title="Items")
    parcel = result["parcel"]
    emit({name: parcel[name] for name in columns}, output, title="Parcel")
    for index, item in enumerate(result["items"]):
        for reason in item["reasons"]:
            typer.echo(f"  item {index}: {reason['message']}")
    _print_reasons(parcel["reasons"])


@app.command("validate-message")
@handle_errors
def validate_messages(
    files: Annotated[list[str], typer.Argument(help="CEB message files (XML)")],
    output: OutputFormat = FormatOption,
) -> None:
    """Check CEB messages field by field; exits 1 when any is invalid."""
    reports = [
        {"file": path, **validate_message(_read_bytes(path, DEFAULT_MAX_BYTES)).as_dict()}
        for path in files
    ]
    if output is OutputFormat.JSON:
        emit(reports[0] if len(reports) == 1 else reports, output)
    else:
        emit(reports, output, columns=["file", "message_type", "valid", "documents"])
        for report in reports:
            for issue in report["issues"]:
                typer.echo(
                    f"  {report['file']}: {issue['severity']} {issue['field']}: {issue['message']}"
                )
    if not all(report["valid"] for report in reports):
        raise typer.Exit(1)


# Message types in the order that lets counterparts meet: an order's inventory list (CEB621)
# comes after its order, payment and waybill, so most orders are checked complete once.
_SUBMIT_ORDER = {"CEB311": 0, "CEB411": 1, "CEB511": 2, "CEB621": 3}
_ROOT = re.compile(rb"CEB([0-9]{3})Message")
_ORDER_NO = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?orderNo>\s*([^<\s][^<]*?)\s*</")
CLEAR_BATCH = 500


def _submit_rank(path: Path) -> tuple[int, str, int, str]:
    """Where a file goes in the submission order, from its root element and order number
    (peeked, not parsed): orders together, each order's inventory list after its order, payment
    and waybill; files without a readable order number last, by type."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError:
        return (1, "", len(_SUBMIT_ORDER), str(path))
    found = _ROOT.search(head)
    kind = f"CEB{found.group(1).decode()}" if found else ""
    rank = _SUBMIT_ORDER.get(kind, len(_SUBMIT_ORDER))
    number = _ORDER_NO.search(head)
    if number is None or rank == len(_SUBMIT_ORDER):
        return (1, "", rank, str(path))
    return (0, number.group(1).decode("utf-8", "replace"), rank, str(path))


def message_files(folder: Path) -> list[Path]:
    """Every ``.xml`` file under ``folder``, in submission order (``_submit_rank``): a batch
    then holds whole orders, which are matched once each."""
    files = [path for path in folder.rglob("*") if path.is_file() and path.suffix.lower() == ".xml"]
    return sorted(files, key=_submit_rank)


def _clear_files(
    factory: sessionmaker[Session], organisation_id: int, paths: list[str]
) -> tuple[BatchResult, int]:
    """Read, validate and clear one batch of files in one transaction (the batch is read,
    validated, matched and assessed before the transaction opens, so its write lock is held only
    while clearing)."""
    result = BatchResult()
    messages: list[tuple[str, bytes]] = []
    for path in paths:
        try:
            messages.append((path, Path(path).read_bytes()))
        except OSError as exc:
            result.errors.append({"file": path, "error": str(exc.strerror)})
    result.merge(clear_messages(factory, Principal.system("cli"), organisation_id, messages))
    return result, len(paths)


def clear_messages(
    factory: sessionmaker[Session],
    actor: Principal,
    organisation_id: int,
    messages: list[tuple[str, bytes]],
) -> BatchResult:
    """Clear one batch of messages (name, bytes): read and validated, matched and assessed in a
    read transaction, then cleared in a write transaction, so that on SQLite the write lock is
    held only while clearing. The garbage collector stays paused until the batch is done and
    its objects freed (``collector_paused``)."""
    with collector_paused():
        return _clear_messages(factory, actor, organisation_id, messages)


def _clear_messages(
    factory: sessionmaker[Session],
    actor: Principal,
    organisation_id: int,
    messages: list[tuple[str, bytes]],
) -> BatchResult:
    prepared = prepare_batch(messages)
    with transaction(factory, write=False) as session:
        evaluate_ahead(session, organisation_id, prepared)
    with transaction(factory) as session:
        return clear_prepared(
            session, actor=actor, organisation_id=organisation_id, prepared=prepared
        )


# The database of a clearing worker process (``clear --workers``), opened once per process.
_WORKER_FACTORY: list[sessionmaker[Session]] = []


def _start_clearing_worker(database_url: str) -> None:
    # A new process knows no system until told: this one needs clearance's own permissions and
    # ledger kind (idempotent registrations).
    register_permissions(PERMISSIONS)
    register_kinds(LEDGER_KINDS)
    _WORKER_FACTORY.append(make_session_factory(make_engine(database_url)))


def _clear_in_worker(task: tuple[int, list[str]]) -> tuple[BatchResult, int]:
    organisation_id, paths = task
    return _clear_files(_WORKER_FACTORY[0], organisation_id, paths)


@app.command("clear")
@handle_errors
def clear(
    folder: Annotated[Path, typer.Argument(help="Folder of CEB messages (.xml, recursively)")],
    organisation: PlatformOption,
    batch_size: Annotated[
        int, typer.Option(min=1, max=10_000, help="Messages per transaction")
    ] = CLEAR_BATCH,
    workers: Annotated[
        int, typer.Option(min=1, max=16, help="Processes clearing batches side by side")
    ] = 1,
    output: OutputFormat = FormatOption,
) -> None:
    """Store and clear every CEB311/411/511/621 in a folder; exits 1 if any file failed.

    Messages are submitted order, payment and waybill first, inventory lists last, in
    transactions of --batch-size; an order still missing a counterpart stays pending and is
    re-checked when it arrives, so any set of files works. With --workers N, N processes clear
    batches side by side (each reads and validates its next batch while another writes)."""
    if not folder.is_dir():
        raise fail(f"{folder} is not a folder")
    files = message_files(folder)
    database_url = get_settings().database_url
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    total = BatchResult()
    try:
        with transaction(factory, write=False) as session:
            organisation_id = _organisation_id(session, organisation)
        progress = Progress(
            TextColumn("clearing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=error_console,
            disable=output is OutputFormat.JSON,
            transient=False,
        )
        batches = [
            (organisation_id, [str(path) for path in files[start : start + batch_size]])
            for start in range(0, len(files), batch_size)
        ]
        with progress:
            task = progress.add_task("clear", total=len(files))
            if workers == 1 or len(batches) < 2:
                for _, paths in batches:
                    result, count = _clear_files(factory, organisation_id, paths)
                    total.merge(result)
                    progress.advance(task, count)
            else:
                context = multiprocessing.get_context("spawn")
                with context.Pool(
                    min(workers, len(batches)),
                    initializer=_start_clearing_worker,
                    initargs=(database_url,),
                ) as pool:
                    for result, count in pool.imap_unordered(_clear_in_worker, batches):
                        total.merge(result)
                        progress.advance(task, count)
                with transaction(factory, write=False) as session:
                    refresh_statuses(session, total)
    finally:
        engine.dispose()
    summary = total.summary(len(files))
    if output is OutputFormat.JSON:
        emit(summary, output)
    else:
        emit(
            {key: value for key, value in summary.items() if key != "errors"},
            output,
            title="Clearance",
        )
        for error in summary["errors"]:
            typer.echo(f"  {error['file']}: {error['error']}")
    if summary["errors"]:
        raise typer.Exit(1)


@app.command("tax-settlement")
@handle_errors
def tax_settlement(
    organisation: Annotated[str, typer.Option(help="The withholding organisation (slug)")],
    as_of: Annotated[
        str | None, typer.Option(help="Day to settle on, YYYY-MM-DD (default: today, China)")
    ] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """Released lists by settlement stage: in the 30-day return window, payable on days 31-45,
    overdue, or returned (tax not collected), with the tax totals of each."""
    day = _as_of_day(as_of)
    with db_session() as session:
        organisation_id = _organisation_id(session, organisation)
        result = service.tax_settlement(
            session, actor=Principal.system("cli"), organisation_id=organisation_id, as_of=day
        )
    if output is OutputFormat.JSON:
        emit(result, output)
        return
    emit(
        [{"stage": stage, **total.model_dump()} for stage, total in result.totals.items()],
        output,
        title=f"tax settlement on {day.isoformat()}",
    )


@app.command("tax-bill")
@handle_errors
def tax_bill(
    order_no: Annotated[str, typer.Argument(help="The order number (orderNo)")],
    organisation: PlatformOption,
    as_of: Annotated[
        str | None, typer.Option(help="Day of the bill, YYYY-MM-DD (default: today, China)")
    ] = None,
    message: Annotated[
        str, typer.Option(help="CEB816 (the bill) or CEB818 (its status)")
    ] = "CEB816",
    out: Annotated[
        Path | None, typer.Option(help="Write the XML to this file instead of printing it")
    ] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """The electronic tax bill of a released order (CEB816), or its status (CEB818): generated
    in the 30-day return window, summarised after it, void once returned."""
    day = _as_of_day(as_of)
    with db_session() as session:
        organisation_id = _organisation_id(session, organisation)
        actor = Principal.system("cli")
        order_id = service.order_id_for(
            session, actor=actor, organisation_id=organisation_id, order_no=order_no
        )
        data = service.tax_bill(
            session, actor=actor, order_id=order_id, as_of=day, message_type=message
        )
    if out is not None:
        out.write_bytes(data)
    if output is OutputFormat.JSON:
        [document] = read_message(data).documents
        head = document.head
        emit(
            {
                "order_no": order_no,
                "message_type": message,
                "as_of": day.isoformat(),
                "tax_no": head.text("taxNo"),
                "status": head.text("status"),
                "customs_tax": head.get("customsTax"),
                "value_added_tax": head.get("valueAddedTax"),
                "consumption_tax": head.get("consumptionTax"),
                "file": str(out) if out is not None else None,
                "xml": data.decode("utf-8"),
            },
            output,
        )
    elif out is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        typer.echo(f"{message} of order {order_no} written to {out}")


@app.command("receipts")
@handle_errors
def receipts(
    organisation: PlatformOption,
    after: Annotated[int, typer.Option(min=0, help="Receipts with an id above this cursor")] = 0,
    limit: Annotated[
        int, typer.Option(min=1, max=service.FEED_LIMIT_MAX, help="At most this many")
    ] = 100,
    out: Annotated[
        Path | None, typer.Option(help="Write each receipt's XML into this folder")
    ] = None,
    output: OutputFormat = FormatOption,
) -> None:
    """The organisation's receipts after a cursor, oldest first; with ``--out`` each is written
    as ``<id>_<type>_<guid>.xml``, as customs' transfer client fills its inbox."""
    with db_session() as session:
        organisation_id = _organisation_id(session, organisation)
        feed = service.receipt_feed(
            session,
            actor=Principal.system("cli"),
            organisation_id=organisation_id,
            after=after,
            limit=limit,
        )
    files: list[str] = []
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for item in feed.items:
            target = out / f"{item.id:010d}_{item.receipt_type}_{item.guid}.xml"
            target.write_text(item.xml or "", encoding="utf-8")
            files.append(str(target))
    if output is OutputFormat.JSON:
        emit({**feed.model_dump(mode="json"), "files": files}, output)
        return
    emit(
        [
            {
                "id": item.id,
                "order_no": item.order_no,
                "receipt": item.receipt_type,
                "status": item.status,
                "info": item.info,
            }
            for item in feed.items
        ],
        output,
        title=f"receipts after {after} (next: --after {feed.next_after})",
    )


@app.command("receipt-endpoint")
@handle_errors
def receipt_endpoint(
    organisation: PlatformOption,
    url: Annotated[
        str | None, typer.Option(help="Send each new receipt to this http(s) URL")
    ] = None,
    from_start: Annotated[
        bool, typer.Option("--from-start", help="Also send the receipts already issued")
    ] = False,
    rotate_secret: Annotated[
        bool, typer.Option("--rotate-secret", help="Issue a new signing secret")
    ] = False,
    disable: Annotated[bool, typer.Option("--disable", help="Pause delivery")] = False,
    remove: Annotated[bool, typer.Option("--remove", help="Stop sending receipts")] = False,
    output: OutputFormat = FormatOption,
) -> None:
    """Where the organisation's receipts are sent, and how far delivery has got; with ``--url``
    names (or changes) the endpoint, with ``--remove`` stops it."""
    actor = Principal.system("cli")
    with db_session() as session:
        organisation_id = _organisation_id(session, organisation)
        if remove:
            service.delete_receipt_endpoint(session, actor=actor, organisation_id=organisation_id)
            emit({"organisation_id": organisation_id, "removed": True}, output)
            return
        if url is None:
            if from_start or rotate_secret or disable:
                raise fail("--from-start, --rotate-secret and --disable need --url")
            result = service.get_receipt_endpoint(
                session, actor=actor, organisation_id=organisation_id
            )
        else:
            try:
                data = ReceiptEndpointWrite(
                    url=url,
                    enabled=not disable,
                    from_start=from_start,
                    rotate_secret=rotate_secret,
                )
            except ValidationError:
                raise fail(
                    f"--url must be an http(s) URL of at most 500 characters: {url!r}"
                ) from None
            result = service.put_receipt_endpoint(
                session, actor=actor, organisation_id=organisation_id, data=data
            )
    emit(result, output, title="receipt endpoint")


@app.command("deliver-receipts")
@handle_errors
def deliver_receipts(output: OutputFormat = FormatOption) -> None:
    """Send the receipts that are due to their endpoints now (the server does this every few
    seconds)."""
    import httpx

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with httpx.Client(timeout=10.0) as client:
            result = delivery.sweep(
                make_session_factory(engine),
                client,
                retry_base_seconds=settings.ecommerce_receipt_retry_base_seconds,
                allow_private=settings.ecommerce_receipt_private_endpoints,
            )
    finally:
        engine.dispose()
    emit(result.as_dict(), output)
