"""Volume thresholds by effective date, the numbers behind the volume-tier rules.

"以上" (at or above) includes the threshold and "不满" (fewer than) excludes it, so a count equal
to a threshold falls in the stricter tier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from digitrade.systems.dataflow.rules.catalogue import (
    PROVISIONS_START,
    SECURITY_ASSESSMENT_MEASURES_START,
)


@dataclass(frozen=True, slots=True)
class VolumeTiers:
    effective_from: date
    effective_to: date | None
    window_years_back: int
    """Counting starts on 1 January of the year ``window_years_back`` years before the
    assessment date: 1 under SA Measures Art 4(3), 0 under Provisions Arts 5(4), 7(2), 8."""
    security_assessment_individuals: int
    security_assessment_sensitive: int
    contract_individuals: int
    """At or above this (or ``contract_sensitive``) a standard contract or certification is
    needed; below both, the export is exempt. 0: no volume exemption exists."""
    contract_sensitive: int
    sensitive_added_to_individuals: bool
    """The 2022 trigger counted all individuals whose PI was exported; the engine adds the
    sensitive count to the non-sensitive one (an upper bound; rule
    cn.sa-measures.art4-3.counting)."""
    processed_individuals_limit: int | None
    """SA Measures Art 4(2) / SCC Measures Art 4: processing PI of this many individuals needs a
    security assessment; the request does not carry the processed volume."""
    sources: str

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def window_start(self, as_of: date) -> date:
        return date(as_of.year - self.window_years_back, 1, 1)


VOLUME_TIERS: tuple[VolumeTiers, ...] = (
    VolumeTiers(
        effective_from=SECURITY_ASSESSMENT_MEASURES_START,
        effective_to=date(2024, 3, 21),
        window_years_back=1,
        security_assessment_individuals=100_000,
        security_assessment_sensitive=10_000,
        contract_individuals=0,
        contract_sensitive=1,
        sensitive_added_to_individuals=True,
        processed_individuals_limit=1_000_000,
        sources="SA Measures Art 4(2)-(3) (from 2022-09-01); SCC Measures Art 4 (from 2023-06-01)",
    ),
    VolumeTiers(
        effective_from=PROVISIONS_START,
        effective_to=None,
        window_years_back=0,
        security_assessment_individuals=1_000_000,
        security_assessment_sensitive=10_000,
        contract_individuals=100_000,
        contract_sensitive=1,
        sensitive_added_to_individuals=False,
        processed_individuals_limit=None,
        sources="Provisions Arts 5(4), 7(2), 8 (from 2024-03-22)",
    ),
)


def tiers_in_force(day: date) -> VolumeTiers | None:
    return next((tiers for tiers in VOLUME_TIERS if tiers.in_force(day)), None)
