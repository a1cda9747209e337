"""Returns of cross-border e-commerce goods: is the return accepted, and is tax relieved.

Retail imports, GAC Announcement 2020 No.45: a return applied for within 30 days of the list's
release, with the goods back in the original supervised site, zone or B-type centre within 45
days of release, is accepted; the tax is not collected and the buyer's annual total is reduced
(``tax_relief``).

Exports (9610, 1210, 9810), GAC Announcement 2020 No.44: goods may be returned within one year
of export release. Tax relief, MOF/GAC/SAT 财关税〔2023〕4号 as extended by 〔2023〕34号: goods
other than food exported from 30 January 2023 to 31 December 2025 and back in their original
state within 6 months of export re-enter free of duty, VAT and consumption tax. The extension to
exports of 2026-2027 comes from a press report and is marked unverified.

How periods are counted (Civil Code arts 201-203):

- The day of release is not counted. Day 1 is the next day, so "within 30 days" ends on
  release + 30 days, inclusive: released 1 January, the last day to apply is 31 January.
- Months and years end on the corresponding day of the last month; when that month has no such
  day, on its last day: exported 31 August 2024, six months end on 28 February 2025; exported
  29 February 2024, one year ends on 28 February 2025.
- When the last day is a rest day the period runs to the next working day (art 203). The engine
  applies this only for the rest days the caller passes in ``rest_days``; without a calendar no
  period is extended.

Readings: ``goods_back_date`` may be null while the goods are still on their way; the return is
then not (yet) accepted and the reason says by when they must be back. Only the categories
"food" and "食品" count as food. That the goods are in their original state is vouched for by the
returning firm, not checked here.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from digitrade.core.errors import validation_error
from digitrade.core.text import Text
from digitrade.systems.ecommerce.fields import (
    as_object,
    choice_field,
    date_field,
    optional_date,
    reject_unknown,
    text_field,
)
from digitrade.systems.ecommerce.modes import Direction
from digitrade.systems.ecommerce.outcome import Reason
from digitrade.systems.ecommerce.texts import render

IMPORT_APPLY_DAYS = 30
IMPORT_GOODS_BACK_DAYS = 45
EXPORT_RETURN_YEARS = 1
EXPORT_RELIEF_MONTHS = 6
FOOD_CATEGORIES = frozenset({"food", "食品"})

_REQUEST_KEYS = frozenset(
    {"direction", "release_date", "application_date", "goods_back_date", "goods_category"}
)


@dataclass(frozen=True, slots=True)
class ReturnRequest:
    direction: Direction
    release_date: date
    application_date: date
    goods_back_date: date | None
    goods_category: str


@dataclass(frozen=True, slots=True)
class ReliefWindow:
    instrument: Text
    exported_from: date
    exported_until: date
    verified: bool


RELIEF_WINDOWS: tuple[ReliefWindow, ...] = (
    ReliefWindow(
        Text(
            "财关税〔2023〕4号, extended by 〔2023〕34号", "财关税〔2023〕4号，经〔2023〕34号延续"
        ),
        date(2023, 1, 30),
        date(2025, 12, 31),
        True,
    ),
    ReliefWindow(
        Text("2026-2027 extension (press report)", "2026—2027年延续（据媒体报道）"),
        date(2026, 1, 1),
        date(2027, 12, 31),
        False,
    ),
)


@dataclass(frozen=True, slots=True)
class ReturnDecision:
    accepted: bool
    tax_relief: bool
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "tax_relief": self.tax_relief,
            "reasons": [reason.as_dict() for reason in self.reasons],
        }


def check_return(
    request: Mapping[str, Any] | ReturnRequest, *, rest_days: Collection[date] = ()
) -> ReturnDecision:
    """Decide a return given as the ``check-return`` JSON contract."""
    parsed = request if isinstance(request, ReturnRequest) else return_from_dict(request)
    if parsed.direction is Direction.IMPORT:
        return _import_return(parsed, rest_days)
    return _export_return(parsed, rest_days)


def return_from_dict(value: Any) -> ReturnRequest:
    root = as_object(value, "request")
    reject_unknown(root, _REQUEST_KEYS, "")
    request = ReturnRequest(
        direction=Direction(choice_field(root, "direction", "", {d.value for d in Direction})),
        release_date=date_field(root, "release_date", ""),
        application_date=date_field(root, "application_date", ""),
        goods_back_date=optional_date(root, "goods_back_date", ""),
        goods_category=text_field(root, "goods_category", "", max_length=100),
    )
    if request.application_date < request.release_date:
        raise validation_error("application_date", "is before release_date")
    if request.goods_back_date is not None and request.goods_back_date < request.release_date:
        raise validation_error("goods_back_date", "is before release_date")
    return request


def add_days(start: date, days: int, rest_days: Collection[date] = ()) -> date:
    """Last day of a period of ``days`` days from ``start`` (the start day not counted)."""
    return next_working_day(start + timedelta(days=days), rest_days)


def add_months(start: date, months: int, rest_days: Collection[date] = ()) -> date:
    """Last day of a period of ``months`` months: the corresponding day, or the month's end."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return next_working_day(date(year, month + 1, day), rest_days)


