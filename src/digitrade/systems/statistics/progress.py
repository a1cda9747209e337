"""Progress towards level and share targets (e.g. US$260 bn services trade by 2029).

All arithmetic is ``Decimal`` in a local context of 40 significant digits, so fractional
powers and logarithms stay far below the precision of the published figures.

Formulas (SDG, Eurostat and UN ESCAP practice):

- required growth from the latest year t to the target year T: ``(target / V_t) ** (1/(T-t)) - 1``;
- observed growth over k years: ``(V_t / V_(t-k)) ** (1/k) - 1``;
- progress ratio ``observed / required``, classed with the thresholds of Eurostat's EU SDG
  monitoring report (methodological annex): >= 95 % significant progress, 60-95 % moderate,
  0-60 % insufficient, < 0 moving away. The thresholds are quoted from memory and are to be
  checked against the current Eurostat annex before they are shown as Eurostat's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext
from enum import StrEnum

_PRECISION = Context(prec=40)
_ONE = Decimal(1)

# Eurostat EU-SDG thresholds on observed / required growth (to be checked, see module docstring).
SIGNIFICANT_THRESHOLD = Decimal("0.95")
MODERATE_THRESHOLD = Decimal("0.60")


class ProgressError(ValueError):
    """The inputs do not define the requested quantity (e.g. a zero base value)."""


class ProgressClass(StrEnum):
    SIGNIFICANT = "significant"
    MODERATE = "moderate"
    INSUFFICIENT = "insufficient"
    MOVING_AWAY = "moving_away"


def _positive(name: str, value: Decimal) -> None:
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal, got {type(value).__name__}")
    if not value.is_finite() or value <= 0:
        raise ProgressError(f"{name} must be a positive number, got {value}")


def _growth(name: str, value: Decimal) -> None:
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal, got {type(value).__name__}")
    if not value.is_finite() or value <= -1:
        raise ProgressError(f"{name} must be a finite rate above -100 %, got {value}")


def _root_growth(ratio: Decimal, years: int) -> Decimal:
    """``ratio ** (1/years) - 1`` for a positive ratio."""
    with localcontext(_PRECISION):
        return ratio ** (_ONE / Decimal(years)) - _ONE


def _compound(value: Decimal, growth: Decimal, years: int) -> Decimal:
    with localcontext(_PRECISION):
        return value * (_ONE + growth) ** years


def required_cagr(
    latest_value: Decimal, latest_year: int, target_value: Decimal, target_year: int
) -> Decimal:
    """Compound annual growth needed to go from ``latest_value`` to ``target_value``.

    Negative when the latest value is already above the target.
    """
    _positive("latest_value", latest_value)
    _positive("target_value", target_value)
    if target_year <= latest_year:
        raise ProgressError(f"target year {target_year} is not after the latest year {latest_year}")
    with localcontext(_PRECISION):
        return _root_growth(target_value / latest_value, target_year - latest_year)


def observed_cagr(series: Mapping[int, Decimal], end_year: int, window_years: int) -> Decimal:
    """Compound annual growth of ``series`` over ``window_years`` years ending in ``end_year``."""
    if window_years < 1:
        raise ProgressError(f"window must be at least one year, got {window_years}")
    start_year = end_year - window_years
    absent = [year for year in (start_year, end_year) if year not in series]
    if absent:
        raise ProgressError(f"no value for {', '.join(map(str, absent))}")
    _positive(f"value for {start_year}", series[start_year])
    _positive(f"value for {end_year}", series[end_year])
    with localcontext(_PRECISION):
        return _root_growth(series[end_year] / series[start_year], window_years)


def projected_year(
    latest_value: Decimal, latest_year: int, target_value: Decimal, growth: Decimal
) -> int | None:
    """The first year in which the value, growing at ``growth`` a year, reaches the target.

    ``latest_year`` when the target is already reached; None when it never will be (growth
    <= 0 and the target above the latest value).
    """
    _positive("latest_value", latest_value)
    _positive("target_value", target_value)
    _growth("growth", growth)
    if latest_value >= target_value:
        return latest_year
    if growth <= 0:
        return None
    with localcontext(_PRECISION):
        years = int(((target_value / latest_value).ln() / (_ONE + growth).ln()).to_integral_value())
        # The logarithm estimate can be one off either way; settle it with exact powers.
        years = max(years, 1)
        while years > 1 and _compound(latest_value, growth, years - 1) >= target_value:
            years -= 1
        while _compound(latest_value, growth, years) < target_value:
            years += 1
    return latest_year + years


def on_track(observed: Decimal, required: Decimal) -> bool:
    """Whether observed growth is at least the growth required."""
    return observed >= required


def progress_ratio(observed: Decimal, required: Decimal) -> Decimal | None:
    """``observed / required``; None when nothing more is required (required <= 0)."""
    if required <= 0:
        return None
    with localcontext(_PRECISION):
        return observed / required


def progress_class(observed: Decimal, required: Decimal) -> ProgressClass:
    """Eurostat-style class of the progress ratio ``observed / required``.

    When the target is already met (required <= 0) the ratio is undefined: the class is
    "significant" while the observed rate keeps the value at or above the target path, and
    "moving_away" otherwise.
    """
    ratio = progress_ratio(observed, required)
    if ratio is None:
        return ProgressClass.SIGNIFICANT if observed >= required else ProgressClass.MOVING_AWAY
    if ratio >= SIGNIFICANT_THRESHOLD:
        return ProgressClass.SIGNIFICANT
    if ratio >= MODERATE_THRESHOLD:
        return ProgressClass.MODERATE
    if ratio >= 0:
        return ProgressClass.INSUFFICIENT
    return ProgressClass.MOVING_AWAY


def trajectory(
    latest_value: Decimal, latest_year: int, required: Decimal, target_year: int
) -> list[tuple[int, Decimal]]:
    """The path ``(year, value)`` from the latest year to the target year at ``required`` growth."""
    _positive("latest_value", latest_value)
    _growth("required", required)
    if target_year < latest_year:
        raise ProgressError(f"target year {target_year} is before the latest year {latest_year}")
    return [
        (latest_year + n, _compound(latest_value, required, n))
        for n in range(target_year - latest_year + 1)
    ]


@dataclass(frozen=True)
class GapYear:
    year: int
    required_value: Decimal  # on the path that reaches the target
    projected_value: Decimal  # on the observed-growth path
    gap: Decimal  # required - projected; negative when ahead


@dataclass(frozen=True)
class AnnualGap:
    """How far the observed path falls short of the target, in money.

    ``shortfall`` is target minus projection in the target year; ``extra_per_year`` spreads it
    evenly over the years left: the additional amount per year, on top of the observed path,
    that closes the gap. Negative values mean the observed path overshoots the target.
    """

    target_year: int
    projected_value: Decimal
    shortfall: Decimal
    extra_per_year: Decimal
    by_year: tuple[GapYear, ...]


def annual_gap(
    latest_value: Decimal,
    latest_year: int,
    target_value: Decimal,
    target_year: int,
    observed: Decimal,
) -> AnnualGap:
    """The gap between the required path and the path at the observed growth rate."""
    _growth("observed", observed)
    required = required_cagr(latest_value, latest_year, target_value, target_year)
    rows = []
    for year, needed in trajectory(latest_value, latest_year, required, target_year):
        projected = _compound(latest_value, observed, year - latest_year)
        rows.append(GapYear(year, needed, projected, needed - projected))
    projected_final = rows[-1].projected_value
    with localcontext(_PRECISION):
        shortfall = target_value - projected_final
        per_year = shortfall / Decimal(target_year - latest_year)
    return AnnualGap(
        target_year=target_year,
        projected_value=projected_final,
        shortfall=shortfall,
        extra_per_year=per_year,
        by_year=tuple(rows),
    )


def scenario(
    component_values: Mapping[str, Decimal],
    component_growth: Mapping[str, Decimal],
    years: int,
) -> Decimal:
    """Total after ``years`` years when each component grows at its own annual rate.

    Every component needs a rate; a component without one is an error rather than a silent 0 %.
    """
    if years < 0:
        raise ProgressError(f"years must not be negative, got {years}")
    lacking = sorted(set(component_values) - set(component_growth))
    if lacking:
        raise ProgressError(f"no growth rate for {', '.join(lacking)}")
    extra = sorted(set(component_growth) - set(component_values))
    if extra:
        raise ProgressError(f"growth rate for components without a value: {', '.join(extra)}")
    total = Decimal(0)
    for code, value in component_values.items():
        if not isinstance(value, Decimal) or not value.is_finite():
            raise TypeError(f"value of {code} must be a finite Decimal")
        _growth(f"growth of {code}", component_growth[code])
        total += _compound(value, component_growth[code], years)
    return total


@dataclass(frozen=True)
class ShareProgress:
    """A share target (e.g. digitally deliverable / total services >= 45 %)."""

    latest_year: int
    latest_share: Decimal
    target_year: int
    target_share: Decimal
    projected_share: Decimal  # in the target year, both parts at their observed growth
    on_track: bool
    # Growth of the numerator that reaches the target share if the denominator keeps its rate.
    required_numerator_growth: Decimal


def share_progress(
    numerator: Decimal,
    denominator: Decimal,
    latest_year: int,
    numerator_growth: Decimal,
    denominator_growth: Decimal,
    target_share: Decimal,
    target_year: int,
) -> ShareProgress:
    """Projected share in the target year from the observed growth of its two parts.

    A share can fall while both levels grow (China 2024: DDS +6.5 %, services +14.4 %).
    """
    _positive("numerator", numerator)
    _positive("denominator", denominator)
    _growth("numerator_growth", numerator_growth)
    _growth("denominator_growth", denominator_growth)
    if not isinstance(target_share, Decimal) or not 0 < target_share <= 1:
        raise ProgressError(f"target share must be a Decimal in (0, 1], got {target_share}")
    if target_year <= latest_year:
        raise ProgressError(f"target year {target_year} is not after the latest year {latest_year}")
    years = target_year - latest_year
    with localcontext(_PRECISION):
        latest_share = numerator / denominator
        projected = _compound(numerator, numerator_growth, years) / _compound(
            denominator, denominator_growth, years
        )
        needed_numerator = target_share * _compound(denominator, denominator_growth, years)
        required = _root_growth(needed_numerator / numerator, years)
    return ShareProgress(
        latest_year=latest_year,
        latest_share=latest_share,
        target_year=target_year,
        target_share=target_share,
        projected_share=projected,
        on_track=projected >= target_share,
        required_numerator_growth=required,
    )


@dataclass(frozen=True)
class TargetAssessment:
    """Everything the monitor shows for one level target."""

    indicator: str
    target_year: int
    target_value: Decimal
    latest_year: int
    latest_value: Decimal
    required_cagr: Decimal | None  # None once the target year is reached
    observed_cagr: Decimal | None  # None without enough history
    on_track: bool | None
    projected_year: int | None
    gap_per_year: Decimal | None
    progress_class: ProgressClass | None = None


def assess(
    indicator: str,
    series: Mapping[int, Decimal],
    target_value: Decimal,
    target_year: int,
    window_years: int = 5,
) -> TargetAssessment:
    """Assess ``series`` (annual values) against ``target_value`` in ``target_year``.

    The observed rate uses the longest window up to ``window_years`` that the series covers.
    """
    if not series:
        raise ProgressError(f"{indicator}: no observations")
    latest_year = max(series)
    latest_value = series[latest_year]
    _positive("latest value", latest_value)
    _positive("target_value", target_value)
    observed: Decimal | None = None
    for window in range(window_years, 0, -1):
        if latest_year - window in series:
            observed = observed_cagr(series, latest_year, window)
            break
    if latest_year >= target_year:
        reached = latest_value >= target_value
        return TargetAssessment(
            indicator=indicator,
            target_year=target_year,
            target_value=target_value,
            latest_year=latest_year,
            latest_value=latest_value,
            required_cagr=None,
            observed_cagr=observed,
            on_track=reached,
            projected_year=latest_year if reached else None,
            gap_per_year=None,
        )
    required = required_cagr(latest_value, latest_year, target_value, target_year)
    if observed is None:
        return TargetAssessment(
            indicator=indicator,
            target_year=target_year,
            target_value=target_value,
            latest_year=latest_year,
            latest_value=latest_value,
            required_cagr=required,
            observed_cagr=None,
            on_track=None,
            projected_year=latest_year if latest_value >= target_value else None,
            gap_per_year=None,
        )
    gap = annual_gap(latest_value, latest_year, target_value, target_year, observed)
    return TargetAssessment(
        indicator=indicator,
        target_year=target_year,
        target_value=target_value,
        latest_year=latest_year,
        latest_value=latest_value,
        required_cagr=required,
        observed_cagr=observed,
        on_track=on_track(observed, required),
        projected_year=projected_year(latest_value, latest_year, target_value, observed),
        gap_per_year=gap.extra_per_year,
        progress_class=progress_class(observed, required),
    )
