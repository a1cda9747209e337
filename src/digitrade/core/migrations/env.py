"""Alembic environment: runs on the connection handed in by ``digitrade db upgrade``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import digitrade.core.models  # noqa: F401 - every core table on Base.metadata
from digitrade.core.db import Base

config = context.config
target_metadata = config.attributes.get("target_metadata", Base.metadata)


def run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copy-and-move
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as fresh:
        run(fresh)
