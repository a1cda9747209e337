from __future__ import annotations

import pytest

from digitrade.app import create_app
from digitrade.composition import SYSTEMS
from digitrade.core.ledger import service as ledger
from tests.core.ledger.conftest import KEK, PREFIX


@pytest.fixture
def app(settings, session_factory):
    """The platform with every enabled system mounted."""
    return create_app(settings, systems=SYSTEMS, session_factory=session_factory)


@pytest.fixture
def platform_log(db):
    """The platform ledger log, which releases are anchored in."""
    ledger.ensure_log(db, name="platform", kek=KEK, origin_prefix=PREFIX)
    db.commit()
