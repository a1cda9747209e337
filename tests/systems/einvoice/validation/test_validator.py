"""The validator: report contract, choice of rule packs, failing closed, threads, SVRL reading."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from digitrade.core.errors import ValidationFailed
from digitrade.systems.einvoice.rulepacks import RulePackMissing, install_from_path
from digitrade.systems.einvoice.validation import (
    SchematronStylesheet,
    Validator,
    applied_profile,
    saxon_processor,
)
from digitrade.systems.einvoice.validation.svrl import findings_from_svrl, severity_of
from tests.support import official_fixture

PEPPOL_EXAMPLE = "peppol/examples/base-example.xml"
CEN_EXAMPLE = "en16931/examples-ubl/ubl-tc434-example1.xml"
CREDIT_NOTE = "en16931/examples-ubl/ubl-tc434-creditnote1.xml"
CII_EXAMPLE = "en16931/examples-cii/CII_example3.xml"
GREEK_EXAMPLE = "peppol/national-examples/GR/GR-base-example-correct.xml"
PEPPOL_3_0_21_EFFECTIVE = date(2026, 8, 24)


def kit(relative: str) -> bytes:
    return official_fixture(f"einvoice/{relative}").read_bytes()


@pytest.fixture
def private_root(tmp_path: Path) -> Path:
    """Packs of this test alone (compiled stylesheets are still shared through the cache)."""
    install_from_path(official_fixture("einvoice"), tmp_path)
    return tmp_path


# --- the report --------------------------------------------------------------------------------


@pytest.mark.fixtures
def test_report_json_has_exactly_the_documented_members(validator):
    report = validator.validate(kit(CEN_EXAMPLE), profile="peppol", versions={"peppol": "3.0.19"})
    document = report.to_json()
    assert set(document) == {
        "valid",
        "syntax",
        "rule_packs",
        "findings",
        "summary",
        "customization_id",
        "profile",
        "layers_run",
    }
    assert document["valid"] is False
    assert document["syntax"] == "ubl-invoice"
    assert document["profile"] == "peppol"
    assert document["layers_run"] == ["xsd", "en16931", "peppol"]
    assert document["rule_packs"] == [
        {"name": "ubl-2.1-xsd", "version": "2.1", "layer": "xsd"},
        {"name": "en16931-ubl", "version": "1.3.16", "layer": "en16931"},
        {"name": "peppol-bis3-ubl", "version": "3.0.19", "layer": "peppol"},
    ]
    for finding in document["findings"]:
        assert set(finding) == {"rule", "severity", "location", "message", "test", "layer"}
    severities = [finding["severity"] for finding in document["findings"]]
    assert document["summary"] == {
        "fatal": severities.count("fatal"),
        "warning": severities.count("warning"),
        "information": 0,
    }
    assert document["summary"]["fatal"] >= 3


@pytest.mark.fixtures
def test_credit_notes_and_cii_are_recognised(validator):
    assert validator.validate(kit(CREDIT_NOTE)).syntax == "ubl-creditnote"
    report = validator.validate(kit(CII_EXAMPLE))
    assert (report.syntax, report.valid) == ("cii", True)


@pytest.mark.fixtures
def test_documents_in_other_encodings_get_the_same_report(validator):
    utf8 = kit(PEPPOL_EXAMPLE)
    latin1 = etree.tostring(etree.fromstring(utf8), encoding="ISO-8859-1", xml_declaration=True)
    assert b"ISO-8859-1" in latin1[:60]
    assert validator.validate(latin1).to_json() == validator.validate(utf8).to_json()


def test_auto_profile_follows_the_customization_id():
    peppol = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    assert applied_profile("auto", peppol) == "peppol"
    assert applied_profile("auto", "urn:cen.eu:en16931:2017") == "en16931"
    assert applied_profile("auto", None) == "en16931"
    assert applied_profile("en16931", peppol) == "en16931"
    assert applied_profile("peppol", None) == "peppol"


@pytest.mark.fixtures
@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"profile": "xrechnung"}, "profile"),
        ({"versions": {"schematron": "1"}}, "versions"),
        ({"versions": {"peppol": ""}}, "versions.peppol"),
    ],
)
def test_bad_options_are_refused(validator, arguments, field):
    with pytest.raises(ValidationFailed) as caught:
        validator.validate(kit(PEPPOL_EXAMPLE), **arguments)
    assert caught.value.fields[0].field == field


# --- which rule packs ---------------------------------------------------------------------------


@pytest.mark.fixtures
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 6, 1), "3.0.19"),
        (PEPPOL_3_0_21_EFFECTIVE, "3.0.21"),
        (date(2027, 1, 1), "3.0.21"),
    ],
)
def test_default_release_is_the_newest_in_effect(rulepack_root, today, expected):
    report = Validator(rulepack_root, today=lambda: today).validate(kit(PEPPOL_EXAMPLE))
    assert report.rule_packs[-1] == {
        "name": "peppol-bis3-ubl",
        "version": expected,
        "layer": "peppol",
    }


@pytest.mark.fixtures
def test_pinned_versions_win_over_the_default(rulepack_root):
    pinned = Validator(rulepack_root, versions={"peppol": "3.0.19"})
    assert pinned.validate(kit(PEPPOL_EXAMPLE)).rule_packs[-1]["version"] == "3.0.19"
    overridden = pinned.validate(kit(PEPPOL_EXAMPLE), versions={"peppol": "3.0.21"})
    assert overridden.rule_packs[-1]["version"] == "3.0.21"


@pytest.mark.fixtures
def test_nothing_in_effect_yet_is_missing_not_a_pass(rulepack_root):
    validator = Validator(rulepack_root, today=lambda: date(2020, 1, 1))
    with pytest.raises(RulePackMissing) as caught:
        validator.validate(kit(PEPPOL_EXAMPLE))
    assert "in effect on 2020-01-01" in caught.value.detail


@pytest.mark.fixtures
def test_a_pinned_version_that_is_not_installed_is_missing(validator):
    with pytest.raises(RulePackMissing) as caught:
        validator.validate(kit(PEPPOL_EXAMPLE), versions={"peppol": "3.0.99"})
    assert "3.0.99" in caught.value.detail
    assert "peppol-bis3-ubl 3.0.19" in caught.value.detail


@pytest.mark.fixtures
def test_missing_peppol_pack_fails_closed(private_root):
    shutil.rmtree(private_root / "peppol-bis3-ubl")
    validator = Validator(private_root)
    assert validator.validate(kit(CEN_EXAMPLE)).valid  # EN 16931 alone still works
    with pytest.raises(RulePackMissing) as caught:
        validator.validate(kit(PEPPOL_EXAMPLE))  # auto -> Peppol, which is not installed
    problem = caught.value.to_problem()
    assert problem["code"] == "einvoice.rule-pack-missing"
    assert problem["status"] == 503
    assert "Peppol rules for ubl-invoice" in problem["detail"]


@pytest.mark.fixtures
def test_peppol_rules_for_cii_are_not_available_and_say_so(validator):
    with pytest.raises(RulePackMissing, match="Peppol rules for cii"):
        validator.validate(kit(CII_EXAMPLE), profile="peppol")


def test_an_empty_root_has_no_rules(tmp_path):
    with pytest.raises(RulePackMissing, match="XSD rules for ubl-invoice"):
        Validator(tmp_path / "nothing-here").validate(
            b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
        )


@pytest.mark.fixtures
def test_refresh_sees_packs_installed_later(tmp_path):
    validator = Validator(tmp_path)
    with pytest.raises(RulePackMissing):
        validator.validate(kit(CEN_EXAMPLE))
    install_from_path(official_fixture("einvoice"), tmp_path)
    validator.refresh()
    assert validator.validate(kit(CEN_EXAMPLE)).valid


# --- threads ------------------------------------------------------------------------------------


@pytest.mark.fixtures
def test_four_threads_get_the_sequential_results(validator):
    documents = [kit(name) for name in (PEPPOL_EXAMPLE, CEN_EXAMPLE, CREDIT_NOTE, CII_EXAMPLE)]
    documents.append(kit(GREEK_EXAMPLE))
    jobs = [(data, profile) for data in documents for profile in ("auto", "peppol", "en16931")]
    jobs = [job for job in jobs if not (job[0] == documents[3] and job[1] == "peppol")]
    pinned = {"peppol": "3.0.19"}

    def run(job: tuple[bytes, str]) -> dict:
        return validator.validate(job[0], profile=job[1], versions=pinned).to_json()

    sequential = [run(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(3):
            assert list(pool.map(run, jobs * 2)) == sequential * 2


# --- SVRL ---------------------------------------------------------------------------------------


SVRL = """<?xml version="1.0" encoding="UTF-8"?>
<svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
  <svrl:active-pattern document=""/>
  <svrl:fired-rule context="/"/>
  <svrl:failed-assert id="BR-01" flag="fatal" test="cbc:CustomizationID" location="/*[1]">
    <svrl:text>
      [BR-01]-An Invoice shall have a Specification identifier (BT-24).
    </svrl:text>
  </svrl:failed-assert>
  <svrl:failed-assert id="UBL-CR-001" flag="warning" test="not(x)" location="/*[1]">
    <svrl:text>[UBL-CR-001]-A UBL invoice should not include extensions</svrl:text>
  </svrl:failed-assert>
  <svrl:failed-assert test="false()" location="/*[1]/a[2]">
    <svrl:text>[XX-9]-No id and no flag</svrl:text>
  </svrl:failed-assert>
  <svrl:successful-report id="R-INFO" flag="information" test="true()" location="/">
    <svrl:text>noted</svrl:text>
  </svrl:successful-report>
