"""Withholding-tax settlement of retail imports (GAC Announcement 2018 No.194): the tax of a
released declaration list is totalled against the withholder's guarantee and, if the list is not
returned, amended or cancelled within 30 days of release, paid on days 31 to 45 after release.

Days are counted as ``returns`` counts them (Civil Code arts 201-203): the release day is not
counted, so released 1 January, the return window ends 31 January, tax is payable from
1 February and must be paid by 15 February; a last day on a rest day passed in ``rest_days``
moves to the next working day. Pure functions: no database.

Source: the rule as summarised by customs' guidance on GAC 2018 No.194 (secondary); the
announcement's own wording of the day 31-45 rule is still to be checked against its text.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from digitrade.systems.ecommerce.returns import add_days

RETURN_WINDOW_DAYS = 30
PAYABLE_FROM_DAY = 31
PAYABLE_BY_DAY = 45
RETURN_WINDOW, PAYABLE, OVERDUE = "return_window", "payable", "overdue"
STAGES = (RETURN_WINDOW, PAYABLE, OVERDUE)


@dataclass(frozen=True)
class SettlementWindow:
    released: date
    return_deadline: date  # last day a return, amendment or cancellation stops the tax
    payable_from: date
    payable_by: date


def settlement_window(released: date, rest_days: Collection[date] = ()) -> SettlementWindow:
    return_deadline = add_days(released, RETURN_WINDOW_DAYS, rest_days)
    return SettlementWindow(
        released=released,
        return_deadline=return_deadline,
        payable_from=max(
            released + timedelta(days=PAYABLE_FROM_DAY), return_deadline + timedelta(days=1)
        ),
        payable_by=add_days(released, PAYABLE_BY_DAY, rest_days),
    )


def stage_on(window: SettlementWindow, as_of: date) -> str:
    """Where a released list stands on ``as_of``: still returnable, payable, or overdue."""
    if as_of <= window.return_deadline:
        return RETURN_WINDOW
    if as_of <= window.payable_by:
        return PAYABLE
    return OVERDUE
