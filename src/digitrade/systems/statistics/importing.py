"""Read services-trade files into ``ObservationRow``s, reporting bad rows instead of raising.

Three layouts are understood:

- ``template``: the officials' upload template (CSV or XLSX), one value per row;
- ``unctad-panel``: the UNCTAD digitally-deliverable-services panel (one row per economy-year,
  exports and imports side by side, US$ millions);
- ``sdmx-csv``: a World Bank Data360 SDMX-CSV export (``UNCTAD_DE`` database).

Every reader returns an ``ImportPreview``: the rows that parsed, a list of ``RowError`` with the
physical line number, and counts of rows skipped on purpose (gaps, other indicators). Readers
stream: one row is in flight at a time, values are parsed without regular expressions, and
repeated strings (periods, codes, economies) are parsed once and cached.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from digitrade.systems.statistics.economies import valid_economy_code
from digitrade.systems.statistics.observation import (
    Basis,
    Flow,
    ObservationRow,
    Period,
    PeriodError,
    Status,
)

FORMAT_TEMPLATE = "template"
FORMAT_UNCTAD_PANEL = "unctad-panel"
FORMAT_SDMX_CSV = "sdmx-csv"

DEFAULT_MAX_ROWS = 2_000_000
DEFAULT_MAX_ERRORS = 1_000
DEFAULT_MAX_XLSX_BYTES = 20 * 1024 * 1024
PROGRESS_EVERY = 10_000

TEMPLATE_REQUIRED = (
    "economy",
    "period",
    "code",
    "flow",
    "value",
    "currency",
    "unit_multiplier",
    "basis",
    "status",
    "source",
)
TEMPLATE_OPTIONAL = ("mode", "partner", "definition")
TEMPLATE_COLUMNS = TEMPLATE_REQUIRED + TEMPLATE_OPTIONAL

TEMPLATE_EXAMPLE = {
    "economy": "CN-SH",
    "period": "2024-Q3",
    "code": "SI2",
    "flow": "credit",
    "value": "1234.5",
    "currency": "USD",
    "unit_multiplier": "6",
    "basis": "itrs_provincial",
    # The example is marked illustrative so that it is never mistaken for real data.
    "status": "illustrative",
    "source": "Shanghai Municipal Commission of Commerce",
    "mode": "1",
    "partner": "W00",
    "definition": "",
}

TEMPLATE_INSTRUCTIONS = (
    ("column", "required", "meaning"),
    (
        "economy",
        "yes",
        "ISO 3166-1 alpha-3 (CHN), an aggregate (WLD) or a sub-national code (CN-SH)",
    ),
    ("period", "yes", "YYYY, YYYY-Qn or YYYY-MM"),
    ("code", "yes", "EBOPS 2010 code (SI2), an aggregate (S, SOX, SPX4) or DDS"),
    ("flow", "yes", "credit (exports; also X, C, exports) or debit (imports; also M, D, imports)"),
    ("value", "yes", "plain number, dot as decimal separator, no thousands separators; >= 0"),
    ("currency", "yes", "ISO 4217 code, e.g. USD or CNY"),
    ("unit_multiplier", "yes", "power of ten of the unit: 0 units, 3 thousands, 6 millions"),
    ("basis", "yes", "bop, itrs_provincial, direct_reporting or modelled"),
    ("status", "yes", "official, preliminary, nowcast or illustrative"),
    ("source", "yes", "publication or body the value comes from"),
    ("mode", "no", "GATS mode of supply 1-4, where known"),
    ("partner", "no", "partner economy; empty or W00 = the world"),
    ("definition", "no", "for DDS values: which digitally-deliverable set (e.g. unctad)"),
    ("", "", "Delete the example row (status illustrative) before uploading."),
)

PANEL_COLUMNS = (
    "iso3",
    "year",
    "dig_services_exports_usd_millions",
    "dig_services_imports_usd_millions",
)
SDMX_REQUIRED = ("REF_AREA", "INDICATOR", "TIME_PERIOD", "OBS_VALUE", "UNIT_MULT", "UNIT_MEASURE")
SDMX_DDS_INDICATORS = {
    "UNCTAD_DE_DIG_SERVTRADE_ANN_EXP": Flow.CREDIT,
    "UNCTAD_DE_DIG_SERVTRADE_ANN_IMP": Flow.DEBIT,
}

DDS_CODE = "DDS"
UNCTAD_DEFINITION = "unctad"

_FLOWS = {
    "credit": Flow.CREDIT,
    "c": Flow.CREDIT,
    "cr": Flow.CREDIT,
    "x": Flow.CREDIT,
    "export": Flow.CREDIT,
    "exports": Flow.CREDIT,
    "出口": Flow.CREDIT,
    "debit": Flow.DEBIT,
    "d": Flow.DEBIT,
    "db": Flow.DEBIT,
    "dr": Flow.DEBIT,
    "m": Flow.DEBIT,
    "import": Flow.DEBIT,
    "imports": Flow.DEBIT,
    "进口": Flow.DEBIT,
}
_BASES = {member.value: member for member in Basis}
_STATUSES = {member.value: member for member in Status}
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_UPPER_DIGIT = _UPPER | frozenset("0123456789")


class ImportFileError(ValueError):
    """The file cannot be read at all (not a spreadsheet, wrong extension)."""


@dataclass
class RowError:
    """One problem in one line. ``line`` is the physical line (CSV) or sheet row (XLSX), 1-based."""

    line: int
    column: str | None
    code: str
    message: str


@dataclass
class ImportPreview:
    """What a file would import: rows, errors, and rows skipped on purpose.

    ``line_count`` counts data lines read (the header is not counted). ``skip_reasons`` splits
    ``skipped`` by cause: ``blank-line``, ``gap`` (an empty value the source leaves on purpose) and
    ``indicator:<ID>`` for SDMX indicators this module does not import. ``error_total`` keeps
    counting after ``errors`` stops growing at the reader's ``max_errors``.
    """

    format: str
    rows: list[ObservationRow]
    errors: list[RowError]
    skipped: int
    line_count: int
    skip_reasons: dict[str, int] = field(default_factory=dict)
    error_total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and self.error_total == 0

    @property
    def skipped_indicators(self) -> dict[str, int]:
        """SDMX indicators left out, with how many rows each had."""
        prefix = "indicator:"
        return {
            key[len(prefix) :]: count
            for key, count in self.skip_reasons.items()
            if key.startswith(prefix)
        }


ProgressCallback = Callable[[int], None]
RowSink = Callable[[ObservationRow], None]


# --- small cached parsers -------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _valid_area(text: str) -> bool:
    """ISO alpha-3 / aggregate (CHN, WLD, W00) or a sub-national code (CN-SH, CN-SH-310115)."""
    return valid_economy_code(text)


def _parse_decimal(text: str) -> Decimal | None:
    """A finite Decimal, or None. Thousands separators are refused: '1,5' is ambiguous."""
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


class _Collector:
    """Shared bookkeeping: errors with a cap, skip counts, duplicate and unit checks."""

    def __init__(
        self,
        fmt: str,
        *,
        max_rows: int,
        max_errors: int,
        progress: ProgressCallback | None,
        progress_every: int,
        on_row: RowSink | None,
    ) -> None:
        self.preview = ImportPreview(fmt, [], [], 0, 0)
        self.max_rows = max_rows
        self.max_errors = max_errors
        self.progress = progress
        self.progress_every = max(1, progress_every)
        self.emit: RowSink = on_row if on_row is not None else self.preview.rows.append
        # Keys are tuples of cached (shared) objects, so each entry costs one tuple.
        self.seen: set[tuple[object, ...]] = set()
        self.units: dict[tuple[object, ...], tuple[str, int]] = {}
        self.periods: dict[str, Period | None] = {}
        self.areas: dict[str, str | None] = {}
        self.currencies: dict[str, str | None] = {}

    def error(self, line: int, column: str | None, code: str, message: str) -> None:
        self.preview.error_total += 1
        if len(self.preview.errors) < self.max_errors:
            self.preview.errors.append(RowError(line, column, code, message))

    def skip(self, reason: str) -> None:
        self.preview.skipped += 1
        self.preview.skip_reasons[reason] = self.preview.skip_reasons.get(reason, 0) + 1

    def count_line(self, line: int) -> bool:
        """Count one data line; False once the row limit is passed (the caller stops)."""
        preview = self.preview
        if preview.line_count >= self.max_rows:
            self.error(line, None, "too-many-rows", f"more than {self.max_rows} data rows")
            return False
        preview.line_count += 1
        if self.progress is not None and preview.line_count % self.progress_every == 0:
            self.progress(preview.line_count)
        return True

    def finish(self) -> ImportPreview:
        if self.progress is not None:
            self.progress(self.preview.line_count)
        return self.preview

    def period(self, text: str) -> Period | None:
        try:
            return self.periods[text]
        except KeyError:
            try:
                parsed: Period | None = Period.parse(text)
            except PeriodError:
                parsed = None
            self.periods[text] = parsed
            return parsed

    def area(self, text: str) -> str | None:
        try:
            return self.areas[text]
        except KeyError:
            normal = text.strip().upper()
            result = normal if _valid_area(normal) else None
            self.areas[text] = result
            return result

    def currency(self, text: str) -> str | None:
        try:
            return self.currencies[text]
        except KeyError:
            normal = text.strip().upper()
            ok = len(normal) == 3 and all(ch in _UPPER for ch in normal)
            self.currencies[text] = normal if ok else None
            return self.currencies[text]

    def accept(self, line: int, row: ObservationRow) -> None:
        """Emit ``row`` unless it repeats a key or changes a series' unit."""
        key = (row.economy, row.period, row.code, row.flow, row.partner, row.basis)
        if key in self.seen:
            self.error(
                line,
                None,
                "duplicate",
                f"{row.economy} {row.period} {row.code} {row.flow} partner {row.partner} "
                f"basis {row.basis} already given in this file",
            )
            return
        series = (row.economy, row.code, row.flow, row.partner)
        unit = (row.currency, row.unit_multiplier)
        first = self.units.setdefault(series, unit)
        if first != unit:
            self.error(
                line,
                "currency" if first[0] != unit[0] else "unit_multiplier",
                "unit-mismatch",
                f"series {row.economy} {row.code} {row.flow} {row.partner} was given in "
                f"{first[0]} x10^{first[1]} earlier in this file, here in {unit[0]} x10^{unit[1]}",
            )
            return
        self.seen.add(key)
        self.emit(row)


