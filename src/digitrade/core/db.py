"""Database engine, sessions and the declarative base shared by every table.

SQLite (the default) runs in WAL mode with foreign keys enforced; PostgreSQL is selected by
``DIGITRADE_DATABASE_URL``. Services ``flush()``; the request or CLI command owns the commit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import orjson
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    MetaData,
    Select,
    Table,
    TypeDecorator,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

T = TypeVar("T")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC timestamps on both SQLite (which drops the offset) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base: every table of the platform hangs off this metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UtcDateTime()}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the pysqlite driver, decide when transactions begin: the driver's own
    # implicit BEGIN breaks SAVEPOINTs and transactional DDL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


# Datetimes and dataclasses go to the fallback, which refuses them as it always did.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def json_text(value: Any) -> str:
    """The text a JSON column stores: orjson's, several times faster than the standard library's
    on the larger documents (a clearance result, written with every order), or the standard
    library's where orjson refuses the value (keys that are not strings, integers beyond 64
    bits; a type neither encodes, such as a date or a Decimal, then fails as it always did).

    Where the two differ: UUIDs and enum members are written as their values (the standard
    encoder refused them); NaN and infinities are written as null (the standard encoder wrote
    ``NaN``, which is not JSON and which PostgreSQL refuses); non-ASCII text is written as UTF-8
    rather than ``\\u`` escapes, with no spaces after separators: readers see the same values."""
    try:
        return orjson.dumps(value, option=_ORJSON_OPTIONS).decode()
    except TypeError:
        return json.dumps(value)


# Execution option asking SQLite for the write lock at BEGIN. A deferred transaction that reads
# and then writes fails at once (SQLITE_BUSY, no busy wait) if another writer committed in
# between; taking the lock up front makes it wait its turn instead.
WRITE_INTENT = {"sqlite_begin": "IMMEDIATE"}


def _sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine; for a file SQLite database, create its folder and turn on WAL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False},
            json_serializer=json_text,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        json_serializer=json_text,
    )


def make_session_factory(bind: Any) -> sessionmaker[Session]:
    return sessionmaker(bind=bind, expire_on_commit=False, autoflush=True)


@contextmanager
def transaction(factory: sessionmaker[Session], *, write: bool = True) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error, always close.

    ``write``: the work may write, so on SQLite it takes the write lock at BEGIN (readers are
    never blocked in WAL mode; writers queue with the busy timeout instead of failing).
    """
    session = factory()
    if write:
        session.connection(execution_options=WRITE_INTENT)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert many rows with one DB-API ``executemany``, in the session's transaction.

    For bulk paths (ledger appends and tree nodes) where per-row ORM bookkeeping would cost more
    than the database itself. Values must already be in driver form (bytes, int, str, and
    datetimes passed through the column type's bind processor).
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    markers = ", ".join(marker for _ in columns)
    # Identifiers come from the table definition; every value is a bound parameter.
    sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({markers})"  # noqa: S608
    connection.exec_driver_sql(sql, rows)


def insert_values(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``insert_rows`` of column-value dicts (all with the same keys), each value converted to
    driver form by its column's type (JSON, UTC datetimes), as the ORM would bind it."""
    if not rows:
        return
    columns = list(rows[0])
    dialect = session.connection().dialect
    converted = [
        (at, processor)
        for at, processor in enumerate(_bind_processor(table.c[name], dialect) for name in columns)
        if processor is not None
    ]
    values: list[tuple[Any, ...]] = []
    for row in rows:
        value = [row[name] for name in columns]
        for at, processor in converted:
            value[at] = processor(value[at])
        values.append(tuple(value))
    insert_rows(session, table, columns, values)


def bind_value(session: Session, column: Column[Any], value: Any) -> Any:
    """``value`` as the driver receives it for ``column`` (type conversions applied)."""
    processor = _bind_processor(column, session.connection().dialect)
    return processor(value) if processor else value


def _bind_processor(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    processor: Callable[[Any], Any] | None = column.type.dialect_impl(dialect).bind_processor(
        dialect
    )
    return processor


def fetch_page(
    session: Session, query: Select[tuple[T]], *, limit: int, offset: int
) -> tuple[list[T], int]:
    """One page of ``query`` (already ordered) and the total number of rows it matches."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(session.scalars(query.limit(limit).offset(offset)))
    return rows, total
