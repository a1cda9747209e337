"""Whole documents from the kit: the official examples pass, and Peppol tells them apart.

Every example must pass the XSD and EN 16931 (no fatal finding). Peppol's own examples and
snippets also pass the Peppol rules; most CEN examples do not (they are not Peppol documents),
which makes them negative Peppol cases.
"""

from __future__ import annotations

import pytest

from tests.support import SHARED_FIXTURES, official_fixture

pytestmark = pytest.mark.fixtures

KIT = "einvoice"
MISSING = "fixture-missing"
EN16931_VALID = (
    "en16931/examples-ubl",
    "en16931/testfiles-ubl",
    "en16931/examples-cii",
    "peppol/examples",
    "peppol/snippets",
)
PEPPOL_VALID = ("peppol/examples", "peppol/snippets")
PEPPOL_RELEASES = ("3.0.19", "3.0.21")


def documents(*folders: str) -> list[str]:
    base = SHARED_FIXTURES / KIT
    found = sorted(
        path.relative_to(base).as_posix()
        for folder in folders
        if (base / folder).is_dir()
        for path in (base / folder).iterdir()
        if path.is_file()
    )
    return found or [MISSING]


def read(relative: str) -> bytes:
    return official_fixture(KIT if relative == MISSING else f"{KIT}/{relative}").read_bytes()


def fatal(report) -> list[str]:
    return [
        f"{f.rule} at {f.location}: {f.message}" for f in report.findings if f.severity == "fatal"
    ]


@pytest.mark.parametrize("relative", documents(*EN16931_VALID))
def test_official_examples_pass_en16931(validator, relative):
    report = validator.validate(read(relative), profile="en16931")
    assert report.valid, fatal(report)
    assert report.layers_run == ("xsd", "en16931")
    assert report.profile == "en16931"


@pytest.mark.parametrize("release", PEPPOL_RELEASES)
@pytest.mark.parametrize("relative", documents(*PEPPOL_VALID))
def test_peppol_examples_pass_peppol(validator, relative, release):
    report = validator.validate(read(relative), profile="peppol", versions={"peppol": release})
    assert report.valid, fatal(report)
    assert report.layers_run == ("xsd", "en16931", "peppol")
    assert {"name": "peppol-bis3-ubl", "version": release, "layer": "peppol"} in report.rule_packs


def test_peppol_examples_choose_peppol_by_themselves(validator):
    report = validator.validate(read("peppol/examples/base-example.xml"))
    assert report.profile == "peppol"
    assert report.customization_id == (
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    )


def test_a_cen_example_fails_peppol_with_peppol_rules(validator):
    data = read("en16931/examples-ubl/ubl-tc434-example1.xml")
    assert validator.validate(data).profile == "en16931"  # plain EN 16931 CustomizationID
    report = validator.validate(data, profile="peppol", versions={"peppol": "3.0.19"})
    assert not report.valid
    fired = report.fired("fatal")
    assert {"PEPPOL-EN16931-R001", "PEPPOL-EN16931-R003", "PEPPOL-EN16931-R004"} <= fired
    peppol = [f for f in report.findings if f.rule == "PEPPOL-EN16931-R001"]
    assert peppol[0].layer == "peppol"
    assert peppol[0].message == "Business process MUST be provided."
    assert peppol[0].location.startswith("/*:Invoice")
    assert peppol[0].test


def test_cii_examples_report_their_syntax_and_customization(validator):
    report = validator.validate(read("en16931/examples-cii/CII_example1.xml"))
    assert report.syntax == "cii"
    assert report.customization_id == "urn:cen.eu:en16931:2017"
    assert [pack["name"] for pack in report.rule_packs] == ["cii-d16b-xsd", "en16931-cii"]


def test_xsd_failure_stops_before_the_rules_and_says_so(validator):
    # The Greek national examples put AdditionalDocumentReference out of UBL element order.
    report = validator.validate(
        read("peppol/national-examples/GR/GR-base-example-correct.xml"), profile="peppol"
    )
    assert not report.valid
    assert report.layers_run == ("xsd",)
    assert report.layers_not_run == ("en16931", "peppol")
    xsd = [f for f in report.findings if f.rule == "XSD"]
    assert xsd and xsd[0].line and xsd[0].location == "/*/cac:AdditionalDocumentReference[1]"
    assert xsd[0].severity == "fatal" and xsd[0].layer == "xsd"
    notice = report.findings[-1]
    assert (notice.rule, notice.severity) == ("NOT-RUN", "information")
    assert "EN 16931 and Peppol rules were not run" in notice.message
    assert [pack["layer"] for pack in report.to_json()["rule_packs"]] == ["xsd"]


def test_file_names_with_spaces_are_read(validator):
    names = [name for name in documents("en16931/testfiles-ubl") if " " in name]
    assert len(names) == 2 or names == []
    for relative in names:
        assert validator.validate(read(relative), profile="en16931").valid
