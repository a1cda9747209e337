"""Nowcast of the current year's total from the months or quarters reported so far.

Two methods, both back-tested on the series' own history:

- ``ytd_ratio`` (year-to-date ratio model): annual = YTD this year / s, where s is the mean,
  over the past complete years, of (sum of the first k periods / annual total);
- ``seasonal`` (last year's seasonal pattern): each missing period is last year's value for
  that period times the YTD growth (this year's first k periods / last year's first k periods).
  Algebraically this is the ratio model using only last year's share.

Back-test: for every past complete year that has the history a method needs (only years before
it, as a forecaster would have had), keep its first k periods, nowcast, and compare with the
reported annual total. The method with the lower mean absolute percentage error (MAPE) is used;
a tie goes to ``ytd_ratio``, which averages more years. The uncertainty band is the nowcast
times (1 +/- the LARGEST absolute back-test error of the chosen method): with the handful of
years a provincial series offers, an 80th percentile would be little different and would look
more precise than it is.

Nowcasts are labelled as such and are replaced by the reported figures on release (see the
status ``nowcast`` in ``observation``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext
from enum import StrEnum
from types import MappingProxyType

from digitrade.systems.statistics.observation import Frequency, Period

_PRECISION = Context(prec=40)
_PERIODS_PER_YEAR = {Frequency.QUARTERLY: 4, Frequency.MONTHLY: 12}


class NowcastError(ValueError):
    """The data do not support a nowcast; the message says why."""


class NowcastMethod(StrEnum):
    YTD_RATIO = "ytd_ratio"
    SEASONAL = "seasonal"


BAND_RULE = "max absolute back-test error"


@dataclass(frozen=True)
class Nowcast:
    """An estimate of ``year``'s annual total, with a band from back-testing."""

    year: int
    value: Decimal
    low: Decimal
    high: Decimal
    method: NowcastMethod
    periods_used: int  # k: the first k periods of ``year`` are reported
    frequency: Frequency
    backtest_errors: Mapping[NowcastMethod, Mapping[int, Decimal]]  # year -> |error| / actual
    backtest_mape: Mapping[NowcastMethod, Decimal]
    band_rule: str = BAND_RULE
    label: str = "nowcast"


def _by_year(values: Mapping[Period, Decimal]) -> tuple[Frequency, dict[int, dict[int, Decimal]]]:
    frequencies = {period.frequency for period in values}
    if len(frequencies) != 1:
        raise NowcastError("the series mixes frequencies; give only months or only quarters")
    (frequency,) = frequencies
    if frequency not in _PERIODS_PER_YEAR:
        raise NowcastError("a nowcast needs monthly or quarterly values, not annual ones")
    years: dict[int, dict[int, Decimal]] = {}
    for period, value in values.items():
        if not isinstance(value, Decimal) or not value.is_finite():
            raise TypeError(f"value for {period} must be a finite Decimal")
        years.setdefault(period.year, {})[period.index] = value
    return frequency, years


def _ytd(periods: Mapping[int, Decimal], k: int) -> Decimal:
    return sum((periods[i] for i in range(1, k + 1)), Decimal(0))


def _ratio_estimate(
    ytd: Decimal, k: int, history: Mapping[int, Mapping[int, Decimal]], years: list[int]
) -> Decimal | None:
    shares = []
    with localcontext(_PRECISION):
        for year in years:
            annual = sum(history[year].values(), Decimal(0))
            shares.append(_ytd(history[year], k) / annual)
        if not shares:
            return None
        mean_share = sum(shares, Decimal(0)) / len(shares)
        if mean_share <= 0:
            return None
        return ytd / mean_share


def _seasonal_estimate(
    ytd: Decimal, k: int, last_year: Mapping[int, Decimal] | None, per_year: int
) -> Decimal | None:
    if last_year is None:
        return None
    with localcontext(_PRECISION):
        base = _ytd(last_year, k)
        if base <= 0:
            return None
        growth = ytd / base
        return ytd + sum((last_year[i] * growth for i in range(k + 1, per_year + 1)), Decimal(0))


