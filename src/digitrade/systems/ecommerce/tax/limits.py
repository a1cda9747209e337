"""Transaction and annual limits of retail imports, dated by the instrument that set them.

- MOF/GAC/SAT 财关税〔2016〕18号, from 8 April 2016: RMB 2,000 per transaction and RMB 20,000
  per person per year; duty 0 and VAT and consumption tax at 70% within them.
- MOF/GAC/SAT 财关税〔2018〕49号, from 1 January 2019: RMB 5,000 and RMB 26,000; an order of only
  one item over the transaction limit may still come in, taxed in full.

Readings taken where the research note leaves a point open or unverified:

- The transaction limit is tested against the dutiable value (goods + freight + insurance),
  not against the payment less tax (open point in the note).
- A value equal to a limit is within it: both instruments bite on "超过" (exceeds).
- The annual total is per calendar year of the order date and per identity number; the caller
  supplies the total already used this year (``annual_total_before``).
- The 2016 effective date (8 April 2016) and the treatment of a single indivisible item under
  the 2016 limits (taxed in full, like the 2018 one-item rule) are recalled, not verified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from digitrade.core.errors import validation_error

REDUCTION = Decimal("0.7")


@dataclass(frozen=True, slots=True)
class LimitRegime:
    instrument: str
    effective_from: date
    transaction_limit: Decimal
    annual_limit: Decimal
    verified: bool


REGIMES: tuple[LimitRegime, ...] = (
    LimitRegime("财关税〔2016〕18号", date(2016, 4, 8), Decimal(2000), Decimal(20000), False),
    LimitRegime("财关税〔2018〕49号", date(2019, 1, 1), Decimal(5000), Decimal(26000), True),
)


def regime_on(day: date, *, field: str = "order_date") -> LimitRegime:
    """The limits in force on ``day``: the last regime in ``REGIMES`` that has started."""
    for regime in reversed(REGIMES):
        if regime.effective_from <= day:
            return regime
    first = REGIMES[0]
    raise validation_error(
        field,
        f"{day.isoformat()} is before the retail-import tax policy "
        f"({first.instrument}, from {first.effective_from.isoformat()})",
    )
