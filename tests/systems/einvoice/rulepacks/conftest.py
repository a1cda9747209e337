from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.support import official_fixture


@pytest.fixture(scope="session")
def kit() -> Path:
    """The official validation kit (folder layout differs from the packs' layout)."""
    return official_fixture("einvoice")


@pytest.fixture(scope="session")
def kit_by_digest(kit: Path) -> dict[str, Path]:
    """Every file of the kit by its sha256."""
    return {
        hashlib.sha256(path.read_bytes()).hexdigest(): path
        for path in kit.rglob("*")
        if path.is_file()
    }
