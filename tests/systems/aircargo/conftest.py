from __future__ import annotations

import pytest

from digitrade.app import create_app
from digitrade.composition import SYSTEMS

BASE = "http://testserver/onerecord"


@pytest.fixture
def settings(settings):
    """IRIs minted under the test client's own address, so they dereference in the tests."""
    return settings.model_copy(update={"onerecord_base_url": BASE})


@pytest.fixture
def app(settings, session_factory):
    """The platform with every enabled system mounted."""
    return create_app(settings, systems=SYSTEMS, session_factory=session_factory)
