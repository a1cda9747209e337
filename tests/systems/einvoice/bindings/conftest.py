from __future__ import annotations

from pathlib import Path

import pytest

from digitrade.systems.einvoice.validation.validator import Validator
from tests.systems.einvoice.bindings.official import PEPPOL_VERSION, Checker


@pytest.fixture(scope="session")
def checker(installed_packs: Path) -> Checker:
    """One validator for the session, so each rule set is compiled once."""
    return Checker(Validator(installed_packs, versions={"peppol": PEPPOL_VERSION}))
