"""IATA's ONE Record unit-test collections, run with newman against a live ``digitrade serve``.

- The 2025-07 suite (API 2.2, cargo ontology 3.2) against the default server: every request and
  every assertion passes.
- The 2.0.0 suite (API 2.0, the December 2023 standard) against a server set to API 2.0.0. Three
  things about that suite are documented here rather than worked around:
  - its bodies use terms of the cargo ontology 2.x (``HandlingInstructions``,
    ``shipmentOfPieces``, ``unit`` as a string) that ontology 3.0.0 no longer has, so the server
    runs with ``validation=lenient`` (kept as sent); the strict server refuses exactly those
    requests, which ``test_strict_server_refuses_the_2_0_suites_outdated_terms`` shows;
  - it compares response header names case-sensitively (``Type``), so the server runs on h11,
    which keeps header case on the wire (httptools writes names in lower case);
  - one assertion cannot pass on any server ("Approve Action Request": the Type header must be
    one of three api: IRIs *and* contain ``{baseUrl}/action-requests/``). The 2025-07 suite
    checks the Location header there instead; the test requires that this one assertion, and
    nothing else, fails.

The collections carry someone else's credentials (an empty token, a JWT for another server):
the run sets collection-level bearer auth to ``{{token}}``, this server's API key. Nothing else in
the collection changes.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support import REPO_ROOT, in_ci, official_fixture
from tests.systems.aircargo.conftest import CONFORMANCE_REPORTS
from tests.systems.aircargo.servers import OneRecordServer, one_record_server

pytestmark = pytest.mark.fixtures
NEWMAN = REPO_ROOT / "node_modules" / ".bin" / "newman"
SUITE_2025 = "onerecord-current/conformance/1R_Unit_Tests-2025-07.postman_collection.json"
SUITE_2_0 = "onerecord-api-2.0/conformance/1R_Unit_Tests-2.0.0.postman_collection.json"
IMPOSSIBLE_2_0 = (
    "Approve Action Request",
    "Check Location contains {{baseUrl}}/action-requests/ ",
)


def _newman() -> Path:
    if NEWMAN.exists():
        return NEWMAN
    message = f"newman is not installed at {NEWMAN} (run 'make test', which runs 'npm ci')"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def run_suite(collection: Path, server: OneRecordServer, work: Path) -> dict[str, Any]:
    document = json.loads(collection.read_text(encoding="utf-8"))
    document["auth"] = {
        "type": "bearer",
        "bearer": [{"key": "token", "value": "{{token}}", "type": "string"}],
    }
    prepared = work / collection.name
    prepared.write_text(json.dumps(document), encoding="utf-8")
    report = work / f"{collection.stem}.report.json"
    command = [
        str(_newman()),
        "run",
        str(prepared),
        "--env-var",
        f"baseUrl={server.base_url}",
        "--env-var",
        f"token={server.token}",
        "--reporters",
        "cli,json",
        "--reporter-json-export",
        str(report),
        "--disable-unicode",
        "--color",
        "off",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    (work / f"{collection.stem}.newman.txt").write_text(done.stdout + done.stderr)
    assert report.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    run = json.loads(report.read_text(encoding="utf-8"))["run"]
    failures = [
        (
            f["source"].get("name"),
            f["error"].get("test") or f["error"].get("name"),
            f["error"]["message"],
        )
        for f in run["failures"]
    ]
    stats = run["stats"]
    summary = {
        "requests": stats["requests"]["total"],
        "requests_failed": stats["requests"]["failed"],
        "assertions": stats["assertions"]["total"],
        "assertions_failed": stats["assertions"]["failed"],
        "scripts_failed": stats["testScripts"]["failed"],
        "failures": failures,
    }
    # The figures end up in the session's summary: what ran, what failed.
    version = server.env.get("DIGITRADE_ONERECORD_API_VERSION", "2.2.0")
    CONFORMANCE_REPORTS.append(
        f"{collection.stem} against API {version}: "
        f"{summary['requests']} requests ({summary['requests_failed']} failed), "
        f"{summary['assertions']} assertions ({summary['assertions_failed']} failed)"
    )
    CONFORMANCE_REPORTS.extend(
        f"  failed: {name} / {test}: {message}" for name, test, message in failures
    )
    return summary


def test_iata_2025_07_suite_passes_completely(tmp_path):
    collection = official_fixture(SUITE_2025)
    _newman()
    with one_record_server(tmp_path / "server", org_slug="airline", org_name="Airline") as server:
        summary = run_suite(collection, server, tmp_path)
    assert summary["requests"] == 56
    assert summary["assertions"] >= 460
    assert summary["failures"] == [], summary["failures"]
    assert summary["requests_failed"] == summary["scripts_failed"] == 0


def test_iata_2_0_suite_passes_but_for_its_impossible_assertion(tmp_path):
    collection = official_fixture(SUITE_2_0)
    _newman()
    settings = {
        "DIGITRADE_ONERECORD_API_VERSION": "2.0.0",
        "DIGITRADE_ONERECORD_VALIDATION": "lenient",
    }
    with one_record_server(
        tmp_path / "server",
        org_slug="airline",
        org_name="Airline",
        settings=settings,
        serve_args=["--http", "h11"],
    ) as server:
        summary = run_suite(collection, server, tmp_path)
    assert summary["requests"] == 56
    assert summary["assertions"] >= 490
    assert [(name, test) for name, test, _ in summary["failures"]] == [IMPOSSIBLE_2_0]
    assert summary["requests_failed"] == summary["scripts_failed"] == 0


def test_strict_server_refuses_the_2_0_suites_outdated_terms(tmp_path):
    """What lenient mode lets through: the 2.0 suite's ontology-2.x terms, refused by name."""
    collection = json.loads(official_fixture(SUITE_2_0).read_text(encoding="utf-8"))
    bodies = {}
    for folder in collection["item"]:
        for group in folder.get("item", []):
            for request in group.get("item", [group]):
                if (
                    request.get("name") in ("Create a Piece", "Create a Shipment")
                    and "request" in request
                ):
                    bodies.setdefault(request["name"], request["request"]["body"]["raw"])
    with (
        one_record_server(
            tmp_path / "server",
            org_slug="airline",
            org_name="Airline",
            settings={"DIGITRADE_ONERECORD_API_VERSION": "2.0.0"},
        ) as server,
        server.client() as client,
    ):
        piece = client.post("/logistics-objects", content=bodies["Create a Piece"])
        assert piece.status_code == 400
        assert "cargo#HandlingInstructions" in piece.text
        shipment_body = bodies["Create a Shipment"].replace(
            "{{baseUrl}}/logistics-objects/{{pieceId}}", server.base_url + "/logistics-objects/x"
        )
        shipment = client.post("/logistics-objects", content=shipment_body)
        assert shipment.status_code == 400
        assert (
            "unknown property https://onerecord.iata.org/ns/cargo#shipmentOfPieces" in shipment.text
        )


def test_newman_is_pinned():
    package = json.loads((REPO_ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["newman"] == "6.2.2"
    lock = json.loads((REPO_ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/newman"]["version"] == "6.2.2"
