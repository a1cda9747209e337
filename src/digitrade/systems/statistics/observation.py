"""The unit of data the monitor keeps: one value for one economy, period, code and flow.

Pure types shared by the importers, the engines and the store. Values are ``Decimal`` in
``currency`` times 10**``unit_multiplier`` (SDMX UNIT_MULT: 6 = millions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Flow(StrEnum):
    CREDIT = "credit"  # exports (BPM6 credit)
    DEBIT = "debit"  # imports (BPM6 debit)


class Basis(StrEnum):
    BOP = "bop"  # balance of payments (BPM6), national
    ITRS_PROVINCIAL = "itrs_provincial"  # international transactions reporting, by province
    DIRECT_REPORTING = "direct_reporting"  # enterprises' direct returns, aggregated
    MODELLED = "modelled"  # estimates (balanced matrices, Mode 1 shares, nowcasts)


class Status(StrEnum):
    OFFICIAL = "official"
    PRELIMINARY = "preliminary"
    NOWCAST = "nowcast"
    ILLUSTRATIVE = "illustrative"  # demonstration data, labelled as such wherever it is shown


class Frequency(StrEnum):
    ANNUAL = "A"
    QUARTERLY = "Q"
    MONTHLY = "M"


_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    """A year (``2024``), a quarter (``2024-Q3``) or a month (``2024-07``)."""

    year: int
    frequency: Frequency
    index: int  # 0 for a year, 1-4 for a quarter, 1-12 for a month

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD.match(text.strip())
        if match is None:
            raise PeriodError(f"period {text!r} is not YYYY, YYYY-Qn or YYYY-MM")
        year = int(match["year"])
        if match["quarter"]:
            return cls(year, Frequency.QUARTERLY, int(match["quarter"]))
        if match["month"]:
            return cls(year, Frequency.MONTHLY, int(match["month"]))
        return cls(year, Frequency.ANNUAL, 0)

    def __str__(self) -> str:
        if self.frequency is Frequency.QUARTERLY:
            return f"{self.year}-Q{self.index}"
        if self.frequency is Frequency.MONTHLY:
            return f"{self.year}-{self.index:02d}"
        return str(self.year)


@dataclass(frozen=True, slots=True)
class ObservationRow:
    """One value as read from a file or a return, before it is stored."""

    economy: str  # ISO 3166-1 alpha-3 (CHN), an aggregate (WLD) or a sub-national code (CN-SH)
    period: Period
    code: str  # an EBOPS 2010 code (SI2), an aggregate (S, SOX) or DDS (see ``definitions``)
    flow: Flow
    value: Decimal
    currency: str = "USD"
    unit_multiplier: int = 6
    basis: Basis = Basis.BOP
    status: Status = Status.OFFICIAL
    source: str = ""
    definition: str | None = None  # which "digitally deliverable" set a DDS value follows
    mode: int | None = None  # GATS mode of supply 1-4, where known
    partner: str = "W00"  # partner economy; W00 = the world

    def in_millions(self) -> Decimal:
        """The value in millions of ``currency``, exact."""
        return self.value.scaleb(self.unit_multiplier - 6)
