"""The dependency rules of docs/architecture.md, checked on every test run."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

from digitrade.composition import SYSTEMS
from tests.support import REPO_ROOT

SOURCE = REPO_ROOT / "src" / "digitrade"


def test_import_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports)], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_services_never_commit():
    """Services flush; the request or the CLI command owns the transaction."""
    offenders = [
        str(path.relative_to(SOURCE))
        for path in [
            *SOURCE.glob("systems/*/service.py"),
            SOURCE / "core/auth/service.py",
            SOURCE / "core/audit.py",
        ]
        if ".commit()" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_pure_protocol_modules_do_no_io():
    """R5: Merkle proofs, canonicalisation and signature suites import no I/O or database."""
    forbidden = {"sqlalchemy", "fastapi", "httpx", "requests", "socket", "subprocess", "os"}
    pure = [
        SOURCE / "core/crypto/jcs.py",
        *SOURCE.glob("core/ledger/merkle.py"),
        *SOURCE.glob("core/ledger/note.py"),
        *SOURCE.glob("core/ledger/checkpoint.py"),
    ]
    for path in pure:
        used = {name.split(".")[0] for name in _imports(path)}
        assert not used & forbidden, f"{path.name} imports {used & forbidden}"


def test_every_system_is_wired_documented_and_linted():
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    independence = next(c for c in contracts if c["type"] == "independence")
    for system in SYSTEMS:
        assert (SOURCE / "systems" / system.name).is_dir()
        assert (REPO_ROOT / "docs" / "systems" / f"{system.name}.md").is_file()
        assert "digitrade.systems.*" in independence["modules"]
    packages = {p.name for p in (SOURCE / "systems").iterdir() if (p / "__init__.py").is_file()}
    assert packages == {s.name for s in SYSTEMS}, "a system package is not in composition.py"
