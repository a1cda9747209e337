"""Turn raw list fields and rows (from any format) into a checked ``NegativeList``.

All or nothing: every problem in the input is collected and reported at once with its row
number, and no partial list is ever returned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from digitrade.systems.dataflow.ftz.model import (
    ImportIssue,
    ListImportError,
    ListKind,
    ListRow,
    NegativeList,
    Pathway,
)

LIST_FIELDS = (
    "jurisdiction",
    "title_zh",
    "title_en",
    "version",
    "issued_by",
    "issued_on",
    "effective_from",
    "effective_until",
    "source_url",
    "sources",
    "kind",
    "complete",
    "note",
)
ROW_FIELDS = (
    "row_id",
    "sector",
    "sector_zh",
    "scenario",
    "scenario_zh",
    "category",
    "category_zh",
    "item",
    "item_zh",
    "characteristics",
    "pathway",
    "threshold",
    "verified",
    "note",
)
# A row needs one of each pair: the list is usable in either language.
REQUIRED_ROW_NAMES = (("sector", "sector_zh"), ("item", "item_zh"))
MAX_ROWS = 20_000

_JURISDICTION = re.compile(r"^[A-Z]{2}(-[A-Z0-9]+)*$")
# Spellings met in published lists and spreadsheets, normalised by ``_pathway_key``.
_PATHWAY_ALIASES = {
    "security_assessment": Pathway.SECURITY_ASSESSMENT,
    "sa": Pathway.SECURITY_ASSESSMENT,
    "安全评估": Pathway.SECURITY_ASSESSMENT,
    "数据出境安全评估": Pathway.SECURITY_ASSESSMENT,
    "standard_contract_or_certification": Pathway.STANDARD_CONTRACT_OR_CERTIFICATION,
    "scc_or_certification": Pathway.STANDARD_CONTRACT_OR_CERTIFICATION,
    "标准合同或认证": Pathway.STANDARD_CONTRACT_OR_CERTIFICATION,
    "标准合同/认证": Pathway.STANDARD_CONTRACT_OR_CERTIFICATION,
    "标准合同备案或认证": Pathway.STANDARD_CONTRACT_OR_CERTIFICATION,
    "general_data_filing": Pathway.GENERAL_DATA_FILING,
    "一般数据备案": Pathway.GENERAL_DATA_FILING,
}
_TRUE = {"true", "yes", "y", "1", "是"}
_FALSE = {"false", "no", "n", "0", "否", ""}
Value = str | int | float | bool | date | None


@dataclass(frozen=True)
class RawRow:
    """One row as read from a file, before checking."""

    row_number: int
    values: Mapping[str, Value]


def build_list(
    list_fields: Mapping[str, Value | list[str]],
    rows: Iterable[RawRow],
    *,
    issues: list[ImportIssue] | None = None,
) -> NegativeList:
    """Check everything and build the list, or raise ``ListImportError`` with every problem.

    ``issues`` carries problems the reader already found (unknown columns, unreadable cells).
    """
    found: list[ImportIssue] = list(issues or [])
    metadata = _list_fields(list_fields, found)
    kind = metadata.kind
    checked: list[ListRow] = []
    first_use: dict[str, int] = {}
    row_count = 0
    for raw in rows:
        row_count += 1
        if row_count > MAX_ROWS:
            found.append(ImportIssue(raw.row_number, "row", f"more than {MAX_ROWS} rows"))
            break
        row_id = raw.values.get("row_id")
        key = _text(row_id, raw.row_number, "row_id", []).casefold()
        if key and key in first_use:
            found.append(
                ImportIssue(
                    raw.row_number,
                    "row_id",
                    f"duplicate row_id {row_id!r}, first used on row {first_use[key]}",
                )
            )
        elif key:
            first_use[key] = raw.row_number
        row = _row(raw, kind, found)
        if row is None:
            continue
        if metadata.complete and not row.verified:
            found.append(
                ImportIssue(
                    raw.row_number, "verified", "a list marked complete cannot hold unverified rows"
                )
            )
        checked.append(row)
    if row_count == 0:
        found.append(ImportIssue(0, "rows", "the list has no rows"))
    if found:
        raise ListImportError(sorted(found, key=lambda issue: issue.row_number))
    return NegativeList(
        jurisdiction=metadata.jurisdiction,
        title_zh=metadata.title_zh,
        title_en=metadata.title_en,
        version=metadata.version,
        issued_by=metadata.issued_by,
        effective_from=metadata.effective_from,
        source_url=metadata.source_url,
        rows=tuple(checked),
        kind=kind,
        complete=metadata.complete,
        issued_on=metadata.issued_on,
        effective_until=metadata.effective_until,
        sources=metadata.sources,
        note=metadata.note,
    )


def unknown_fields(names: Iterable[str], known: tuple[str, ...]) -> list[str]:
    return [name for name in names if name not in known]


def parse_pathway(value: str) -> Pathway | None:
    return _PATHWAY_ALIASES.get(_pathway_key(value))


@dataclass(frozen=True)
class _ListFields:
    jurisdiction: str
    title_zh: str
    title_en: str
    version: str
    issued_by: str
    effective_from: date
    source_url: str
    kind: ListKind
    complete: bool
    issued_on: date | None
    effective_until: date | None
    sources: tuple[str, ...]
    note: str


def _list_fields(raw: Mapping[str, Value | list[str]], found: list[ImportIssue]) -> _ListFields:
    def text(name: str, *, required: bool = False) -> str:
        value = raw.get(name)
        if isinstance(value, list):
            found.append(ImportIssue(0, name, "expected text"))
            return ""
        return _text(value, 0, name, found, required=required)

    jurisdiction = text("jurisdiction", required=True).upper()
    if jurisdiction and not _JURISDICTION.match(jurisdiction):
        found.append(
            ImportIssue(0, "jurisdiction", "expected a code such as 'CN-SH-FTZ' or 'CN-SH-LINGANG'")
        )
    title_zh, title_en = text("title_zh"), text("title_en")
    if not title_zh and not title_en:
        found.append(ImportIssue(0, "title_en", "a title in English or Chinese is required"))
    kind_text = text("kind") or ListKind.NEGATIVE.value
    try:
        kind = ListKind(kind_text.lower())
    except ValueError:
        found.append(
            ImportIssue(0, "kind", f"must be 'negative' or 'general_data', not {kind_text!r}")
        )
        kind = ListKind.NEGATIVE
    effective_from = _date(raw.get("effective_from"), 0, "effective_from", found, required=True)
    effective_until = _date(raw.get("effective_until"), 0, "effective_until", found)
    if effective_from and effective_until and effective_until < effective_from:
        found.append(ImportIssue(0, "effective_until", "is before effective_from"))
    return _ListFields(
        jurisdiction=jurisdiction,
        title_zh=title_zh,
        title_en=title_en,
        version=text("version", required=True),
        issued_by=text("issued_by", required=True),
        effective_from=effective_from or date.min,
        source_url=text("source_url", required=True),
        kind=kind,
        complete=_flag(raw.get("complete"), 0, "complete", found),
        issued_on=_date(raw.get("issued_on"), 0, "issued_on", found),
        effective_until=effective_until,
        sources=_sources(raw.get("sources"), found),
        note=text("note"),
    )


def _row(raw: RawRow, kind: ListKind, found: list[ImportIssue]) -> ListRow | None:
    before = len(found)
    number = raw.row_number

    def text(name: str, *, required: bool = False) -> str:
        return _text(raw.values.get(name), number, name, found, required=required)

    names = {name: text(name) for name in ROW_FIELDS if name not in ("pathway", "verified")}
    if not names["row_id"]:
        found.append(ImportIssue(number, "row_id", "required"))
    for english, chinese in REQUIRED_ROW_NAMES:
        if not names[english] and not names[chinese]:
            found.append(ImportIssue(number, english, f"required (in {english} or {chinese})"))
    verified = _flag(raw.values.get("verified"), number, "verified", found)
    pathway = _row_pathway(text("pathway"), number, kind, verified, found)
    if len(found) > before:
        return None
    return ListRow(
        row_id=names["row_id"],
        sector=names["sector"],
        scenario=names["scenario"],
        category=names["category"],
        item=names["item"],
        characteristics=names["characteristics"],
        pathway=pathway,
        threshold=names["threshold"] or None,
        verified=verified,
        note=names["note"],
        sector_zh=names["sector_zh"],
        scenario_zh=names["scenario_zh"],
        category_zh=names["category_zh"],
        item_zh=names["item_zh"],
    )


def _row_pathway(
    value: str, number: int, kind: ListKind, verified: bool, found: list[ImportIssue]
) -> Pathway | None:
    if not value:
        if verified:
            found.append(ImportIssue(number, "pathway", "required on a verified row"))
        return None
    pathway = parse_pathway(value)
    if pathway is None:
        allowed = ", ".join(p.value for p in Pathway)
        found.append(
            ImportIssue(number, "pathway", f"unknown pathway {value!r} (one of {allowed})")
        )
        return None
    if (pathway is Pathway.GENERAL_DATA_FILING) != (kind is ListKind.GENERAL_DATA):
        found.append(
            ImportIssue(
                number,
                "pathway",
                f"{pathway.value!r} does not belong on a {kind.value.replace('_', ' ')} list",
            )
        )
        return None
    return pathway


def _pathway_key(value: str) -> str:
    return re.sub(r"[\s\-]+", "_", value.strip().lower())


def _text(
    value: object, number: int, name: str, found: list[ImportIssue], *, required: bool = False
) -> str:
    if value is None:
        text = ""
    elif isinstance(value, bool | date):
        found.append(ImportIssue(number, name, "expected text"))
        return ""
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        found.append(ImportIssue(number, name, "expected text"))
        return ""
    if required and not text:
        found.append(ImportIssue(number, name, "required"))
    return text


def _flag(value: object, number: int, name: str, found: list[ImportIssue]) -> bool:
    """Absent means False: a row counts as verified only when it says so."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    found.append(ImportIssue(number, name, f"expected true or false, not {value!r}"))
    return False


def _date(
    value: object, number: int, name: str, found: list[ImportIssue], *, required: bool = False
) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            found.append(ImportIssue(number, name, "required (a date, YYYY-MM-DD)"))
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            # Strict ISO 8601 calendar date: "2025-02-08", nothing looser.
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                return date.fromisoformat(value.strip())
        except ValueError:
            pass
    found.append(ImportIssue(number, name, f"not a date (YYYY-MM-DD): {value!r}"))
    return None


def _sources(value: object, found: list[ImportIssue]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        # Flat formats (CSV, XLSX) keep several sources in one cell, separated by " | ".
        return tuple(part.strip() for part in value.split(" | ") if part.strip())
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(item.strip() for item in value if item.strip())
    found.append(ImportIssue(0, "sources", "expected a list of strings"))
    return ()
