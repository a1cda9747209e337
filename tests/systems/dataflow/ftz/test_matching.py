"""Matching data against the list in force."""

from __future__ import annotations

from datetime import date

import pytest

from digitrade.systems.dataflow.ftz import (
    ConflictingListsError,
    ListKind,
    MatchResult,
    Pathway,
    in_force,
    match,
    normalise,
)
from tests.systems.dataflow.ftz.factories import make_list, make_row

ON = date(2025, 6, 1)


def _shipping_list(**fields):
    return make_list(
        (
            make_row("SCC", item="crew passport number", item_zh="船员护照号码"),
            make_row(
                "SA",
                category="personal information",
                item="crew health records",
                pathway=Pathway.SECURITY_ASSESSMENT,
            ),
            make_row(
                "PORT",
                scenario="port operations",
                category="important data",
                item="port throughput",
                pathway=Pathway.SECURITY_ASSESSMENT,
            ),
        ),
        **fields,
    )


def test_item_on_the_list():
    found = match(
        [_shipping_list()],
        jurisdiction="CN-SH-FTZ",
        sector="international shipping",
        data_items=["crew passport number"],
        as_of=ON,
    )
    assert found.result is MatchResult.ON_LIST
    assert [row.row_id for row in found.rows] == ["SCC"]
    assert found.list_version == "2024"
    assert found.verified


def test_category_matches_every_row_strictest_first():
    found = match(
        [_shipping_list()],
        jurisdiction="CN-SH-FTZ",
        sector="international shipping",
        data_items=["Personal Information"],
        as_of=ON,
    )
    assert [row.row_id for row in found.rows] == ["SA", "SCC"]
    assert found.rows[0].pathway is Pathway.SECURITY_ASSESSMENT


def test_unknown_pathway_sorts_between_assessment_and_contract():
    negative_list = make_list(
        (
            make_row("SCC", item="x"),
            make_row("UNKNOWN", item="x", pathway=None, verified=False),
            make_row("SA", item="x", pathway=Pathway.SECURITY_ASSESSMENT),
        ),
        complete=False,
    )
    found = match(
        [negative_list],
        jurisdiction="CN-SH-FTZ",
        sector="international shipping",
        data_items=["x"],
        as_of=ON,
    )
    assert [row.row_id for row in found.rows] == ["SA", "UNKNOWN", "SCC"]
    assert not found.verified


def test_off_the_list_in_a_covered_sector():
    found = match(
        [_shipping_list()],
        jurisdiction="CN-SH-FTZ",
        sector="international shipping",
        data_items=["vessel schedule", ""],
        as_of=ON,
    )
    assert found.result is MatchResult.OFF_LIST
    assert found.rows == ()
    assert found.verified, "a complete list proves data is off it"
    assert found.list_kind is ListKind.NEGATIVE


def test_sector_not_covered():
    found = match(
        [_shipping_list()],
        jurisdiction="CN-SH-FTZ",
        sector="manufacturing",
        data_items=["crew passport number"],
        as_of=ON,
    )
    assert found.result is MatchResult.NOT_COVERED
    assert found.list_version == "2024"


def test_no_list_for_the_jurisdiction_or_not_yet_in_force():
    lists = [_shipping_list()]
    asked = {"sector": "international shipping", "data_items": ["crew passport number"]}
    assert match(lists, jurisdiction="CN-BJ-FTZ", as_of=ON, **asked).result is (
        MatchResult.NOT_COVERED
    )
    before = match(lists, jurisdiction="CN-SH-FTZ", as_of=date(2025, 2, 7), **asked)
    assert before.result is MatchResult.NOT_COVERED
    assert before.list_version is None
    assert not before.verified


@pytest.mark.parametrize(
    ("sector", "item"),
    [
        ("  INTERNATIONAL   Shipping ", "Crew  Passport NUMBER"),
        ("国际航运", "船员护照号码"),
        ("international shipping", "船员护照号码"),
        ("ｉｎｔｅｒｎａｔｉｏｎａｌ ｓｈｉｐｐｉｎｇ", "crew passport number"),
    ],
    ids=["case-and-spaces", "chinese", "mixed", "full-width"],
)
def test_names_match_in_either_language_regardless_of_case_and_spacing(sector, item):
    negative_list = make_list(
        (
            make_row(
                "SCC", sector_zh="国际航运", item="crew passport number", item_zh="船员护照号码"
            ),
        )
    )
    found = match(
        [negative_list], jurisdiction="cn-sh-ftz", sector=sector, data_items=[item], as_of=ON
    )
    assert found.result is MatchResult.ON_LIST


def test_the_edition_in_force_on_the_date_is_used():
    first = _shipping_list(version="2024")
    second = make_list(
        (make_row("NEW", item="crew passport number", pathway=Pathway.SECURITY_ASSESSMENT),),
        version="2025",
        effective_from=date(2026, 5, 9),
    )
    lists = [second, first]
    asked = {
        "jurisdiction": "CN-SH-FTZ",
        "sector": "international shipping",
        "data_items": ["crew passport number"],
    }
    old = match(lists, as_of=date(2026, 5, 8), **asked)
    new = match(lists, as_of=date(2026, 5, 9), **asked)
    assert (old.list_version, old.rows[0].row_id) == ("2024", "SCC")
    assert (new.list_version, new.rows[0].row_id) == ("2025", "NEW")


def test_a_pilot_stops_applying_after_its_last_day():
    pilot = _shipping_list(effective_until=date(2025, 5, 16))
    assert in_force([pilot], jurisdiction="CN-SH-FTZ", as_of=date(2025, 5, 16)) is pilot
    assert in_force([pilot], jurisdiction="CN-SH-FTZ", as_of=date(2025, 5, 17)) is None


def test_two_jurisdictions_do_not_mix():
    shanghai = _shipping_list()
    beijing = make_list(
        (make_row("BJ-1", sector="civil aviation", item="passenger name record"),),
        jurisdiction="CN-BJ-FTZ",
        version="2024-BJ",
        effective_from=date(2024, 8, 30),
    )
    lists = [shanghai, beijing]
    in_beijing = match(
        lists,
        jurisdiction="CN-BJ-FTZ",
        sector="civil aviation",
        data_items=["passenger name record"],
        as_of=ON,
    )
    assert (in_beijing.result, in_beijing.list_version) == (MatchResult.ON_LIST, "2024-BJ")
    in_shanghai = match(
        lists,
        jurisdiction="CN-SH-FTZ",
        sector="civil aviation",
        data_items=["passenger name record"],
        as_of=ON,
    )
    assert in_shanghai.result is MatchResult.NOT_COVERED


def test_two_editions_starting_the_same_day_are_refused():
    lists = [_shipping_list(version="a"), _shipping_list(version="b")]
    with pytest.raises(ConflictingListsError, match="a, b"):
        in_force(lists, jurisdiction="CN-SH-FTZ", as_of=ON)


def test_normalise():
    assert normalise("  Crew\u3000Passport（No.） ") == "crew passport(no.)"
