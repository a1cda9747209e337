"""Free-trade-zone data export lists: versioned, multi-jurisdiction data, import and matching
(Provisions on Promoting and Regulating Cross-Border Data Flows, CAC Order No. 16, Art 6)."""

from digitrade.systems.dataflow.ftz.formats import (
    dump_csv,
    dump_json,
    dump_xlsx,
    parse_csv,
    parse_json,
    parse_xlsx,
)
from digitrade.systems.dataflow.ftz.matching import (
    Match,
    MatchResult,
    covered_sectors,
    in_force,
    match,
    normalise,
)
from digitrade.systems.dataflow.ftz.model import (
    ConflictingListsError,
    ImportIssue,
    ListImportError,
    ListKind,
    ListRow,
    NegativeList,
    Pathway,
)
from digitrade.systems.dataflow.ftz.shipped import SHIPPED_LIST_FILES, shipped_list_files

__all__ = [
    "SHIPPED_LIST_FILES",
    "ConflictingListsError",
    "ImportIssue",
    "ListImportError",
    "ListKind",
    "ListRow",
    "Match",
    "MatchResult",
    "NegativeList",
    "Pathway",
    "covered_sectors",
    "dump_csv",
    "dump_json",
    "dump_xlsx",
    "in_force",
    "match",
    "normalise",
    "parse_csv",
    "parse_json",
    "parse_xlsx",
    "shipped_list_files",
]