</svrl:schematron-output>"""


def test_svrl_findings_keep_order_and_map_flags():
    findings = findings_from_svrl(SVRL, "en16931")
    assert [(f.rule, f.severity) for f in findings] == [
        ("BR-01", "fatal"),
        ("UBL-CR-001", "warning"),
        ("XX-9", "fatal"),  # no flag: counted as fatal, never as a pass
        ("R-INFO", "information"),
    ]
    first = findings[0]
    assert first.message == "[BR-01]-An Invoice shall have a Specification identifier (BT-24)."
    assert (first.test, first.location, first.layer) == ("cbc:CustomizationID", "/*[1]", "en16931")


def test_svrl_without_findings_is_not_parsed():
    assert findings_from_svrl("<not even xml", "peppol") == []


@pytest.mark.parametrize(
    ("flag", "severity"),
    [("fatal", "fatal"), ("ERROR", "fatal"), ("warning", "warning"), ("info", "information"),
     (None, "fatal"), ("", "fatal"), ("surprising", "fatal")],
)  # fmt: skip
def test_flags_map_to_severities(flag, severity):
    assert severity_of(flag) == severity


def test_rules_that_stop_with_an_error_give_a_fatal_finding():
    compiler = saxon_processor().new_xslt30_processor()
    executable = compiler.compile_stylesheet(
        stylesheet_text=(
            '<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
            '<xsl:template match="/"><xsl:sequence select="error()"/></xsl:template>'
            "</xsl:stylesheet>"
        )
    )
    findings = SchematronStylesheet(executable, "peppol", "test rules").run_text("<a/>")
    assert [(f.rule, f.severity, f.layer) for f in findings] == [("SCHEMATRON", "fatal", "peppol")]
    assert "test rules rules stopped with an error" in findings[0].message
