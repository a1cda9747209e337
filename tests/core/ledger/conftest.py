from __future__ import annotations

import pytest
from sqlalchemy import text

from digitrade.core.ledger import service
from tests.conftest import TEST_KEK as KEK

PREFIX = "ledger.test.example"
GUARDED = (
    "core_ledger_entry",
    "core_ledger_node",
    "core_ledger_checkpoint",
    "core_ledger_cosignature",
)


@pytest.fixture
def log_name(db) -> str:
    service.create_log(db, name="evidence", kek=KEK, origin_prefix=PREFIX, description="tests")
    db.commit()
    return "evidence"


@pytest.fixture
def platform_log(db) -> str:
    service.ensure_log(db, name="platform", kek=KEK, origin_prefix=PREFIX)
    db.commit()
    return "platform"


def drop_guards(db) -> None:
    """What an attacker with database access does first (undone by the test's rollback)."""
    for table in GUARDED:
        if db.get_bind().dialect.name == "sqlite":
            db.execute(text(f"DROP TRIGGER {table}_no_update"))
            db.execute(text(f"DROP TRIGGER {table}_no_delete"))
        else:
            db.execute(text(f"DROP TRIGGER {table}_no_change ON {table}"))
