"""``digitrade aircargo`` against its own throwaway database: importing IATA's example documents
as they are, shipment records and their JSON-LD export, deciding requests, the notification
queue, and one-line errors."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from digitrade.cli import app
from digitrade.core.config import get_settings
from tests.support import official_fixture, throwaway_database

BASE = "http://127.0.0.1:8791/onerecord"


@pytest.fixture(scope="module")
def cli_database(tmp_path_factory) -> Iterator[str]:
    with throwaway_database(tmp_path_factory.mktemp("aircargo-cli")) as url:
        yield url


@pytest.fixture
def run(cli_database, monkeypatch):
    monkeypatch.setenv("DIGITRADE_DATABASE_URL", cli_database)
    monkeypatch.setenv("DIGITRADE_ONERECORD_BASE_URL", BASE)
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(app, list(args))
        if ok:
            assert result.exit_code == 0, result.output + str(result.exception)
        return result

    run_once = invoke
    run_once("db", "upgrade", "--format", "json")
    yield run_once
    get_settings.cache_clear()


def as_json(result):
    return json.loads(result.stdout)


def _org(run, slug: str) -> None:
    existing = as_json(run("orgs", "list", "--format", "json"))
    if slug not in json.dumps(existing):
        run("orgs", "create", slug, "--name", slug.title(), "--kind", "carrier", "--format", "json")


def assert_one_line_error(result):
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr


@pytest.mark.fixtures
def test_import_iata_examples_as_they_are(run, monkeypatch):
    """The 2.0 examples load on a 2.0.0 server: objects created, links between files followed,
    API messages skipped, and the two upstream files that are not JSON reported as such."""
    monkeypatch.setenv("DIGITRADE_ONERECORD_API_VERSION", "2.0.0")
    get_settings.cache_clear()
    _org(run, "importer")
    examples = official_fixture("onerecord-api-2.0/examples")
    result = run(
        "aircargo", "import", str(examples), "--org", "importer", "--format", "json", ok=False
    )
    assert result.exit_code == 1  # two files are not JSON
    outcomes = {row["file"]: row for row in as_json(result)}
    assert len(outcomes) == 48
    invalid = sorted(name for name, row in outcomes.items() if row["outcome"] == "invalid")
    assert invalid == ["AuditTrail.json", "AuditTrail_example2.json"]
    assert all("not valid JSON" in outcomes[name]["detail"] for name in invalid)
    created = sorted(name for name, row in outcomes.items() if row["outcome"] == "created")
    assert created == [
        "Company.json",
        "Company_with_id.json",
        "CustomsInformation.json",
        "CustomsInformation_2.json",
        "Piece.json",
        "Piece_with_id.json",
        "Piece_with_id.rev3.json",
        "Sensor.compacted.json",
        "Sensor.expanded.json",
        "Shipment_with_Piece.embedded.json",
        "Shipment_with_Piece.json",
    ]
    assert outcomes["Subscription_example1.json"]["outcome"] == "skipped"
    assert "API message" in outcomes["Subscription_example1.json"]["detail"]
    assert not [name for name, row in outcomes.items() if row["outcome"] == "refused"]
    # Events for objects of another server are skipped unless told which object they are for.
    assert outcomes["LogisticsEvent.json"]["outcome"] == "skipped"
    piece = outcomes["Piece.json"]["iri"].rsplit("/", 1)[-1]
    with_target = run(
        "aircargo", "import", str(examples / "LogisticsEvent.json"),
        "--org", "importer", "--event-for", piece, "--format", "json",
    )  # fmt: skip
    assert as_json(with_target)[0]["outcome"] == "event"


def test_record_export_and_decisions(run, tmp_path, monkeypatch):
    _org(run, "airline-cli")
    document = {
        "@context": {"cargo": "https://onerecord.iata.org/ns/cargo#"},
        "@type": "cargo:Waybill",
        "cargo:waybillPrefix": "000",
        "cargo:waybillNumber": "12345675",
        "cargo:shipment": {
            "@id": "https://elsewhere.example/onerecord/logistics-objects/s1",
        },
    }
    path = tmp_path / "waybill.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    imported = as_json(
        run("aircargo", "import", str(path), "--org", "airline-cli", "--format", "json")
    )
    assert imported[0]["outcome"] == "created"
    record = as_json(
        run("aircargo", "record", "000-12345675", "--org", "airline-cli", "--format", "json")
    )
    assert record["root"]["awb"] == "000-12345675"
    assert [m["code"] for m in record["milestones"]][:3] == ["BKD", "RCS", "MAN"]
    out = tmp_path / "export.jsonld"
    run("aircargo", "export", "00012345675", "--org", "airline-cli", "--out", str(out))
    graph = json.loads(out.read_text(encoding="utf-8"))
    assert graph["@context"]["cargo"] == "https://onerecord.iata.org/ns/cargo#"
    assert graph["cargo:waybillNumber"] == "12345675" or any(
        node.get("cargo:waybillNumber") == "12345675" for node in graph.get("@graph", [])
    )
    assert as_json(run("aircargo", "requests", "--org", "airline-cli", "--format", "json")) == []
    info = as_json(run("aircargo", "info", "--format", "json"))
    assert info["base_url"] == BASE
    assert info["api_version"] == "2.2.0"


def test_errors_are_one_line(run):
    _org(run, "airline-cli")
    assert_one_line_error(
        run("aircargo", "record", "999-00000000", "--org", "airline-cli", ok=False)
    )
    assert_one_line_error(run("aircargo", "record", "nope", "--org", "nobody", ok=False))
    assert_one_line_error(run("aircargo", "accept", "nope", "--org", "airline-cli", ok=False))
    assert_one_line_error(run("aircargo", "retry", "424242", ok=False))
    assert_one_line_error(run("aircargo", "notifications", "--status", "lost", ok=False))
    assert_one_line_error(
        run("aircargo", "import", "/does/not/exist", "--org", "airline-cli", ok=False)
    )
    assert_one_line_error(
        run(
            "aircargo",
            "partner-add",
            "--org",
            "airline-cli",
            "--agent-iri",
            "not a url",
            "--server-url",
            "http://x",
            ok=False,
        )
    )
    assert as_json(run("aircargo", "deliver", "--format", "json")) == {
        "delivered": 0,
        "retried": 0,
        "dead": 0,
    }


def test_init_stands_up_a_company(run):
    first = as_json(
        run(
            "aircargo",
            "init",
            "--org",
            "acme-forwarding",
            "--name",
            "ACME Forwarding",
            "--format",
            "json",
        )
    )
    assert first["base_url"] == BASE
    assert first["agent"].startswith(BASE + "/logistics-objects/")
    assert first["data_holder"].startswith(BASE + "/logistics-objects/")
    assert first["api_key"].startswith("dtk_")
    again = as_json(
        run(
            "aircargo",
            "init",
            "--org",
            "acme-forwarding",
            "--name",
            "ACME Forwarding",
            "--format",
            "json",
        )
    )
    assert again["agent"] == first["agent"]  # the same company, a new key
    assert again["api_key"] != first["api_key"]


def test_init_on_a_fresh_database_makes_the_company_the_data_holder(tmp_path, monkeypatch):
    with throwaway_database(tmp_path) as url:
        monkeypatch.setenv("DIGITRADE_DATABASE_URL", url)
        monkeypatch.setenv("DIGITRADE_ONERECORD_BASE_URL", BASE)
        get_settings.cache_clear()
        try:
            result = CliRunner().invoke(
                app,
                [
                    "aircargo",
                    "init",
                    "--org",
                    "acme",
                    "--name",
                    "ACME Forwarding",
                    "--format",
                    "json",
                ],
            )
            assert result.exit_code == 0, result.output
            body = json.loads(result.stdout)
            assert body["agent"] == body["data_holder"]
            info = CliRunner().invoke(app, ["aircargo", "info", "--format", "json"])
            assert json.loads(info.stdout)["data_holder"] == body["agent"]
        finally:
            get_settings.cache_clear()
