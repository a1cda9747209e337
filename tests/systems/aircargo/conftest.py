from __future__ import annotations

import pytest

from digitrade.app import create_app
from digitrade.composition import SYSTEMS

BASE = "http://testserver/onerecord"
# Filled by the conformance tests: one line per newman run, printed at the end of the session.
CONFORMANCE_REPORTS: list[str] = []


@pytest.fixture
def settings(settings):
    """IRIs minted under the test client's own address, so they dereference in the tests."""
    return settings.model_copy(update={"onerecord_base_url": BASE})


@pytest.fixture
def app(settings, session_factory):
    """The platform with every enabled system mounted."""
    return create_app(settings, systems=SYSTEMS, session_factory=session_factory)


def pytest_terminal_summary(terminalreporter) -> None:
    """What IATA's collections ran and what failed, in every run's output (CI included)."""
    if CONFORMANCE_REPORTS:
        terminalreporter.section("IATA ONE Record unit tests (newman)")
        for line in CONFORMANCE_REPORTS:
            terminalreporter.write_line(line)
