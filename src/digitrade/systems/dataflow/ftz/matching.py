"""Is this data on the list in force? Pure and deterministic.

Provisions on Promoting and Regulating Cross-Border Data Flows (CAC Order No. 16) Art 6:
processors in a pilot free trade zone exporting data *off* the zone's list are exempt from the
security assessment, standard contract and certification; data *on* it takes the pathway its
row prescribes. Which processors a list binds (registered in the zone, not a CIIO) is for the
pathway engine to decide, not for this module.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from digitrade.systems.dataflow.ftz.model import (
    ConflictingListsError,
    ListKind,
    ListRow,
    NegativeList,
)


class MatchResult(StrEnum):
    ON_LIST = "on_list"
    OFF_LIST = "off_list"
    # No list in force for the jurisdiction, or no row of it covers the sector.
    NOT_COVERED = "not_covered"


@dataclass(frozen=True)
class Match:
    """The answer, with what a decision needs to print its reasons.

    ``verified`` is False when the answer rests on rows or on a list not checked against the
    official text: an "off_list" from an incomplete list does not prove the data is off the
    official list, so an engine must not grant the Art 6 exemption on it.
    ``list_kind`` matters for reading "off_list": only on a negative list does it exempt.
    """

    result: MatchResult
    rows: tuple[ListRow, ...]
    list_version: str | None
    jurisdiction: str
    list_kind: ListKind | None = None
    verified: bool = False
    citation: str | None = None


def normalise(name: str) -> str:
    """Compare names the way a person would: full-width and half-width forms alike (NFKC),
    case-insensitive, runs of whitespace as one space."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def in_force(
    lists: Iterable[NegativeList], *, jurisdiction: str, as_of: date
) -> NegativeList | None:
    """The edition of ``jurisdiction``'s list in force on ``as_of``: the latest that has started
    and not ended. Two editions starting the same day are a data error, not a choice."""
    wanted = normalise(jurisdiction)
    candidates = [
        candidate
        for candidate in lists
        if normalise(candidate.jurisdiction) == wanted and candidate.in_force_on(as_of)
    ]
    if not candidates:
        return None
    latest = max(candidate.effective_from for candidate in candidates)
    current = [candidate for candidate in candidates if candidate.effective_from == latest]
    if len(current) > 1:
        versions = ", ".join(sorted(candidate.version for candidate in current))
        raise ConflictingListsError(
            f"{jurisdiction}: editions {versions} all take effect on {latest.isoformat()}"
        )
    return current[0]


def covered_sectors(negative_list: NegativeList) -> tuple[str, ...]:
    """The sector names a list covers, in list order, for offering a choice to the user."""
    names: dict[str, None] = {}
    for row in negative_list.rows:
        names.setdefault(row.sector or row.sector_zh, None)
    return tuple(names)


def match(
    lists: Iterable[NegativeList],
    *,
    jurisdiction: str,
    sector: str,
    data_items: Sequence[str],
    as_of: date,
) -> Match:
    """Match ``data_items`` (category or item names, English or Chinese) against the list of
    ``jurisdiction`` in force on ``as_of``.

    - no list in force, or the sector has no row: ``not_covered``;
    - any item or category name matches a row of the sector: ``on_list`` with every matching
      row, strictest pathway first (unknown pathways just after security assessment, since they
      may turn out to be one);
    - otherwise ``off_list``.
    """
    current = in_force(lists, jurisdiction=jurisdiction, as_of=as_of)
    if current is None:
        return Match(MatchResult.NOT_COVERED, (), None, jurisdiction)
    wanted_sector = normalise(sector)
    sector_rows = [
        row for row in current.rows if wanted_sector in _names(row.sector, row.sector_zh)
    ]

    def answer(result: MatchResult, rows: tuple[ListRow, ...], verified: bool) -> Match:
        return Match(
            result,
            rows,
            current.version,
            current.jurisdiction,
            current.kind,
            verified,
            current.citation,
        )

    if not sector_rows:
        return answer(MatchResult.NOT_COVERED, (), current.complete)
    wanted_items = {normalise(item) for item in data_items} - {""}
    matched = [
        row
        for row in sector_rows
        if wanted_items & _names(row.category, row.category_zh, row.item, row.item_zh)
    ]
    if not matched:
        return answer(MatchResult.OFF_LIST, (), current.complete)
    ordered = tuple(sorted(matched, key=_strictest_first))
    return answer(MatchResult.ON_LIST, ordered, all(row.verified for row in ordered))


def _names(*names: str) -> set[str]:
    return {normalise(name) for name in names} - {""}


def _strictest_first(row: ListRow) -> int:
    # Security assessment 3, unknown 2.5, standard contract 2, general-data filing 1.
    strictness = row.pathway.strictness if row.pathway else 2.5
    return -int(strictness * 2)
