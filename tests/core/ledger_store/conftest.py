from __future__ import annotations

import pytest

from digitrade.core.ledger import service
from tests.conftest import TEST_KEK as KEK

PREFIX = "ledger.test.example"


@pytest.fixture
def log_name(db) -> str:
    service.create_log(db, name="evidence", kek=KEK, origin_prefix=PREFIX, description="tests")
    db.commit()
    return "evidence"
