"""Returns: 30/45 days for retail imports, one year and 6 months for exports, counted as the
Civil Code counts periods (the day of release not counted)."""

from __future__ import annotations

from datetime import date

import pytest

from digitrade.core.errors import ValidationFailed
from digitrade.systems.ecommerce.returns import add_months, check_return


def decide(**fields):
    request = {
        "direction": "import",
        "release_date": "2025-01-01",
        "application_date": "2025-01-15",
        "goods_back_date": "2025-01-20",
        "goods_category": "cosmetics",
    }
    request.update(fields)
    return check_return(request).as_dict()


def codes(result):
    return [reason["code"] for reason in result["reasons"]]


def test_contract():
    assert set(decide()) == {"accepted", "tax_relief", "reasons"}


def test_synthetic_return_is_accepted_and_tax_not_collected():
    # The synthetic CEB625: applied on 15 January, day 14 after a release on 1 January.
    result = decide()
    assert result["accepted"] is True and result["tax_relief"] is True
    assert codes(result) == ["accepted", "tax_not_collected"]
    assert "day 14" in result["reasons"][0]["message"]


def test_day_30_is_the_last_day_to_apply():
    assert decide(application_date="2025-01-31", goods_back_date="2025-01-31")["accepted"]
    late = decide(application_date="2025-02-01", goods_back_date="2025-02-01")
    assert late["accepted"] is False and late["tax_relief"] is False
    assert codes(late) == ["applied_late"]
    assert "day 31" in late["reasons"][0]["message"]
    assert "2025-01-31" in late["reasons"][0]["message"]


def test_day_45_is_the_last_day_for_the_goods_to_be_back():
    assert decide(goods_back_date="2025-02-15")["accepted"]  # 1 January + 45 days
    late = decide(goods_back_date="2025-02-16")
    assert codes(late) == ["goods_back_late"]


def test_goods_not_back_yet():
    result = decide(goods_back_date=None)
    assert result["accepted"] is False
    assert codes(result) == ["goods_not_back"]
    assert "2025-02-15" in result["reasons"][0]["message"]


def test_rest_days_extend_the_last_day():
    request = {
        "direction": "import",
        "release_date": "2025-01-01",
        "application_date": "2025-02-01",
        "goods_back_date": "2025-02-01",
        "goods_category": "cosmetics",
    }
    assert check_return(request).accepted is False
    # 31 January a rest day: the period runs to 1 February.
    assert check_return(request, rest_days={date(2025, 1, 31)}).accepted is True


def export(**fields):
    return decide(
        direction="export",
        release_date=fields.pop("release_date", "2024-03-15"),
        application_date=fields.pop("application_date", "2024-05-01"),
        goods_back_date=fields.pop("goods_back_date", "2024-05-10"),
        goods_category=fields.pop("goods_category", "apparel"),
    )


def test_export_within_six_months_is_relieved():
    result = export()
    assert result["accepted"] is True and result["tax_relief"] is True
    assert codes(result) == ["accepted", "tax_relief"]


def test_six_months_end_on_the_corresponding_day():
    assert export(goods_back_date="2024-09-15")["tax_relief"] is True
    late = export(goods_back_date="2024-09-16")
    assert late["accepted"] is True and late["tax_relief"] is False
    assert codes(late) == ["accepted", "no_tax_relief_late"]


def test_six_months_from_31_august_end_on_28_february():
    on_time = export(
        release_date="2024-08-31", application_date="2025-01-10", goods_back_date="2025-02-28"
    )
    assert on_time["tax_relief"] is True
    late = export(
        release_date="2024-08-31", application_date="2025-01-10", goods_back_date="2025-03-01"
    )
    assert late["tax_relief"] is False


def test_one_year_is_the_last_day_for_an_export_return():
    assert export(goods_back_date="2025-03-15", application_date="2025-03-01")["accepted"]
    late = export(goods_back_date="2025-03-16", application_date="2025-03-01")
    assert late["accepted"] is False
    assert codes(late) == ["goods_back_late"]
    applied_late = export(goods_back_date="2025-03-16", application_date="2025-03-16")
    assert codes(applied_late) == ["applied_late", "goods_back_late"]


def test_one_year_from_29_february():
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


@pytest.mark.parametrize("category", ["food", "Food", "食品"])
def test_food_is_excluded_from_relief(category):
    result = export(goods_category=category)
    assert result["accepted"] is True and result["tax_relief"] is False
    assert codes(result) == ["accepted", "no_tax_relief_food"]


def test_relief_only_for_exports_in_the_policy_periods():
    before = export(
        release_date="2023-01-29", application_date="2023-02-01", goods_back_date="2023-02-10"
    )
    assert codes(before) == ["accepted", "no_tax_relief_outside_policy"]
    first_day = export(
        release_date="2023-01-30", application_date="2023-02-01", goods_back_date="2023-02-10"
    )
    assert first_day["tax_relief"] is True
    extension = export(
        release_date="2026-06-01", application_date="2026-07-01", goods_back_date="2026-07-02"
    )
    assert extension["tax_relief"] is True
    assert "not verified" in extension["reasons"][1]["message"]
    after = export(
        release_date="2028-01-01", application_date="2028-02-01", goods_back_date="2028-02-02"
    )
    assert after["tax_relief"] is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"direction": "both"}, "direction"),
        ({"application_date": "2024-12-31"}, "application_date"),
        ({"goods_back_date": "2024-12-31"}, "goods_back_date"),
        ({"release_date": "01/01/2025"}, "release_date"),
        ({"goods_category": ""}, "goods_category"),
        ({"reason": "x"}, "reason"),
    ],
)
def test_bad_requests_name_the_field(change, field):
    with pytest.raises(ValidationFailed) as caught:
        decide(**change)
    assert caught.value.fields[0].field == field