def next_working_day(day: date, rest_days: Collection[date]) -> date:
    while day in rest_days:
        day += timedelta(days=1)
    return day


def _day_number(release: date, day: date) -> int:
    return (day - release).days


def _import_return(request: ReturnRequest, rest_days: Collection[date]) -> ReturnDecision:
    release = request.release_date
    apply_by = add_days(release, IMPORT_APPLY_DAYS, rest_days)
    back_by = add_days(release, IMPORT_GOODS_BACK_DAYS, rest_days)
    refusals: list[Reason] = []
    applied_day = _day_number(release, request.application_date)
    if request.application_date > apply_by:
        refusals.append(
            Reason.of(
                "applied_late",
                "returns.import.applied_late",
                day=applied_day,
                days=IMPORT_APPLY_DAYS,
                apply_by=apply_by.isoformat(),
            )
        )
    period = Text(f"{IMPORT_GOODS_BACK_DAYS} days", f" {IMPORT_GOODS_BACK_DAYS} 日")
    refusals.extend(_goods_back_refusals(request, back_by, period))
    if refusals:
        return ReturnDecision(False, False, tuple(refusals))
    back_day = _day_number(release, request.goods_back_date or release)
    return ReturnDecision(
        True,
        True,
        (
            Reason.of(
                "accepted",
                "returns.import.accepted",
                applied=applied_day,
                back=back_day,
                apply=IMPORT_APPLY_DAYS,
                goods=IMPORT_GOODS_BACK_DAYS,
            ),
            Reason.of("tax_not_collected", "returns.import.tax_not_collected"),
        ),
    )


def _goods_back_refusals(request: ReturnRequest, back_by: date, period: Text) -> list[Reason]:
    back = request.goods_back_date
    if back is None:
        return [
            Reason.of(
                "goods_not_back",
                "returns.goods_not_back",
                period=period,
                back_by=back_by.isoformat(),
            )
        ]
    if back > back_by:
        return [
            Reason.of(
                "goods_back_late",
                "returns.goods_back_late",
                back=back.isoformat(),
                back_by=back_by.isoformat(),
                period=period,
            )
        ]
    return []


def _export_return(request: ReturnRequest, rest_days: Collection[date]) -> ReturnDecision:
    release = request.release_date
    back_by = add_months(release, 12 * EXPORT_RETURN_YEARS, rest_days)
    refusals = _goods_back_refusals(request, back_by, Text("one year", "一年"))
    if request.application_date > back_by:
        refusals.insert(
            0,
            Reason.of(
                "applied_late",
                "returns.export.applied_late",
                applied=request.application_date.isoformat(),
                back_by=back_by.isoformat(),
            ),
        )
    if refusals:
        return ReturnDecision(False, False, tuple(refusals))
    accepted = Reason.of("accepted", "returns.export.accepted", back_by=back_by.isoformat())
    relief = _export_relief(request, rest_days)
    return ReturnDecision(True, relief.code == "tax_relief", (accepted, relief))


def _export_relief(request: ReturnRequest, rest_days: Collection[date]) -> Reason:
    release = request.release_date
    if request.goods_category.strip().lower() in FOOD_CATEGORIES:
        return Reason.of("no_tax_relief_food", "returns.no_tax_relief_food")
    window = next(
        (w for w in RELIEF_WINDOWS if w.exported_from <= release <= w.exported_until), None
    )
    if window is None:
        return Reason.of(
            "no_tax_relief_outside_policy",
            "returns.no_tax_relief_outside_policy",
            exported=release.isoformat(),
        )
    relief_by = add_months(release, EXPORT_RELIEF_MONTHS, rest_days)
    back = request.goods_back_date
    assert back is not None
    if back > relief_by:
        return Reason.of(
            "no_tax_relief_late",
            "returns.no_tax_relief_late",
            back=back.isoformat(),
            relief_by=relief_by.isoformat(),
        )
    unverified = Text("", "") if window.verified else render("returns.unverified")
    return Reason.of(
        "tax_relief",
        "returns.tax_relief",
        relief_by=relief_by.isoformat(),
        instrument=window.instrument,
        unverified=unverified,
    )
