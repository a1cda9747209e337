"""Read and write lists as JSON, CSV and XLSX. The caller reads and writes the files.

Layouts (the same fields in each, see ``validation.LIST_FIELDS`` and ``ROW_FIELDS``):

- JSON: ``{"format": "digitrade.ftz_list.v1", "list": {...}, "rows": [{...}, ...]}``.
- CSV: leading ``# field: value`` lines for the list's own fields, then a header row and one
  row per record. Row numbers in errors are the file's line numbers.
- XLSX: a worksheet ``list`` with field names in column A and values in column B, and a
  worksheet ``rows`` with a header row. Row numbers in errors are the worksheet's row numbers.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from digitrade.systems.dataflow.ftz.model import ImportIssue, ListImportError, ListRow, NegativeList
from digitrade.systems.dataflow.ftz.validation import (
    LIST_FIELDS,
    MAX_ROWS,
    REQUIRED_ROW_NAMES,
    ROW_FIELDS,
    RawRow,
    Value,
    build_list,
    unknown_fields,
)

LIST_FORMAT = "digitrade.ftz_list.v1"
MAX_IMPORT_BYTES = 5 * 1024 * 1024
LIST_SHEET = "list"
ROWS_SHEET = "rows"
MAX_COLUMNS = 64


# --- JSON ---------------------------------------------------------------------------------


def parse_json(text: str | bytes) -> NegativeList:
    _check_size(text)
    try:
        document = json.loads(text)
    except ValueError as error:
        raise ListImportError([ImportIssue(0, "file", f"not valid JSON: {error}")]) from None
    if not isinstance(document, dict):
        raise ListImportError([ImportIssue(0, "file", "expected a JSON object")])
    issues: list[ImportIssue] = []
    if document.get("format", LIST_FORMAT) != LIST_FORMAT:
        issues.append(ImportIssue(0, "format", f"expected {LIST_FORMAT!r}"))
    list_fields = document.get("list")
    if not isinstance(list_fields, dict):
        issues.append(ImportIssue(0, "list", "expected an object with the list's fields"))
        list_fields = {}
    issues.extend(
        ImportIssue(0, name, "unknown field") for name in unknown_fields(list_fields, LIST_FIELDS)
    )
    raw_rows = document.get("rows")
    if not isinstance(raw_rows, list):
        issues.append(ImportIssue(0, "rows", "expected a list of rows"))
        raw_rows = []
    rows: list[RawRow] = []
    for number, entry in enumerate(raw_rows, start=1):
        if not isinstance(entry, dict):
            issues.append(ImportIssue(number, "row", "expected an object"))
            continue
        issues.extend(
            ImportIssue(number, name, "unknown field") for name in unknown_fields(entry, ROW_FIELDS)
        )
        rows.append(RawRow(number, _json_values(entry, number, issues)))
    return build_list(_json_list_fields(list_fields, issues), rows, issues=issues)


def dump_json(negative_list: NegativeList) -> str:
    document = {
        "format": LIST_FORMAT,
        "list": _list_values(negative_list, flat=False),
        "rows": [_row_values(row) for row in negative_list.rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _json_values(
    entry: Mapping[str, Any], number: int, issues: list[ImportIssue]
) -> dict[str, Value]:
    values: dict[str, Value] = {}
    # A list is allowed in one place only: the list's own "sources" (see _json_list_fields).
    for name, value in entry.items():
        if value is None or isinstance(value, str | int | float | bool):
            values[name] = value
        elif not (number == 0 and name == "sources" and isinstance(value, list)):
            issues.append(ImportIssue(number, name, "expected text, a number or true/false"))
    return values


def _json_list_fields(
    entry: Mapping[str, Any], issues: list[ImportIssue]
) -> dict[str, Value | list[str]]:
    values: dict[str, Value | list[str]] = dict(_json_values(entry, 0, issues))
    if isinstance(entry.get("sources"), list):
        values["sources"] = entry["sources"]  # checked item by item in build_list
    return values


# --- CSV ----------------------------------------------------------------------------------


def parse_csv(text: str | bytes) -> NegativeList:
    _check_size(text)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ListImportError([ImportIssue(0, "file", "not UTF-8 text")]) from None
    text = text.removeprefix("\ufeff")
    issues: list[ImportIssue] = []
    list_fields: dict[str, Value | list[str]] = {}
    header: list[str] | None = None
    header_line = 0
    rows: list[RawRow] = []
    try:
        for line_number, cells in _csv_records(text):
            if header is None:
                stripped = _without_trailing_blanks(cells)
                if not stripped:
                    continue
                if stripped[0].lstrip().startswith("#"):
                    _metadata_line(",".join(stripped), line_number, list_fields, issues)
                    continue
                header, header_line = [cell.strip().lower() for cell in stripped], line_number
                issues.extend(_header_issues(header, header_line))
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
                issues.append(ImportIssue(line_number, "row", "more cells than header columns"))
            rows.append(RawRow(line_number, dict(zip(header, cells, strict=False))))
            if len(rows) > MAX_ROWS:
                break  # build_list reports the excess
    except csv.Error as error:
        issues.append(ImportIssue(0, "file", f"not readable as CSV: {error}"))
    if header is None:
        issues.append(ImportIssue(0, "header", "no header row"))
    return build_list(list_fields, rows, issues=issues)


def dump_csv(negative_list: NegativeList) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for name, value in _list_values(negative_list, flat=True).items():
        if value not in ("", None):
            # One line per field: the flat format has no way to keep line breaks.
            writer.writerow([f"# {name}: {' '.join(str(value).split())}"])
    writer.writerow(ROW_FIELDS)
    for row in negative_list.rows:
        values = _row_values(row)
        writer.writerow(["" if values[name] is None else values[name] for name in ROW_FIELDS])
    return buffer.getvalue()


def _csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on (a quoted cell may span several lines)."""
    reader = csv.reader(io.StringIO(text))
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        yield start, cells