def _normal_header(header: Sequence[str]) -> list[str]:
    cells = list(header)
    if cells and cells[0].startswith("\ufeff"):
        cells[0] = cells[0][1:]
    return [cell.strip() for cell in cells]


def detect_format(header: list[str]) -> str:
    """``sdmx-csv``, ``unctad-panel`` or ``template``.

    Anything unrecognised is treated as the template, whose reader then names the missing columns.
    """
    upper = {cell.upper() for cell in _normal_header(header)}
    lower = {cell.lower() for cell in upper}
    if {"REF_AREA", "INDICATOR", "TIME_PERIOD", "OBS_VALUE"} <= upper:
        return FORMAT_SDMX_CSV
    if set(PANEL_COLUMNS) <= lower:
        return FORMAT_UNCTAD_PANEL
    return FORMAT_TEMPLATE


# --- the template ---------------------------------------------------------------------------


def _read_template_rows(
    rows: Iterable[tuple[int, Sequence[str]]],
    header: Sequence[str],
    header_line: int,
    collector: _Collector,
    *,
    source: str,
    known_code: Callable[[str], bool],
) -> ImportPreview:
    names = [cell.lower() for cell in _normal_header(header)]
    index = {name: position for position, name in reversed(list(enumerate(names))) if name}
    missing = [name for name in TEMPLATE_REQUIRED if name not in index]
    if missing:
        collector.error(
            header_line,
            missing[0],
            "missing-column",
            f"the header lacks column(s): {', '.join(missing)}",
        )
        return collector.finish()

    width = max(index.values()) + 1
    i_economy, i_period, i_code, i_flow, i_value = (
        index[name] for name in ("economy", "period", "code", "flow", "value")
    )
    i_currency, i_unit, i_basis, i_status, i_source = (
        index[name] for name in ("currency", "unit_multiplier", "basis", "status", "source")
    )
    i_mode = index.get("mode")
    i_partner = index.get("partner")
    i_definition = index.get("definition")
    codes: dict[str, str | None] = {}
    units: dict[str, int | None] = {}
    error = collector.error

    for line, raw in rows:
        if not collector.count_line(line):
            break
        cells = list(raw)
        if not "".join(cells).strip():
            collector.skip("blank-line")
            continue
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        bad = False

        for name, position in (
            ("economy", i_economy),
            ("period", i_period),
            ("code", i_code),
            ("flow", i_flow),
            ("value", i_value),
            ("currency", i_currency),
            ("unit_multiplier", i_unit),
            ("basis", i_basis),
            ("status", i_status),
        ):
            if not cells[position].strip():
                error(line, name, "missing-value", f"{name} is empty")
                bad = True
        if bad:
            continue

        economy = collector.area(cells[i_economy])
        if economy is None:
            error(line, "economy", "bad-economy", f"economy {cells[i_economy]!r} is not a code")
            bad = True
        period = collector.period(cells[i_period])
        if period is None:
            error(line, "period", "bad-period", f"period {cells[i_period]!r} is not YYYY/-Qn/-MM")
            bad = True
        raw_code = cells[i_code]
        try:
            code = codes[raw_code]
        except KeyError:
            normal = raw_code.strip().upper()
            code = codes[raw_code] = normal if known_code(normal) else None
        if code is None:
            error(line, "code", "unknown-code", f"{raw_code.strip()!r} is not a known EBOPS code")
            bad = True
        flow = _FLOWS.get(cells[i_flow].strip().lower())
        if flow is None:
            error(line, "flow", "unknown-flow", f"flow {cells[i_flow]!r} is not credit or debit")
            bad = True
        value = _parse_decimal(cells[i_value])
        if value is None:
            error(line, "value", "bad-number", f"value {cells[i_value]!r} is not a number")
            bad = True
        elif value < 0:
            error(line, "value", "negative-value", "credit and debit are gross flows, >= 0")
            bad = True
        currency = collector.currency(cells[i_currency])
        if currency is None:
            error(line, "currency", "bad-currency", f"{cells[i_currency]!r} is not ISO 4217")
            bad = True
        raw_unit = cells[i_unit]
        try:
            unit = units[raw_unit]
        except KeyError:
            stripped = raw_unit.strip()
            unit = units[raw_unit] = int(stripped) if stripped.lstrip("-").isdigit() else None
        if unit is None:
            error(line, "unit_multiplier", "bad-number", f"{raw_unit!r} is not an integer")
            bad = True
        basis = _BASES.get(cells[i_basis].strip().lower())
        if basis is None:
            error(line, "basis", "bad-basis", f"basis {cells[i_basis]!r}: one of {list(_BASES)}")
            bad = True
        status = _STATUSES.get(cells[i_status].strip().lower())
        if status is None:
            error(
                line,
                "status",
                "bad-status",
                f"status {cells[i_status]!r}: one of {list(_STATUSES)}",
            )
            bad = True
        mode: int | None = None
        if i_mode is not None and (raw_mode := cells[i_mode].strip()):
            if raw_mode in {"1", "2", "3", "4"}:
                mode = int(raw_mode)
            else:
                error(line, "mode", "bad-number", f"mode {raw_mode!r} is not 1-4")
                bad = True
        partner: str | None = "W00"
        if i_partner is not None and cells[i_partner].strip():
            partner = collector.area(cells[i_partner])
            if partner is None:
                error(line, "partner", "bad-economy", f"partner {cells[i_partner]!r} is not a code")
                bad = True
        if bad:
            continue
        definition = (cells[i_definition].strip() or None) if i_definition is not None else None
        assert economy and period and code and flow and value is not None
        assert currency and unit is not None and basis and status and partner
        collector.accept(
            line,
            ObservationRow(
                economy=economy,
                period=period,
                code=code,
                flow=flow,
                value=value,
                currency=currency,
                unit_multiplier=unit,
                basis=basis,
                status=status,
                source=cells[i_source].strip() or source,
                definition=definition,
                mode=mode,
                partner=partner,
            ),
        )
    return collector.finish()


