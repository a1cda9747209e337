from __future__ import annotations

from pathlib import Path

import pytest

from digitrade.app import create_app
from digitrade.composition import SYSTEMS
from digitrade.core.ledger import service as ledger
from tests.core.ledger.conftest import KEK, PREFIX
from tests.support import official_fixture


@pytest.fixture(scope="session")
def installed_packs(data_dir: Path) -> Path:
    """The official rule packs installed once into the platform's data folder."""
    from digitrade.systems.einvoice import rulepacks, service

    root = service.rule_pack_root(data_dir)
    if not rulepacks.list_installed(root):
        rulepacks.install_from_path(official_fixture("einvoice"), root)
        service.validator.cache_clear()
    return root


@pytest.fixture
def app(settings, session_factory, installed_packs):
    """The platform with every enabled system mounted and the rule packs installed."""
    return create_app(settings, systems=SYSTEMS, session_factory=session_factory)


@pytest.fixture
def platform_log(db):
    ledger.ensure_log(db, name="platform", kek=KEK, origin_prefix=PREFIX)
    db.commit()


def kit(relative: str) -> Path:
    return official_fixture(f"einvoice/{relative}")
