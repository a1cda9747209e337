"""One set of installed rule packs and one validator for the whole test session.

Compiling the EN 16931 UBL stylesheet takes about a second, so every test shares the compiled
stylesheets (they are cached per process, keyed by the packs' content).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from digitrade.systems.einvoice.rulepacks import install_from_path
from digitrade.systems.einvoice.validation import Validator
from tests.support import official_fixture

KIT = "einvoice"


@pytest.fixture(scope="session")
def rulepack_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rulepacks")
    install_from_path(official_fixture(KIT), root)
    return root


@pytest.fixture(scope="session")
def validator(rulepack_root: Path) -> Validator:
    return Validator(rulepack_root)
