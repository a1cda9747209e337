from __future__ import annotations

import pytest

from digitrade.app import create_app
from digitrade.composition import SYSTEMS


@pytest.fixture
def app(settings, session_factory):
    """The platform with every enabled system mounted."""
    return create_app(settings, systems=SYSTEMS, session_factory=session_factory)