def _metadata_line(
    line: str, number: int, fields: dict[str, Value | list[str]], issues: list[ImportIssue]
) -> None:
    name, separator, value = line.lstrip().removeprefix("#").partition(":")
    name = name.strip().lower()
    if not separator or not name:
        issues.append(ImportIssue(number, "list", "expected '# field: value'"))
    elif name not in LIST_FIELDS:
        issues.append(ImportIssue(number, name, "unknown field"))
    else:
        fields[name] = value.strip()


def _without_trailing_blanks(cells: list[str]) -> list[str]:
    """Spreadsheet programs pad a one-cell line with empty cells when saving as CSV."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


# --- XLSX ---------------------------------------------------------------------------------


def parse_xlsx(data: bytes) -> NegativeList:
    _check_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise ListImportError([ImportIssue(0, "file", "not a readable XLSX workbook")]) from None
    try:
        return _parse_workbook(workbook)
    finally:
        workbook.close()


def _parse_workbook(workbook: Workbook) -> NegativeList:
    issues: list[ImportIssue] = []
    list_fields: dict[str, Value | list[str]] = {}
    names: list[str] = list(workbook.sheetnames)
    if LIST_SHEET in names:
        for number, cells in enumerate(
            workbook[LIST_SHEET].iter_rows(max_col=2, values_only=True), start=1
        ):
            name, value = (*cells, None, None)[:2]
            if name is None or (isinstance(name, str) and not name.strip()):
                continue
            key = str(name).strip().lower()
            if key == "field" and number == 1:
                continue  # an optional "field | value" heading
            if key not in LIST_FIELDS:
                issues.append(
                    ImportIssue(0, key, f"unknown field (sheet '{LIST_SHEET}' row {number})")
                )
                continue
            list_fields[key] = _cell(value)
    else:
        issues.append(ImportIssue(0, "list", f"the workbook has no '{LIST_SHEET}' worksheet"))
    if ROWS_SHEET not in names:
        issues.append(ImportIssue(0, "rows", f"the workbook has no '{ROWS_SHEET}' worksheet"))
        return build_list(list_fields, [], issues=issues)
    rows: list[RawRow] = []
    header: list[str] | None = None
    sheet = workbook[ROWS_SHEET]
    for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
        values = [_cell(cell) for cell in cells]
        if not any(value not in (None, "") for value in values):
            continue
        if header is None:
            header = ["" if value is None else str(value).strip().lower() for value in values]
            while header and not header[-1]:
                header.pop()
            issues.extend(_header_issues(header, number))
            continue
        if any(value not in (None, "") for value in values[len(header) :]):
            issues.append(ImportIssue(number, "row", "more cells than header columns"))
        rows.append(RawRow(number, dict(zip(header, values, strict=False))))
        if len(rows) > MAX_ROWS:
            break  # build_list reports the excess
    if header is None:
        issues.append(ImportIssue(0, "header", f"no header row in '{ROWS_SHEET}'"))
    return build_list(list_fields, rows, issues=issues)


def dump_xlsx(negative_list: NegativeList) -> bytes:
    workbook = Workbook()
    list_sheet = workbook.active
    assert list_sheet is not None  # a new workbook always has one sheet
    list_sheet.title = LIST_SHEET
    list_sheet.append(["field", "value"])
    for name, value in _list_values(negative_list, flat=True).items():
        list_sheet.append([name, value])
    rows_sheet = workbook.create_sheet(ROWS_SHEET)
    rows_sheet.append(list(ROW_FIELDS))
    for row in negative_list.rows:
        values = _row_values(row)
        rows_sheet.append([values[name] for name in ROW_FIELDS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> Value:
    if value is None or isinstance(value, str | int | float | bool | date):
        return value
    return str(value)


# --- shared -------------------------------------------------------------------------------


def _header_issues(header: Sequence[str], line_number: int) -> list[ImportIssue]:
    issues = [
        ImportIssue(line_number, name or "(blank)", "unknown column")
        for name in unknown_fields(header, ROW_FIELDS)
    ]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            issues.append(ImportIssue(line_number, name, "column appears twice"))
        seen.add(name)
    required = [("row_id",), ("pathway",), *REQUIRED_ROW_NAMES]
    for names in required:
        if not any(name in header for name in names):
            issues.append(ImportIssue(line_number, names[0], "missing column"))
    return issues


def _check_size(data: str | bytes) -> None:
    if len(data) > MAX_IMPORT_BYTES:
        raise ListImportError(
            [ImportIssue(0, "file", f"larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB")]
        )


def _list_values(negative_list: NegativeList, *, flat: bool) -> dict[str, Value | list[str]]:
    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    sources: Value | list[str] = (
        " | ".join(negative_list.sources) if flat else list(negative_list.sources)
    )
    return {
        "jurisdiction": negative_list.jurisdiction,
        "title_zh": negative_list.title_zh,
        "title_en": negative_list.title_en,
        "version": negative_list.version,
        "issued_by": negative_list.issued_by,
        "issued_on": day(negative_list.issued_on),
        "effective_from": negative_list.effective_from.isoformat(),
        "effective_until": day(negative_list.effective_until),
        "source_url": negative_list.source_url,
        "sources": sources,
        "kind": negative_list.kind.value,
        "complete": negative_list.complete,
        "note": negative_list.note,
    }


def _row_values(row: ListRow) -> dict[str, Value]:
    return {
        "row_id": row.row_id,
        "sector": row.sector,
        "sector_zh": row.sector_zh,
        "scenario": row.scenario,
        "scenario_zh": row.scenario_zh,
        "category": row.category,
        "category_zh": row.category_zh,
        "item": row.item,
        "item_zh": row.item_zh,
        "characteristics": row.characteristics,
        "pathway": row.pathway.value if row.pathway else None,
        "threshold": row.threshold,
        "verified": row.verified,
        "note": row.note,
    }