def _estimate(
    method: NowcastMethod,
    year: int,
    ytd: Decimal,
    k: int,
    complete: Mapping[int, Mapping[int, Decimal]],
    per_year: int,
) -> Decimal | None:
    """Nowcast of ``year`` using only complete years before it."""
    earlier = sorted(y for y in complete if y < year)
    if method is NowcastMethod.YTD_RATIO:
        return _ratio_estimate(ytd, k, complete, earlier)
    return _seasonal_estimate(ytd, k, complete.get(year - 1), per_year)


def nowcast(values: Mapping[Period, Decimal], year: int | None = None) -> Nowcast:
    """Nowcast ``year`` (default: the latest year in ``values``) from monthly or quarterly data.

    The year must have its first k periods reported, without gaps, and not all of them. Past
    years count as history only when all their periods are reported and the total is positive.
    """
    if not values:
        raise NowcastError("no data: a nowcast needs this year's periods and past complete years")
    frequency, years = _by_year(values)
    per_year = _PERIODS_PER_YEAR[frequency]
    if year is None:
        year = max(years)
    current = years.get(year)
    if not current:
        raise NowcastError(f"no period of {year} is reported yet; nothing to nowcast from")
    k = 0
    while k + 1 in current:
        k += 1
    if k == 0:
        raise NowcastError(f"{year}: the first period is not reported; a year-to-date needs it")
    if set(current) != set(range(1, k + 1)):
        raise NowcastError(f"{year}: periods after {k} are reported but period {k + 1} is missing")
    if k == per_year:
        raise NowcastError(f"{year} is complete; use the reported total, not a nowcast")

    complete: dict[int, dict[int, Decimal]] = {
        y: periods
        for y, periods in years.items()
        if y < year
        and set(periods) == set(range(1, per_year + 1))
        and sum(periods.values(), Decimal(0)) > 0
    }
    if not complete:
        raise NowcastError(f"no complete year before {year}: there is no history to nowcast from")

    errors: dict[NowcastMethod, dict[int, Decimal]] = {}
    for method in NowcastMethod:
        errors[method] = {}
        for past in sorted(complete):
            estimate = _estimate(method, past, _ytd(complete[past], k), k, complete, per_year)
            if estimate is None:
                continue
            actual = sum(complete[past].values(), Decimal(0))
            with localcontext(_PRECISION):
                errors[method][past] = abs(estimate - actual) / actual
    mape: dict[NowcastMethod, Decimal] = {}
    with localcontext(_PRECISION):
        for method, by_year in errors.items():
            if by_year:
                mape[method] = sum(by_year.values(), Decimal(0)) / len(by_year)

    ytd = _ytd(current, k)
    candidates = [
        method
        for method in NowcastMethod  # declaration order breaks ties in favour of ytd_ratio
        if method in mape and _estimate(method, year, ytd, k, complete, per_year) is not None
    ]
    if not candidates:
        raise NowcastError(
            f"{year}: at least two complete years of history are needed to back-test a nowcast"
            f" (found {len(complete)})"
        )
    best = min(candidates, key=lambda method: mape[method])
    value = _estimate(best, year, ytd, k, complete, per_year)
    assert value is not None  # checked when building the candidates
    band = max(errors[best].values())
    with localcontext(_PRECISION):
        low = max(Decimal(0), value * (1 - band))  # a trade flow is never negative
        high = value * (1 + band)
    return Nowcast(
        year=year,
        value=value,
        low=low,
        high=high,
        method=best,
        periods_used=k,
        frequency=frequency,
        backtest_errors=MappingProxyType(
            {method: MappingProxyType(by_year) for method, by_year in errors.items()}
        ),
        backtest_mape=MappingProxyType(mape),
    )
