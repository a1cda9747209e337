"""Helpers shared by the tests: throwaway databases, official fixtures, principals."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_FIXTURES = REPO_ROOT.parent / "shared" / "fixtures"
TEST_DATABASE_ENV = "DIGITRADE_TEST_DATABASE_URL"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def official_fixture(relative: str) -> Path:
    """Path of official test material under ../shared/fixtures.

    Missing material skips the test with a visible reason on a developer's clone and fails it in
    CI, where a silent skip would hide lost coverage.
    """
    path = SHARED_FIXTURES / relative
    if not path.exists():
        message = f"official fixture {path} is missing (clone with ../shared to run this test)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path


@contextmanager
def throwaway_database(tmp_dir: Path) -> Iterator[str]:
    """A fresh, empty database for one test session, dropped afterwards.

    SQLite by default; with DIGITRADE_TEST_DATABASE_URL set, a new database on that PostgreSQL
    server (the server is shared and keeps state between runs, so each run makes its own).
    """
    server_url = os.environ.get(TEST_DATABASE_ENV)
    if not server_url:
        yield f"sqlite:///{tmp_dir / f'test-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    url = make_url(server_url)
    if url.get_backend_name() != "postgresql":
        raise RuntimeError(f"{TEST_DATABASE_ENV} must point at PostgreSQL, got {url.drivername}")
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    name = f"digitrade_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        raise RuntimeError(f"PostgreSQL at {url.render_as_string()} is unreachable: {exc}") from exc
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
