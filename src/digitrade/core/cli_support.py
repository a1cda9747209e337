"""Shared plumbing of every CLI command: output formats, the database, and clean errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from digitrade.core.config import get_settings
from digitrade.core.crypto.jcs import to_json_compatible
from digitrade.core.db import make_engine, make_session_factory, transaction
from digitrade.core.errors import DomainError

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
error_console = Console(stderr=True)


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


FormatOption = typer.Option(
    OutputFormat.TABLE, "--format", "-f", help="table for people, json for scripts"
)


@contextmanager
def db_session() -> Iterator[Session]:
    """One transaction for one command, on the configured database."""
    engine = make_engine(get_settings().database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def fail(message: str, code: int = 1) -> typer.Exit:
    # One line, never wrapped: scripts grep it.
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    return typer.Exit(code)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn expected failures into one line on stderr and a non-zero exit, never a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except DomainError as exc:
            raise fail(f"{exc.detail} [{exc.code}]") from None
        except ValidationError as exc:
            issues = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg']}" for e in exc.errors()
            )
            raise fail(f"invalid input: {issues} [validation-failed]") from None
        except OperationalError as exc:
            raise fail(f"database error: {exc.orig} [database]") from None

    return wrapper


def emit(
    data: Any, output: OutputFormat, *, columns: Sequence[str] | None = None, title: str = ""
) -> None:
    """Print a model, a list of models or a dict, as JSON or as a table."""
    plain = _plain(data)
    if output is OutputFormat.JSON:
        sys.stdout.write(json.dumps(plain, ensure_ascii=False, indent=2) + "\n")
        return
    if isinstance(plain, dict):
        table = Table(title=title or None, show_header=False)
        table.add_column("field", style="bold")
        table.add_column("value")
        for name in columns or plain.keys():
            table.add_row(name, _cell(plain.get(name)))
        console.print(table)
        return
    rows = plain if isinstance(plain, list) else [plain]
    if not rows:
        console.print("(none)")
        return
    if isinstance(rows[0], dict):
        names = list(columns or rows[0].keys())
        table = Table(title=title or None)
        for name in names:
            table.add_column(name, overflow="fold")
        for row in rows:
            table.add_row(*[_cell(row.get(name)) for name in names])
        console.print(table)
    else:
        for row in rows:
            console.print(str(row), markup=False)


def _plain(data: Any) -> Any:
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json")
    if isinstance(data, list | tuple):
        return [_plain(item) for item in data]
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    return to_json_compatible(data)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
