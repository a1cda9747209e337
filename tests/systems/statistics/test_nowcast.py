"""Nowcasts from year-to-date data, with back-tests computed by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digitrade.systems.statistics.nowcast import Nowcast, NowcastError, NowcastMethod, nowcast
from digitrade.systems.statistics.observation import Frequency, Period


def quarterly(data: dict[int, list[str]]) -> dict[Period, D]:
    return {
        Period(year, Frequency.QUARTERLY, i + 1): D(v)
        for year, values in data.items()
        for i, v in enumerate(values)
    }


def monthly(data: dict[int, list[str]]) -> dict[Period, D]:
    return {
        Period(year, Frequency.MONTHLY, i + 1): D(v)
        for year, values in data.items()
        for i, v in enumerate(values)
    }


# Annual totals 100, 110, 120; first-quarter shares 0.20, 0.25, 0.25.
HISTORY = {
    2021: ["20", "25", "25", "30"],
    2022: ["27.5", "27.5", "27.5", "27.5"],
    2023: ["30", "30", "30", "30"],
}


def test_quarterly_by_hand():
    result = nowcast(quarterly({**HISTORY, 2024: ["33"]}))
    assert isinstance(result, Nowcast)
    assert result.year == 2024
    assert result.periods_used == 1
    assert result.frequency is Frequency.QUARTERLY
    assert result.label == "nowcast"
    errors = result.backtest_errors
    # ytd_ratio back-test: 2022 from 2021's share 0.20 -> 27.5 / 0.2 = 137.5 vs 110: 25 %;
    # 2023 from mean(0.20, 0.25) = 0.225 -> 30 / 0.225 = 133.33 vs 120: 11.11 %.
    assert set(errors[NowcastMethod.YTD_RATIO]) == {2022, 2023}
    assert errors[NowcastMethod.YTD_RATIO][2022] == D("0.25")
    assert abs(errors[NowcastMethod.YTD_RATIO][2023] - D(1) / D(9)) < D("1e-25")
    # seasonal back-test: 2022 = 27.5 + (25+25+30) * 27.5/20 = 137.5 (25 %);
    # 2023 = 30 + 82.5 * 30/27.5 = 120 (0 %).
    assert errors[NowcastMethod.SEASONAL][2022] == D("0.25")
    assert errors[NowcastMethod.SEASONAL][2023] == 0
    assert result.backtest_mape[NowcastMethod.SEASONAL] == D("0.125")
    # seasonal wins (12.5 % < 18.06 %): 2024 = 33 + 90 * 33/30 = 132
    assert result.method is NowcastMethod.SEASONAL
    assert result.value == D(132)
    # band: the largest seasonal back-test error, 25 %
    assert result.low == D(99)
    assert result.high == D(165)
    assert result.band_rule == "max absolute back-test error"


def test_ratio_model_wins_when_last_year_is_unusual():
    data = {
        2020: ["25", "25", "25", "25"],
        2021: ["25", "25", "25", "25"],
        2022: ["40", "20", "20", "20"],  # one odd first quarter
        2023: ["25", "25", "25", "25"],
        2024: ["30", "30"],
    }
    result = nowcast(quarterly(data))
    assert result.periods_used == 2
    # H1 shares 0.5, 0.5, 0.6, 0.5. ytd_ratio errors: 2021 0; 2022 60/0.5 = 120 vs 100: 20 %;
    # 2023 50/(1.6/3) = 93.75: 6.25 %. MAPE 8.75 %.
    # seasonal errors: 2021 0; 2022 60/0.5 = 120: 20 %; 2023 50/0.6 = 83.33: 16.67 %.
    assert abs(result.backtest_mape[NowcastMethod.YTD_RATIO] - D("0.0875")) < D("1e-25")
    assert result.method is NowcastMethod.YTD_RATIO
    # 2024: mean share (0.5+0.5+0.6+0.5)/4 = 0.525; 60 / 0.525 = 114.2857
    assert abs(result.value - D(60) / D("0.525")) < D("1e-25")
    assert abs(result.high - result.value * D("1.2")) < D("1e-25")


def test_monthly_input_and_tie_goes_to_ratio():
    flat = ["10"] * 12
    result = nowcast(monthly({2022: flat, 2023: flat, 2024: ["11"] * 5}))
    assert result.frequency is Frequency.MONTHLY
    assert result.periods_used == 5
    assert result.method is NowcastMethod.YTD_RATIO  # both back-test errors are 0
    assert result.value == D(132)
    assert result.low == result.high == D(132)


def test_explicit_year_and_incomplete_history_years_are_skipped():
    data = quarterly({**HISTORY, 2024: ["33"]})
    del data[Period(2021, Frequency.QUARTERLY, 4)]  # 2021 no longer complete
    result = nowcast(data, 2024)
    # Only 2023 can be back-tested (from 2022): both methods use 2022's Q1 share 0.25.
    assert set(result.backtest_errors[NowcastMethod.YTD_RATIO]) == {2023}
    assert result.backtest_errors[NowcastMethod.SEASONAL] == {2023: 0}
    assert result.value == D(132)
    del data[Period(2022, Frequency.QUARTERLY, 4)]
    with pytest.raises(NowcastError, match="two complete years"):
        nowcast(data, 2024)
    data = quarterly({**HISTORY, 2024: ["33", "33", "33", "33"], 2025: ["36"]})
    assert nowcast(data).year == 2025
    with pytest.raises(NowcastError, match="complete"):
        nowcast(data, 2024)


@pytest.mark.parametrize(
    ("data", "year", "match"),
    [
        ({}, None, "no data"),
        (quarterly({2024: ["33"]}), None, "no complete year before 2024"),
        (quarterly({**HISTORY}), 2024, "no period of 2024"),
        (quarterly({**HISTORY, 2024: ["33"]}), 2025, "no period of 2025"),
        (quarterly({2023: ["30"] * 4, 2024: ["33"]}), None, "two complete years"),
    ],
)
def test_refusals(data, year, match):
    with pytest.raises(NowcastError, match=match):
        nowcast(data, year)


def test_gaps_and_frequencies_are_refused():
    data = quarterly({**HISTORY})
    data[Period(2024, Frequency.QUARTERLY, 2)] = D(30)
    with pytest.raises(NowcastError, match="first period"):
        nowcast(data)
    data[Period(2024, Frequency.QUARTERLY, 1)] = D(30)
    data[Period(2024, Frequency.QUARTERLY, 4)] = D(30)
    with pytest.raises(NowcastError, match="period 3 is missing"):
        nowcast(data)
    mixed = {**quarterly(HISTORY), Period(2024, Frequency.MONTHLY, 1): D(10)}
    with pytest.raises(NowcastError, match="mixes frequencies"):
        nowcast(mixed)
    with pytest.raises(NowcastError, match="not annual"):
        nowcast({Period(2023, Frequency.ANNUAL, 0): D(1)})
    with pytest.raises(TypeError, match="Decimal"):
        nowcast({Period(2023, Frequency.QUARTERLY, 1): 1.0})  # type: ignore[dict-item]


def test_from_parsed_periods():
    data = {Period.parse(p): D(v) for p, v in [("2022-Q1", "1"), ("2022-Q2", "1")]}
    data |= {Period.parse(f"2023-Q{i}"): D(1) for i in range(1, 5)}
    data |= {Period.parse(f"2022-Q{i}"): D(1) for i in range(3, 5)}
    data[Period.parse("2024-Q1")] = D(2)
    assert nowcast(data).value == D(8)


@given(
    st.lists(
        st.lists(st.decimals(min_value=1, max_value=1000, places=1), min_size=4, max_size=4),
        min_size=2,
        max_size=6,
    ),
    st.integers(min_value=1, max_value=3),
    st.decimals(min_value="0.5", max_value="2", places=2),
)
def test_band_contains_value_and_scaled_history_is_recovered(years, k, scale):
    """If this year is last year scaled, the seasonal model recovers it exactly."""
    data = {2000 + i: [str(v) for v in values] for i, values in enumerate(years)}
    last = 2000 + len(years) - 1
    current = [str(D(v) * scale) for v in data[last][:k]]
    result = nowcast(quarterly({**data, last + 1: current}))
    assert result.low <= result.value <= result.high
    assert result.low >= 0
    seasonal_value = sum((D(v) for v in data[last]), D(0)) * scale
    if result.method is NowcastMethod.SEASONAL:
        assert abs(result.value - seasonal_value) <= seasonal_value * D("1e-25")
