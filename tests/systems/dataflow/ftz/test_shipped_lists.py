"""The lists shipped with the product load, validate and say plainly what is missing."""

from __future__ import annotations

import json
from datetime import date

import pytest

from digitrade.systems.dataflow.ftz import (
    SHIPPED_LIST_FILES,
    ListKind,
    MatchResult,
    NegativeList,
    Pathway,
    covered_sectors,
    match,
    parse_json,
    shipped_list_files,
)


@pytest.fixture(scope="module")
def shipped() -> list[NegativeList]:
    return [parse_json(file.read_text(encoding="utf-8")) for file in shipped_list_files()]


def test_every_shipped_file_exists_and_parses(shipped):
    assert len(shipped) == len(SHIPPED_LIST_FILES) == 3
    assert {item.jurisdiction for item in shipped} == {"CN-SH-FTZ", "CN-SH-LINGANG", "CN-SH"}


@pytest.mark.parametrize("file", shipped_list_files(), ids=SHIPPED_LIST_FILES)
def test_each_file_records_its_source(file):
    header = json.loads(file.read_text(encoding="utf-8"))["list"]
    assert header["source_url"].startswith("https://")
    assert header["issued_by"]
    assert header["effective_from"]
    assert header["sources"], "secondary sources are listed"


def test_nothing_shipped_claims_to_be_verified(shipped):
    """No row was transcribed from an official text, so none may pass as checked."""
    for negative_list in shipped:
        assert not negative_list.complete
        assert "Incomplete" in negative_list.note
        for row in negative_list.rows:
            assert not row.verified
            assert row.threshold is None, "no threshold is invented"
            assert "not transcribed" in row.note
            assert row.sector and row.sector_zh


def test_shanghai_ftz_2024_structure(shipped):
    (ftz,) = (item for item in shipped if item.jurisdiction == "CN-SH-FTZ")
    assert ftz.kind is ListKind.NEGATIVE
    assert ftz.issued_on == date(2025, 2, 8)
    assert covered_sectors(ftz) == ("reinsurance", "international shipping", "commerce")
    assert len(ftz.rows) == 6, "6 scenarios"
    # Which pathway each of the 84 items takes is unknown, so none is asserted.
    assert all(row.pathway is None for row in ftz.rows)


def test_lingang_general_data_lists_structure(shipped):
    (lingang,) = (item for item in shipped if item.jurisdiction == "CN-SH-LINGANG")
    assert lingang.kind is ListKind.GENERAL_DATA
    assert lingang.effective_from == date(2024, 5, 17)
    assert covered_sectors(lingang) == (
        "intelligent connected vehicles",
        "public funds",
        "biomedicine",
    )
    icv = [row for row in lingang.rows if row.sector == "intelligent connected vehicles"]
    assert len(icv) == 4
    assert all("licence plates" in row.characteristics for row in icv)
    assert all(row.pathway is Pathway.GENERAL_DATA_FILING for row in lingang.rows)


def test_citywide_2025_is_not_applied_before_the_later_reported_date(shipped):
    asked = {"jurisdiction": "CN-SH", "sector": "meteorology", "data_items": ["x"]}
    assert match(shipped, as_of=date(2026, 5, 8), **asked).result is MatchResult.NOT_COVERED
    later = match(shipped, as_of=date(2026, 5, 9), **asked)
    assert later.result is MatchResult.OFF_LIST
    assert later.verified is False, "an incomplete list cannot prove data is off it"


def test_chinese_sector_names_match_shipped_rows(shipped):
    found = match(
        shipped,
        jurisdiction="CN-SH-FTZ",
        sector="国际航运",
        data_items=["船舶位置"],
        as_of=date(2025, 6, 1),
    )
    assert found.result is MatchResult.OFF_LIST
    assert found.list_version == "2024"
    assert "2024 edition" in (found.citation or "")
