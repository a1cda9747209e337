"""The official rule-by-rule test sets, one test per testSet file.

EN 16931 (CEN/TC 434) UBL invoice and credit note sets against en16931-ubl 1.3.16, the CII sets
against en16931-cii 1.3.16, and OpenPeppol's UBL sets against the release they belong to
(peppol-bis3-ubl 3.0.19). Case counts are those SOURCE.txt documents for the kit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from digitrade.systems.einvoice.validation import read_testset, run_testset
from tests.support import SHARED_FIXTURES, official_fixture

pytestmark = pytest.mark.fixtures

KIT = "einvoice"
MISSING = "fixture-missing"
EN16931_UBL = ("en16931/unit-ubl-invoice", "en16931/unit-ubl-creditnote")
EN16931_CII = ("en16931/unit-cii",)
PEPPOL_UBL = ("peppol/unit/unit-UBL-*",)
# From SOURCE.txt: (testSet files, test cases).
DOCUMENTED = {EN16931_UBL: (277, 1131), EN16931_CII: (2, 9), PEPPOL_UBL: (145, 543)}
# Peppol 3.0.21 made DK-R-003 fatal; the 3.0.19 test set still expects a warning in these cases.
CHANGED_IN_3_0_21 = {("DK_Validation_DKR003.xml", 10), ("DK_Validation_DKR003.xml", 11),
                     ("DK_Validation_DKR003.xml", 12)}  # fmt: skip


def suite_files(folders: tuple[str, ...]) -> list[str]:
    """Relative paths of the testSet files (any extension: one is named ``.xm``)."""
    base = SHARED_FIXTURES / KIT
    found = sorted(
        path.relative_to(base).as_posix()
        for pattern in folders
        for folder in base.glob(pattern)
        for path in folder.iterdir()
        if path.is_file()
    )
    return found or [MISSING]


def fixture_path(relative: str) -> Path:
    return official_fixture(KIT if relative == MISSING else f"{KIT}/{relative}")


def check(relative: str, stylesheet) -> None:
    # Some files have every case commented out (PEPPOL-COMMON-R048.xm); the documented-size
    # test below catches cases that go missing.
    result = run_testset(fixture_path(relative), stylesheet)
    assert result.passed, f"{len(result.failures)} failing case(s):\n{result.explain()}"


@pytest.mark.parametrize("relative", suite_files(EN16931_UBL))
def test_en16931_ubl(validator, relative):
    check(relative, validator.schematron("en16931", "ubl-invoice", "1.3.16"))


@pytest.mark.parametrize("relative", suite_files(EN16931_CII))
def test_en16931_cii(validator, relative):
    check(relative, validator.schematron("en16931", "cii", "1.3.16"))


@pytest.mark.parametrize("relative", suite_files(PEPPOL_UBL))
def test_peppol_ubl_3_0_19(validator, relative):
    check(relative, validator.schematron("peppol", "ubl-invoice", "3.0.19"))


def test_peppol_ubl_3_0_21_fails_exactly_the_cases_whose_rule_changed(validator):
    stylesheet = validator.schematron("peppol", "ubl-invoice", "3.0.21")
    failing = set()
    for relative in suite_files(PEPPOL_UBL):
        for case in run_testset(fixture_path(relative), stylesheet).failures:
            failing.add((Path(relative).name, case.case.number))
            assert all("DK-R-003" in problem for problem in case.problems), case.problems
    assert failing == CHANGED_IN_3_0_21


@pytest.mark.parametrize("folders", list(DOCUMENTED), ids=["en16931-ubl", "en16931-cii", "peppol"])
def test_the_suites_have_their_documented_size(folders):
    files = suite_files(folders)
    cases = sum(len(read_testset(fixture_path(relative)).cases) for relative in files)
    assert (len(files), cases) == DOCUMENTED[folders]