def _numbered(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """(physical line of the record's first line, cells) for a ``csv.reader``."""
    previous = reader.line_num
    for cells in reader:
        yield previous + 1, cells
        previous = reader.line_num


def _text(stream: IO[str] | IO[bytes]) -> IO[str]:
    """A text stream; bytes are decoded as UTF-8, with or without a BOM."""
    if isinstance(stream, io.TextIOBase) or hasattr(stream, "encoding"):
        return stream  # type: ignore[return-value]
    binary = cast(BinaryIO, stream)
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def _first_row(reader: Any) -> list[str] | None:
    for cells in reader:
        if any(cell.strip() for cell in cells):
            return list(cells)
    return None


def _collector(
    fmt: str,
    max_rows: int,
    max_errors: int,
    progress: ProgressCallback | None,
    progress_every: int,
    on_row: RowSink | None,
) -> _Collector:
    return _Collector(
        fmt,
        max_rows=max_rows,
        max_errors=max_errors,
        progress=progress,
        progress_every=progress_every,
        on_row=on_row,
    )


def _empty_file(fmt: str) -> ImportPreview:
    return ImportPreview(
        fmt,
        [],
        [RowError(1, None, "missing-column", "the file has no header")],
        0,
        0,
        error_total=1,
    )


def read_template_csv(
    stream: IO[str],
    *,
    source: str,
    known_code: Callable[[str], bool],
    max_rows: int = DEFAULT_MAX_ROWS,
    max_errors: int = DEFAULT_MAX_ERRORS,
    progress: ProgressCallback | None = None,
    progress_every: int = PROGRESS_EVERY,
    on_row: RowSink | None = None,
) -> ImportPreview:
    """Read the officials' template from CSV.

    ``source`` fills empty ``source`` cells. With ``on_row`` the rows go to that callback instead
    of ``preview.rows``, so memory does not grow with the file.
    """
    return _read_csv(
        stream,
        FORMAT_TEMPLATE,
        source=source,
        known_code=known_code,
        common=_Limits(max_rows, max_errors, progress, progress_every, on_row),
    )


def write_template_csv(stream: IO[str]) -> None:
    """The blank template: header and one illustrative example row."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerow([TEMPLATE_EXAMPLE[name] for name in TEMPLATE_COLUMNS])


def write_template_xlsx(stream: IO[bytes] | str | Path) -> None:
    """The blank template as a workbook: a ``data`` sheet (first) and an ``instructions`` sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "data"
    sheet.append(list(TEMPLATE_COLUMNS))
    # Text cells, so that "2024" and "6" keep their exact spelling when opened in a spreadsheet.
    sheet.append([TEMPLATE_EXAMPLE[name] for name in TEMPLATE_COLUMNS])
    instructions = workbook.create_sheet("instructions")
    for row in TEMPLATE_INSTRUCTIONS:
        instructions.append(list(row))
    workbook.save(stream)


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV would hold; floats go through ``repr``, not binary."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)  # shortest round-trip spelling, e.g. 0.1 -> "0.1"
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"  # a date typed into the period column
    return str(value)


def read_template_xlsx(
    stream: BinaryIO,
    *,
    source: str,
    known_code: Callable[[str], bool],
    max_rows: int = DEFAULT_MAX_ROWS,
    max_errors: int = DEFAULT_MAX_ERRORS,
    max_bytes: int = DEFAULT_MAX_XLSX_BYTES,
    progress: ProgressCallback | None = None,
    progress_every: int = PROGRESS_EVERY,
    on_row: RowSink | None = None,
) -> ImportPreview:
    """Read the template from the first sheet of an XLSX workbook (values only, never formulas)."""
    from openpyxl import load_workbook

    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        preview = ImportPreview(FORMAT_TEMPLATE, [], [], 0, 0)
        preview.errors.append(
            RowError(0, None, "file-too-large", f"the workbook is over {max_bytes} bytes")
        )
        preview.error_total = 1
        return preview
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        preview = ImportPreview(FORMAT_TEMPLATE, [], [], 0, 0, error_total=1)
        preview.errors.append(RowError(0, None, "bad-file", f"not a readable XLSX file: {exc}"))
        return preview
    try:
        sheet = workbook.worksheets[0]
        numbered = (
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        header_line = 0
        header: list[str] | None = None
        for number, cells in numbered:
            if any(cell.strip() for cell in cells):
                header_line, header = number, cells
                break
        if header is None:
            return _empty_file(FORMAT_TEMPLATE)
        collector = _collector(
            FORMAT_TEMPLATE, max_rows, max_errors, progress, progress_every, on_row
        )
        return _read_template_rows(
            numbered, header, header_line, collector, source=source, known_code=known_code
        )
    finally:
        workbook.close()


# --- UNCTAD panel ---------------------------------------------------------------------------


def _read_panel_rows(
    rows: Iterable[tuple[int, Sequence[str]]],
    header: Sequence[str],
    header_line: int,
    collector: _Collector,
    *,
    source: str,
) -> ImportPreview:
    names = [cell.lower() for cell in _normal_header(header)]
    index = {name: position for position, name in reversed(list(enumerate(names))) if name}
    missing = [name for name in PANEL_COLUMNS if name not in index]
    if missing:
        collector.error(
            header_line, missing[0], "missing-column", f"the header lacks: {', '.join(missing)}"
        )
        return collector.finish()
    i_iso3, i_year = index["iso3"], index["year"]
    values = (
        (index["dig_services_exports_usd_millions"], Flow.CREDIT),
        (index["dig_services_imports_usd_millions"], Flow.DEBIT),
    )
    width = max(index.values()) + 1
    for line, raw in rows:
        if not collector.count_line(line):
            break
        cells = list(raw)
        if not any(cell.strip() for cell in cells):
            collector.skip("blank-line")
            continue
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        economy = collector.area(cells[i_iso3])
        period = collector.period(cells[i_year])
        if economy is None:
            collector.error(line, "iso3", "bad-economy", f"iso3 {cells[i_iso3]!r} is not a code")
        if period is None:
            collector.error(line, "year", "bad-period", f"year {cells[i_year]!r} is not YYYY")
        for position, flow in values:
            text = cells[position].strip()
            if not text:
                collector.skip("gap")  # UNCTAD leaves unreported years empty
                continue
            value = _parse_decimal(text)
            column = names[position]
            if value is None:
                collector.error(line, column, "bad-number", f"{text!r} is not a number")
                continue
            if value < 0:
                collector.error(line, column, "negative-value", "gross flows are >= 0")
                continue
            if economy is None or period is None:
                continue
            collector.accept(
                line,
                ObservationRow(
                    economy=economy,
                    period=period,
                    code=DDS_CODE,
                    flow=flow,
                    value=value,
                    currency="USD",
                    unit_multiplier=6,
                    basis=Basis.BOP,
                    status=Status.OFFICIAL,
                    source=source,
                    definition=UNCTAD_DEFINITION,
                ),
            )
    return collector.finish()


def read_unctad_panel(
    stream: IO[str],
    *,
    source: str,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_errors: int = DEFAULT_MAX_ERRORS,
    progress: ProgressCallback | None = None,
    progress_every: int = PROGRESS_EVERY,
    on_row: RowSink | None = None,
) -> ImportPreview:
    """Read the UNCTAD DDS panel: two rows (credit, debit) per economy-year, US$ millions."""
    return _read_csv(
        stream,
        FORMAT_UNCTAD_PANEL,
        source=source,
        known_code=None,
        common=_Limits(max_rows, max_errors, progress, progress_every, on_row),
    )


# --- SDMX-CSV -------------------------------------------------------------------------------


def _read_sdmx_rows(
    rows: Iterable[tuple[int, Sequence[str]]],
    header: Sequence[str],
    header_line: int,
    collector: _Collector,
    *,
    source: str,
) -> ImportPreview:
    names = [cell.upper() for cell in _normal_header(header)]
    index = {name: position for position, name in reversed(list(enumerate(names))) if name}
    missing = [name for name in SDMX_REQUIRED if name not in index]
    if missing:
        collector.error(
            header_line, missing[0], "missing-column", f"the header lacks: {', '.join(missing)}"
        )
        return collector.finish()
    i_area, i_indicator, i_time = index["REF_AREA"], index["INDICATOR"], index["TIME_PERIOD"]
    i_value, i_mult, i_measure = index["OBS_VALUE"], index["UNIT_MULT"], index["UNIT_MEASURE"]
    i_status = index.get("OBS_STATUS")
    width = max(index.values()) + 1
    multipliers: dict[str, int | None] = {}
    for line, raw in rows:
        if not collector.count_line(line):
            break
        cells = list(raw)
        if not any(cell.strip() for cell in cells):
            collector.skip("blank-line")
            continue
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        indicator = cells[i_indicator].strip()
        flow = SDMX_DDS_INDICATORS.get(indicator)
        if flow is None:
            collector.skip(f"indicator:{indicator}")
            continue
        obs_status = cells[i_status].strip().upper() if i_status is not None else ""
        text = cells[i_value].strip()
        if not text:
            if obs_status == "O":  # SDMX OBS_STATUS "O": missing value
                collector.skip("gap")
            else:
                collector.error(line, "OBS_VALUE", "missing-value", "OBS_VALUE is empty")
            continue
        bad = False
        economy = collector.area(cells[i_area])
        if economy is None:
            collector.error(line, "REF_AREA", "bad-economy", f"{cells[i_area]!r} is not a code")
            bad = True
        period = collector.period(cells[i_time])
        if period is None:
            collector.error(line, "TIME_PERIOD", "bad-period", f"{cells[i_time]!r} is no period")
            bad = True
        value = _parse_decimal(text)
        if value is None:
            collector.error(line, "OBS_VALUE", "bad-number", f"{text!r} is not a number")
            bad = True
        elif value < 0:
            collector.error(line, "OBS_VALUE", "negative-value", "gross flows are >= 0")
            bad = True
        currency = collector.currency(cells[i_measure])
        if currency is None:
            collector.error(
                line, "UNIT_MEASURE", "bad-currency", f"{cells[i_measure]!r} is not ISO 4217"
            )
            bad = True
        raw_mult = cells[i_mult]
        try:
            multiplier = multipliers[raw_mult]
        except KeyError:
            stripped = raw_mult.strip() or "0"  # SDMX: no UNIT_MULT means units
            multiplier = multipliers[raw_mult] = (
                int(stripped) if stripped.lstrip("-").isdigit() else None
            )
        if multiplier is None:
            collector.error(line, "UNIT_MULT", "bad-number", f"{raw_mult!r} is not an integer")
            bad = True
        if bad:
            continue
        assert economy and period and value is not None and currency
        assert multiplier is not None
        collector.accept(
            line,
            ObservationRow(
                economy=economy,
                period=period,
                code=DDS_CODE,
                flow=flow,
                value=value,
                currency=currency,
                unit_multiplier=multiplier,
                basis=Basis.BOP,
                status=Status.PRELIMINARY if obs_status == "P" else Status.OFFICIAL,
                source=source,
                definition=UNCTAD_DEFINITION,
            ),
        )
    return collector.finish()


def read_sdmx_csv(
    stream: IO[str],
    *,
    source: str,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_errors: int = DEFAULT_MAX_ERRORS,
    progress: ProgressCallback | None = None,
    progress_every: int = PROGRESS_EVERY,
    on_row: RowSink | None = None,
) -> ImportPreview:
    """Read the UNCTAD DDS indicators from a Data360 SDMX-CSV file; other indicators are counted."""
    return _read_csv(
        stream,
        FORMAT_SDMX_CSV,
        source=source,
        known_code=None,
        common=_Limits(max_rows, max_errors, progress, progress_every, on_row),
    )


@dataclass(frozen=True)
class _Limits:
    max_rows: int
    max_errors: int
    progress: ProgressCallback | None
    progress_every: int
    on_row: RowSink | None


def _read_csv(
    stream: IO[str] | IO[bytes],
    fmt: str | None,
    *,
    source: str,
    known_code: Callable[[str], bool] | None,
    common: _Limits,
) -> ImportPreview:
    """Read a CSV in layout ``fmt``, or in the layout its header shows when ``fmt`` is None."""
    reader = csv.reader(_text(stream))
    header = _first_row(reader)
    if header is None:
        return _empty_file(fmt or FORMAT_TEMPLATE)
    fmt = fmt or detect_format(header)
    collector = _collector(
        fmt,
        common.max_rows,
        common.max_errors,
        common.progress,
        common.progress_every,
        common.on_row,
    )
    rows = _numbered(reader)
    if fmt == FORMAT_SDMX_CSV:
        return _read_sdmx_rows(rows, header, reader.line_num, collector, source=source)
    if fmt == FORMAT_UNCTAD_PANEL:
        return _read_panel_rows(rows, header, reader.line_num, collector, source=source)
    if known_code is None:
        raise ImportFileError("the template needs the list of known EBOPS codes")
    return _read_template_rows(
        rows, header, reader.line_num, collector, source=source, known_code=known_code
    )


# --- dispatch -------------------------------------------------------------------------------


def read_any(
    path_or_stream: str | Path | IO[str] | IO[bytes],
    filename: str | None = None,
    *,
    source: str,
    known_code: Callable[[str], bool],
    max_rows: int = DEFAULT_MAX_ROWS,
    max_errors: int = DEFAULT_MAX_ERRORS,
    max_xlsx_bytes: int = DEFAULT_MAX_XLSX_BYTES,
    progress: ProgressCallback | None = None,
    progress_every: int = PROGRESS_EVERY,
    on_row: RowSink | None = None,
) -> ImportPreview:
    """Read a ``.csv`` (any of the three layouts, told apart by the header) or ``.xlsx`` template.

    ``filename`` gives the extension when a stream is passed; for a path it defaults to the path.
    """
    if isinstance(path_or_stream, str | Path):
        path = Path(path_or_stream)
        with path.open("rb") as handle:
            return read_any(
                handle,
                filename or path.name,
                source=source,
                known_code=known_code,
                max_rows=max_rows,
                max_errors=max_errors,
                max_xlsx_bytes=max_xlsx_bytes,
                progress=progress,
                progress_every=progress_every,
                on_row=on_row,
            )
    name = (filename or getattr(path_or_stream, "name", "") or "").lower()
    common: dict[str, Any] = {
        "max_rows": max_rows,
        "max_errors": max_errors,
        "progress": progress,
        "progress_every": progress_every,
        "on_row": on_row,
    }
    if name.endswith(".xlsx"):
        return read_template_xlsx(
            path_or_stream,  # type: ignore[arg-type]
            source=source,
            known_code=known_code,
            max_bytes=max_xlsx_bytes,
            **common,
        )
    if not name.endswith(".csv"):
        raise ImportFileError(f"cannot read {name or 'this file'}: expected .csv or .xlsx")
    return _read_csv(
        path_or_stream,
        None,
        source=source,
        known_code=known_code,
        common=_Limits(max_rows, max_errors, progress, progress_every, on_row),
    )
