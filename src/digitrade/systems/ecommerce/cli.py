"""``digitrade ecommerce``: retail-import tax, returns, three-order matching, air dangerous-goods
screening and CEB message validation from the command line. Pure computations: no database."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Annotated, Any

import typer

from digitrade.core.cli_support import FormatOption, OutputFormat, emit, fail, handle_errors
from digitrade.systems.ecommerce import dangerous_goods, matching, returns, tax
from digitrade.systems.ecommerce.ceb import read_message, validate_message
from digitrade.systems.ecommerce.ceb.xmlsafe import DEFAULT_MAX_BYTES
from digitrade.systems.ecommerce.fields import (
    as_object,
    decimal_field,
    decimal_value,
    optional_decimal,
    reject_unknown,
)

app = typer.Typer(
    help="Cross-border e-commerce clearance: tax, returns, three orders, CEB messages, air DG.",
    no_args_is_help=True,
)
MAX_JSON_BYTES = 1024 * 1024
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
