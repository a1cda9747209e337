"""Free-trade-zone data export lists as versioned, multi-jurisdiction data.

Provisions on Promoting and Regulating Cross-Border Data Flows (CAC Order No. 16, effective
22 Mar 2024) Art 6: a pilot free trade zone may draw up, within the national classification and
grading framework, a list of data whose export needs a security assessment, a standard contract
or certification (the "negative list"). A processor registered in the zone that exports data
*off* the list is exempt from all three.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from digitrade.core.errors import FieldIssue, ValidationFailed


class Pathway(StrEnum):
    """What a list row prescribes for the data it lists."""

    # Provisions Art 7; Security Assessment Measures (CAC Order No. 11).
    SECURITY_ASSESSMENT = "security_assessment"
    # Provisions Art 8; Standard Contract Measures (CAC Order No. 13) or certification.
    STANDARD_CONTRACT_OR_CERTIFICATION = "standard_contract_or_certification"
    # Lin-gang Measures for Classified and Graded Management of Cross-border Data Flow (trial,
    # 19 Jan 2024): data on a general data list flows after filing and self-assessment.
    GENERAL_DATA_FILING = "general_data_filing"

    @property
    def strictness(self) -> int:
        return _STRICTNESS[self]


_STRICTNESS = {
    Pathway.SECURITY_ASSESSMENT: 3,
    Pathway.STANDARD_CONTRACT_OR_CERTIFICATION: 2,
    Pathway.GENERAL_DATA_FILING: 1,
}


class ListKind(StrEnum):
    # Off-list data is exempt for processors in a covered sector (Provisions Art 6).
    NEGATIVE = "negative"
    # Lin-gang positive track: listed general data flows after filing; off-list data falls back
    # to the national rules. The opposite reading of "off the list" from a negative list.
    GENERAL_DATA = "general_data"


@dataclass(frozen=True)
class ListRow:
    """One row of a published list, in the lists' own layout: sector, scenario, category, item.

    English and Chinese names are both carried where known; matching accepts either.
    ``pathway`` is None only on an unverified row whose prescribed pathway was not transcribed
    from the official text.
    """

    row_id: str
    sector: str
    scenario: str
    category: str
    item: str
    characteristics: str
    pathway: Pathway | None
    threshold: str | None
    verified: bool
    note: str
    sector_zh: str = ""
    scenario_zh: str = ""
    category_zh: str = ""
    item_zh: str = ""


@dataclass(frozen=True)
class NegativeList:
    """One edition of one jurisdiction's list.

    ``complete`` says that every published row has been transcribed and checked against the
    official text. Only then does "off the list" prove that data is off the list.
    ``effective_until`` is the last day in force, for pilots with a fixed term.
    """

    jurisdiction: str
    title_zh: str
    title_en: str
    version: str
    issued_by: str
    effective_from: date
    source_url: str
    rows: tuple[ListRow, ...]
    kind: ListKind = ListKind.NEGATIVE
    complete: bool = False
    issued_on: date | None = None
    effective_until: date | None = None
    sources: tuple[str, ...] = ()
    note: str = ""

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )

    @property
    def citation(self) -> str:
        """How a decision names this list among its reasons."""
        title = self.title_en or self.title_zh
        return (
            f"{title} ({self.version}), {self.issued_by}, in force from "
            f"{self.effective_from.isoformat()}, {self.source_url}"
        )


class ImportIssue(NamedTuple):
    """One problem found while importing a list.

    ``row_number`` is where the row sits in the source (the CSV line, the worksheet row, the
    1-based position in the JSON ``rows`` array); 0 means the list's own fields or the file.
    """

    row_number: int
    field: str
    message: str


class ListImportError(ValidationFailed):
    """A list failed to import; nothing was imported. ``errors`` holds every problem found."""

    code = "dataflow-ftz-list-invalid"
    title = "The data export list could not be imported"

    def __init__(self, errors: list[ImportIssue]) -> None:
        first = errors[0]
        where = f"row {first.row_number}" if first.row_number else "list"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(
            f"{where}, {first.field}: {first.message}{more}",
            fields=[
                FieldIssue(
                    f"rows[{issue.row_number}].{issue.field}" if issue.row_number else issue.field,
                    issue.message,
                )
                for issue in errors
            ],
        )
        self.errors = tuple(errors)


class ConflictingListsError(ValueError):
    """Two editions of one jurisdiction's list claim the same first day in force."""
