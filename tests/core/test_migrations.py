"""The models and the migrations describe the same schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import digitrade.composition
import digitrade.core.models  # noqa: F401 - every core table
from digitrade.core.db import Base
from digitrade.core.migrations import current_revision, head_revision


def test_models_match_migrations(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_database_is_at_head(engine):
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()


def test_single_head():
    from alembic.script import ScriptDirectory

    from digitrade.core.migrations import alembic_config

    assert len(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()) == 1
