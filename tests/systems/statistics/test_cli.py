"""``digitrade stats``: the progress JSON contract, imports with their errors, series, history,
nowcast, targets and the template, on a throwaway database (SQLite or PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from digitrade.cli import app
from digitrade.core.config import get_settings
from tests.support import official_fixture, throwaway_database

HEADER = "economy,period,code,flow,value,currency,unit_multiplier,basis,status,source\n"
CONTRACT = {
    "indicator",
    "target_year",
    "target_value",
    "latest_value",
    "required_cagr",
    "observed_cagr",
    "on_track",
    "projected_year",
}


@pytest.fixture(scope="module")
def cli_database(tmp_path_factory) -> Iterator[str]:
    with throwaway_database(tmp_path_factory.mktemp("stats-cli")) as url:
        yield url


@pytest.fixture
def run(cli_database, monkeypatch):
    monkeypatch.setenv("DIGITRADE_DATABASE_URL", cli_database)
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(app, list(args))
        if ok:
            assert result.exit_code == 0, result.output + str(result.exception)
        return result

    run_once = invoke("db", "upgrade", "--format", "json")
    assert run_once.exit_code == 0
    yield invoke
    get_settings.cache_clear()


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def assert_one_line_error(result):
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert lines and lines[0].startswith("error: "), result.stderr


def test_import_then_progress_contract(run, tmp_path):
    rows = "".join(
        f"CN-SH,{year},S,{flow},{value},USD,6,bop,official,cli test\n"
        for year, value in ((2019, 50_000), (2024, 100_000))
        for flow in ("credit", "debit")
    )
    imported = json.loads(
        run("stats", "import", write(tmp_path, "s.csv", HEADER + rows), "--format", "json").stdout
    )
    assert imported["committed"] and imported["rows"] == 4
    report = json.loads(run("stats", "progress", "--economy", "CN-SH", "--format", "json").stdout)
    assert {"economy", "definition", "latest_year", "targets"} <= report.keys()
    assert report["economy"] == "CN-SH" and report["latest_year"] == 2024
    for target in report["targets"]:
        assert target.keys() >= CONTRACT
    services = next(t for t in report["targets"] if t["indicator"] == "services_total")
    assert (services["on_track"], services["projected_year"]) == (True, 2026)
    table = run("stats", "progress", "--economy", "CN-SH")
    assert "services_total" in table.stdout


def test_bad_import_is_one_line_errors_and_non_zero(run, tmp_path):
    bad = HEADER + "CN-SH,2024,SI,credit,-3,USD,6,bop,official,t\n"
    result = run("stats", "import", write(tmp_path, "bad.csv", bad), ok=False)
    assert_one_line_error(result)
    assert "nothing was imported" in result.stderr
    missing = run("stats", "import", str(tmp_path / "absent.csv"), ok=False)
    assert_one_line_error(missing)
    preview = run(
        "stats",
        "import",
        write(tmp_path, "bad2.csv", bad),
        "--preview",
        "--format",
        "json",
        ok=False,
    )
    assert preview.exit_code == 1
    body = json.loads(preview.stdout)
    assert body["error_count"] == 1 and body["errors"][0]["code"] == "negative-value"


def test_series_history_and_nowcast(run, tmp_path):
    rows = [HEADER]
    for year in (2023, 2024, 2025):
        for quarter, value in enumerate((20, 25, 25, 30), start=1):
            for flow in ("credit", "debit"):
                rows.append(f"CN-SH-LG,{year}-Q{quarter},S,{flow},{value},USD,9,bop,official,t\n")
    for flow in ("credit", "debit"):
        rows.append(f"CN-SH-LG,2026-Q1,S,{flow},22,USD,9,bop,official,t\n")
    run("stats", "import", write(tmp_path, "q.csv", "".join(rows)))
    series = json.loads(
        run(
            "stats", "series", "--economy", "CN-SH-LG", "--frequency", "Q", "--format", "json"
        ).stdout
    )
    assert series["points"][0] == {
        "period": "2023-Q1",
        "value": "40000",
        "status": "official",
        "vintage": 1,
    }
    estimate = json.loads(
        run("stats", "nowcast", "--economy", "CN-SH-LG", "--format", "json").stdout
    )
    assert estimate["label"] == "nowcast" and estimate["year"] == 2026
    run(
        "stats",
        "import",
        write(tmp_path, "r.csv", HEADER + "CN-SH-LG,2023-Q1,S,credit,21,USD,9,bop,official,rev\n"),
    )
    history = json.loads(
        run(
            "stats",
            "history",
            "--economy",
            "CN-SH-LG",
            "--code",
            "S",
            "--period",
            "2023-Q1",
            "--flow",
            "credit",
            "--format",
            "json",
        ).stdout
    )
    assert [(h["vintage"], h["current"]) for h in history] == [(1, False), (2, True)]


def test_targets_and_template(run, tmp_path):
    targets = json.loads(run("stats", "targets", "--format", "json").stdout)
    assert {"shanghai-2029-services", "shanghai-2029-dds", "china-2029-dds-share"} <= {
        t["key"] for t in targets
    }
    added = run(
        "stats",
        "add-target",
        "--key",
        "lingang-2029",
        "--economy",
        "CN-SH-LG",
        "--indicator",
        "services_total",
        "--year",
        "2029",
        "--value",
        "30000",
        "--label",
        "Lin-gang services trade",
        "--citation",
        "illustrative",
        "--format",
        "json",
    )
    assert json.loads(added.stdout)["key"] == "lingang-2029"
    assert_one_line_error(
        run(
            "stats",
            "add-target",
            "--key",
            "x",
            "--economy",
            "CN-SH",
            "--indicator",
            "nope",
            "--year",
            "2029",
            "--value",
            "1",
            "--label",
            "l",
            "--citation",
            "c",
            ok=False,
        )
    )
    path = tmp_path / "template.xlsx"
    run("stats", "template", str(path))
    assert path.read_bytes()[:2] == b"PK"


def test_real_panel_import_via_cli(run):
    panel = official_fixture("services-trade/unctad_dds_panel_2010_2023.csv")
    result = json.loads(
        run("stats", "import", str(panel), "--source", "UNCTAD", "--format", "json").stdout
    )
    assert (result["format"], result["rows"], result["skipped"]) == ("unctad-panel", 5_256, 502)
    china = json.loads(
        run(
            "stats",
            "series",
            "--economy",
            "CHN",
            "--code",
            "DDS",
            "--definition",
            "unctad",
            "--start",
            "2023",
            "--format",
            "json",
        ).stdout
    )
    assert china["points"] == [
        {"period": "2023", "value": "387583", "status": "official", "vintage": 1}
    ]
