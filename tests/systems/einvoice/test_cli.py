"""The ``digitrade einvoice`` command contract: JSON per file, exit codes, one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from digitrade.cli import app
from tests.systems.einvoice.conftest import kit

CONTRACT = {"valid", "syntax", "rule_packs", "findings"}


@pytest.fixture
def run(installed_packs):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["einvoice", *args])

    return invoke


def test_validate_one_file_prints_one_report(run):
    result = run("validate", str(kit("peppol/examples/base-example.xml")), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report.keys() >= CONTRACT
    assert report["valid"] is True and report["syntax"] == "ubl-invoice"


def test_validate_many_files_exits_non_zero_if_any_is_invalid(run, tmp_path):
    hostile = tmp_path / "hostile.xml"
    hostile.write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
        '"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
    )
    files = [
        str(kit("peppol/examples/base-example.xml")),
        str(kit("en16931/examples-cii/CII_example1.xml")),
        str(hostile),
    ]
    result = run("validate", *files, "--format", "json")
    assert result.exit_code == 1
    reports = json.loads(result.stdout)
    assert [r["valid"] for r in reports] == [True, True, False]
    assert all(r.keys() >= CONTRACT for r in reports)
    assert reports[1]["syntax"] == "cii"
    assert "DOCTYPE" in reports[2]["findings"][0]["message"]


def test_peppol_version_is_selectable_and_named(run):
    path = str(kit("en16931/examples-ubl/ubl-tc434-example1.xml"))
    result = run(
        "validate", path, "--profile", "peppol", "--peppol-version", "3.0.19", "-f", "json"
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert {"name": "peppol-bis3-ubl", "version": "3.0.19"}.items() <= next(
        p for p in report["rule_packs"] if p["layer"] == "peppol"
    ).items()


def test_an_unreadable_file_is_reported_invalid_and_the_batch_goes_on(run, tmp_path):
    good = str(kit("peppol/examples/base-example.xml"))
    result = run("validate", str(tmp_path / "absent.xml"), good, "--format", "json")
    assert result.exit_code == 1
    absent, valid = json.loads(result.stdout)
    assert absent["valid"] is False and absent["findings"][0]["rule"] == "einvoice.unreadable-file"
    assert "cannot read" in absent["findings"][0]["message"]
    assert valid["valid"] is True


def test_rules_list(run):
    result = run("rules", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    names = {(p["name"], p["version"]) for p in json.loads(result.stdout)}
    assert ("peppol-bis3-ubl", "3.0.21") in names and ("ubl-2.1-xsd", "2.1") in names


def test_convert_prints_the_document(run, tmp_path):
    out = tmp_path / "out.xml"
    source = str(kit("peppol/examples/base-example.xml"))
    result = run("convert", source, "--to", "cii", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert b"CrossIndustryInvoice" in out.read_bytes()
    back = run("validate", str(out), "--profile", "en16931", "--format", "json")
    assert json.loads(back.stdout)["valid"] is True
