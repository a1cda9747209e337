"""Target maths, checked against values computed independently (``bc -l``, shown in comments)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digitrade.systems.statistics import progress as pg


def approx(value: D, expected: str, places: int = 6) -> bool:
    quantum = D(1).scaleb(-places)
    return abs(value - D(expected)) <= quantum


# Research note, section 6: illustrative 2024 baselines -> 2029 targets.
@pytest.mark.parametrize(
    ("latest", "target", "expected"),
    [
        # 1.3 ** 0.2 = exp(ln 1.3 / 5) = exp(0.0524729) = 1.0538740
        (D(200), D(260), "0.053874"),
        # 260/220 = 1.181818; ln = 0.1670541; /5 = 0.0334108; exp = 1.0339752
        (D(220), D(260), "0.033975"),
        # 260/240 = 1.083333; ln = 0.0800427; /5 = 0.0160085; exp = 1.0161374
        (D(240), D(260), "0.016137"),
        # 1.625 ** 0.2: ln 1.625 = 0.4855078; /5 = 0.0971016; exp = 1.1019723
        (D(80), D(130), "0.101972"),
        # 1.3 again (100 -> 130)
        (D(100), D(130), "0.053874"),
    ],
)
def test_required_cagr_matches_the_note(latest, target, expected):
    rate = pg.required_cagr(latest, 2024, target, 2029)
    assert approx(rate, expected)


def test_required_cagr_rounded_as_in_the_note():
    assert round(pg.required_cagr(D(200), 2024, D(260), 2029) * 100, 2) == D("5.39")
    assert round(pg.required_cagr(D(80), 2024, D(130), 2029) * 100, 1) == D("10.2")


def test_required_cagr_negative_when_above_target():
    assert pg.required_cagr(D(300), 2024, D(260), 2029) < 0


def test_required_cagr_rejects_bad_input():
    with pytest.raises(pg.ProgressError, match="not after"):
        pg.required_cagr(D(200), 2029, D(260), 2029)
    with pytest.raises(pg.ProgressError, match="positive"):
        pg.required_cagr(D(0), 2024, D(260), 2029)
    with pytest.raises(TypeError):
        pg.required_cagr(200.0, 2024, D(260), 2029)  # type: ignore[arg-type]


WORLD_DDS = {  # UNCTAD world DDS exports, US$ m (fixture panel, research note section 4)
    2019: D(3274737),
    2020: D(3324128),
    2021: D(3905260),
    2022: D(4083964),
    2023: D(4462457),
}


def test_observed_cagr_world_dds():
    # 4,462,457 / 3,274,737 = 1.3626913; ln = 0.3094598; /4 = 0.0773650; exp = 1.0804369
    rate = pg.observed_cagr(WORLD_DDS, 2023, 4)
    assert approx(rate, "0.080437")
    assert round(rate * 100, 2) == D("8.04")
    # one year: 4,462,457 / 4,083,964 - 1 = 0.0926778
    assert approx(pg.observed_cagr(WORLD_DDS, 2023, 1), "0.092678")


def test_observed_cagr_china_dds():
    # China DDS X+M (UNCTAD) 264.3 (2019) -> 387.6 (2023): e(l(387.6/264.3)/4) = 1.1004534,
    # the note's "10.0 % a year"
    rate = pg.observed_cagr({2019: D("264.3"), 2023: D("387.6")}, 2023, 4)
    assert approx(rate, "0.100453")


def test_observed_cagr_errors():
    with pytest.raises(pg.ProgressError, match="no value for 2017"):
        pg.observed_cagr(WORLD_DDS, 2023, 6)
    with pytest.raises(pg.ProgressError, match="at least one year"):
        pg.observed_cagr(WORLD_DDS, 2023, 0)


def test_projected_year():
    # 200 * 1.05**5 = 255.26 < 260; 200 * 1.05**6 = 268.02 >= 260
    assert pg.projected_year(D(200), 2024, D(260), D("0.05")) == 2030
    # exactly reached: 100 * 1.1**2 = 121
    assert pg.projected_year(D(100), 2024, D(121), D("0.1")) == 2026
    assert pg.projected_year(D(260), 2024, D(260), D("-0.2")) == 2024
    assert pg.projected_year(D(300), 2024, D(260), D("0.05")) == 2024
    assert pg.projected_year(D(200), 2024, D(260), D(0)) is None
    assert pg.projected_year(D(200), 2024, D(260), D("-0.01")) is None
    # a tiny rate still reaches the target eventually: ln 1.3 / ln 1.001 = 262.5 -> 263 years
    assert pg.projected_year(D(200), 2024, D(260), D("0.001")) == 2024 + 263


def test_on_track_and_classes():
    required = D("0.05")
    assert pg.on_track(D("0.05"), required)
    assert not pg.on_track(D("0.0499"), required)
    assert pg.progress_class(D("0.0475"), required) is pg.ProgressClass.SIGNIFICANT  # 95 %
    assert pg.progress_class(D("0.0474"), required) is pg.ProgressClass.MODERATE
    assert pg.progress_class(D("0.03"), required) is pg.ProgressClass.MODERATE  # 60 %
    assert pg.progress_class(D("0.0299"), required) is pg.ProgressClass.INSUFFICIENT
    assert pg.progress_class(D(0), required) is pg.ProgressClass.INSUFFICIENT
    assert pg.progress_class(D("-0.001"), required) is pg.ProgressClass.MOVING_AWAY
    # target already met: required <= 0
    assert pg.progress_class(D("-0.01"), D("-0.02")) is pg.ProgressClass.SIGNIFICANT
    assert pg.progress_class(D("-0.03"), D("-0.02")) is pg.ProgressClass.MOVING_AWAY
    assert pg.progress_ratio(D("0.03"), D("0.06")) == D("0.5")
    assert pg.progress_ratio(D("0.03"), D(0)) is None


def test_trajectory():
    path = pg.trajectory(D(100), 2024, D("0.1"), 2027)
    assert path == [(2024, D(100)), (2025, D(110)), (2026, D(121)), (2027, D("133.1"))]
    assert pg.trajectory(D(100), 2024, D("0.1"), 2024) == [(2024, D(100))]
    with pytest.raises(pg.ProgressError):
        pg.trajectory(D(100), 2024, D("0.1"), 2023)


def test_annual_gap_by_hand():
    # 100 -> 121 in 2 years needs 10 %; observed 5 % gives 110.25 in 2026.
    gap = pg.annual_gap(D(100), 2024, D(121), 2026, D("0.05"))
    assert approx(gap.projected_value, "110.25")
    assert approx(gap.shortfall, "10.75")
    assert approx(gap.extra_per_year, "5.375")
    assert [g.year for g in gap.by_year] == [2024, 2025, 2026]
    assert approx(gap.by_year[1].required_value, "110")
    assert approx(gap.by_year[1].projected_value, "105")
    assert approx(gap.by_year[1].gap, "5")
    assert approx(gap.by_year[2].gap, "10.75")


def test_annual_gap_overshoot_is_negative():
    gap = pg.annual_gap(D(100), 2024, D(121), 2026, D("0.2"))
    assert approx(gap.shortfall, "-23")  # 144 - 121
    assert gap.extra_per_year < 0


def test_scenario():
    values = {"SI": D(100), "SD": D(50)}
    growth = {"SI": D("0.1"), "SD": D("-0.2")}
    # 100 * 1.21 + 50 * 0.64 = 121 + 32
    assert pg.scenario(values, growth, 2) == D(153)
    assert pg.scenario(values, growth, 0) == D(150)
    with pytest.raises(pg.ProgressError, match="no growth rate for SD"):
        pg.scenario(values, {"SI": D("0.1")}, 2)
    with pytest.raises(pg.ProgressError, match="without a value"):
        pg.scenario(values, {**growth, "SJ": D(0)}, 2)
    with pytest.raises(pg.ProgressError, match="negative"):
        pg.scenario(values, growth, -1)


def test_share_progress_china_2024():
    # China 2024: DDS 2.9 trn RMB, services 7.5238 trn; DDS +6.5 %, services +14.4 %.
    share = pg.share_progress(D("2.9"), D("7.5238"), 2024, D("0.065"), D("0.144"), D("0.45"), 2029)
    # 2.9 / 7.5238 = 0.385443
    assert approx(share.latest_share, "0.385443")
    # (1.065 / 1.144) ** 5 = 0.6992266 -> 0.3854435 * 0.6992266 = 0.2695124
    assert approx(share.projected_share, "0.269512")
    assert not share.on_track
    # needed DDS in 2029 = 0.45 * 7.5238 * 1.144 ** 5; (that / 2.9) ** 0.2 = 1.1799847
    assert approx(share.required_numerator_growth, "0.179985")


def test_share_progress_on_track_when_equal_growth_above_target():
    share = pg.share_progress(D(50), D(100), 2024, D("0.05"), D("0.05"), D("0.45"), 2029)
    assert approx(share.projected_share, "0.5")
    assert share.on_track
    with pytest.raises(pg.ProgressError, match="target share"):
        pg.share_progress(D(50), D(100), 2024, D(0), D(0), D("45"), 2029)


def test_assess_level_target():
    series = {2019: D(150), 2024: D(200)}
    result = pg.assess("services_total", series, D(260), 2029)
    assert result.indicator == "services_total"
    assert result.latest_year == 2024
    assert result.latest_value == D(200)
    assert result.required_cagr is not None
    assert approx(result.required_cagr, "0.053874")
    # (200/150) ** 0.2: ln 1.333333 = 0.2876821; /5 = 0.0575364; exp = 1.0592238
    assert result.observed_cagr is not None
    assert approx(result.observed_cagr, "0.059224")
    assert result.on_track is True
    # 200 * 1.059224**4 = 251.76; **5 = 266.67 -> 2029
    assert result.projected_year == 2029
    assert result.gap_per_year is not None
    assert result.gap_per_year < 0
    assert result.progress_class is pg.ProgressClass.SIGNIFICANT


def test_assess_uses_shorter_window_and_handles_no_history():
    result = pg.assess("dds", {2022: D(72), 2024: D(80)}, D(130), 2029)
    assert result.observed_cagr is not None
    # (80/72) ** 0.5 = 1.0540926
    assert approx(result.observed_cagr, "0.054093")
    assert result.on_track is False
    # 0.054093 / 0.101972 = 0.53: below the 60 % line
    assert result.progress_class is pg.ProgressClass.INSUFFICIENT
    only = pg.assess("dds", {2024: D(80)}, D(130), 2029)
    assert only.observed_cagr is None
    assert only.on_track is None
    assert only.gap_per_year is None
    with pytest.raises(pg.ProgressError, match="no observations"):
        pg.assess("dds", {}, D(130), 2029)


def test_assess_after_target_year():
    result = pg.assess("total", {2028: D(250), 2029: D(261)}, D(260), 2029)
    assert result.required_cagr is None
    assert result.on_track is True
    assert result.projected_year == 2029


rates = st.decimals(min_value="-0.5", max_value="0.5", places=4)
levels = st.decimals(min_value="0.01", max_value="1000000", places=2)


@given(levels, levels, st.integers(min_value=1, max_value=30))
def test_projecting_at_required_rate_hits_the_target(latest, target, years):
    rate = pg.required_cagr(latest, 2024, target, 2024 + years)
    path = pg.trajectory(latest, 2024, rate, 2024 + years)
    assert abs(path[-1][1] - target) <= target * D("1e-30")


@given(levels, rates, st.integers(min_value=1, max_value=30))
def test_observed_cagr_recovers_the_rate(start, rate, years):
    end = start * (1 + rate) ** years
    rate_back = pg.observed_cagr({2000: start, 2000 + years: end}, 2000 + years, years)
    assert abs(rate_back - rate) <= D("1e-20")


@given(levels, levels, st.decimals(min_value="0.001", max_value="0.5", places=4))
def test_projected_year_is_the_first_year_reaching_the_target(latest, target, rate):
    year = pg.projected_year(latest, 2024, target, rate)
    assert year is not None
    n = year - 2024
    assert latest * (1 + rate) ** n >= target
    if n > 0:
        assert latest * (1 + rate) ** (n - 1) < target
